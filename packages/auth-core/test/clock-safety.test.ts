import { describe, expect, it, vi } from "vitest";
import { createTokenManager } from "../src/create-token-manager.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import { completeClock, systemClock } from "../src/system-clock.js";
import type { Clock } from "../src/types.js";
import { authError, authRejection, scripted, SECOND, settle, setup } from "./support/resilience.js";

const HOUR = 3600 * SECOND;

describe("createManualClock", () => {
  it("starts at 2026-01-01 with monotonic time 0, or at the given time", () => {
    const clock = createManualClock();
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    expect(clock.monotonicNow()).toBe(0);
    expect(createManualClock(1234).now()).toBe(1234);
  });

  it("advance() moves both clocks; sleep() does too, at once", async () => {
    const clock = createManualClock(0);
    clock.advance(1500);
    expect([clock.now(), clock.monotonicNow()]).toEqual([1500, 1500]);
    await clock.sleep(2500);
    expect([clock.now(), clock.monotonicNow()]).toEqual([4000, 4000]);
  });

  it("jump() and set() move only the wall clock", () => {
    const clock = createManualClock(10_000);
    clock.jump(-5000);
    expect([clock.now(), clock.monotonicNow()]).toEqual([5000, 0]);
    clock.jump(2 * HOUR);
    expect([clock.now(), clock.monotonicNow()]).toEqual([5000 + 2 * HOUR, 0]);
    clock.set(42);
    expect([clock.now(), clock.monotonicNow()]).toEqual([42, 0]);
    clock.advance(8);
    expect([clock.now(), clock.monotonicNow()]).toEqual([50, 8]);
  });
});

describe("completeClock", () => {
  it("is the system clock when none is given", () => {
    expect(completeClock(undefined)).toBe(systemClock);
  });

  it("uses now() as the monotonic clock when a clock has none, read live", () => {
    let now = 100;
    const clock = completeClock({ now: () => now });
    expect(clock.now()).toBe(100);
    expect(clock.monotonicNow()).toBe(100);
    now = 250;
    expect(clock.monotonicNow()).toBe(250);
  });

  it("uses the clock's own monotonicNow and sleep when it has them", async () => {
    const sleep = vi.fn(async (_ms: number) => {});
    const clock: Clock = { now: () => 1, monotonicNow: () => 7, sleep };
    const complete = completeClock(clock);
    expect(complete.monotonicNow()).toBe(7);
    await complete.sleep(300);
    expect(sleep).toHaveBeenCalledWith(300);
  });

  it("falls back to the system sleep when the clock has none", () => {
    expect(completeClock({ now: () => 1 }).sleep).toBe(systemClock.sleep);
  });

  it("the system clock reads Date.now() for now()", () => {
    const spy = vi.spyOn(Date, "now").mockReturnValue(123_456);
    try {
      expect(systemClock.now()).toBe(123_456);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("createTokenManager: wall-clock jumps", () => {
  it("renews on monotonic time after the wall clock went back 2 h", async () => {
    const requestToken = scripted();
    const { auth, clock } = setup(requestToken);
    expect((await auth.getToken()).accessToken).toBe("token-1");

    clock.jump(-2 * HOUR);
    // By the wall clock the token now looks 2 h younger; by the monotonic clock it is due at 3300 s.
    clock.advance(3300 * SECOND - 1);
    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect(requestToken).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("never serves a token after its monotonic expiry, even when its renewal fails and the wall clock says it is valid", async () => {
    const requestToken = scripted(["ok"], { then: authError("server-error") });
    const { auth, clock } = setup(requestToken, { retry: { maxAttempts: 1 } });
    await auth.getToken();

    clock.jump(-2 * HOUR);
    clock.advance(3400 * SECOND);
    expect((await auth.getToken()).accessToken).toBe("token-1"); // stale: still valid by both clocks
    clock.advance(195 * SECOND); // monotonic 3595 s: in the last 5 s
    await authRejection(auth.getToken(), "server-error");
    clock.advance(HOUR);
    await authRejection(auth.getToken(), "server-error");
    // All along, the wall clock said the token had more than an hour to live.
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) - 5 * SECOND);
  });

  it("does not serve a token the wall clock calls expired (wall clock forward), but renews it exactly once", async () => {
    const requestToken = scripted();
    const { auth, clock } = setup(requestToken);
    await auth.getToken();

    clock.jump(24 * HOUR);
    for (let i = 0; i < 10; i++) expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("after a jump forward, the renewed token is renewed on schedule again", async () => {
    const requestToken = scripted();
    const { auth, clock } = setup(requestToken);
    await auth.getToken();
    clock.jump(24 * HOUR);
    await auth.getToken(); // token-2, from here

    clock.advance(3300 * SECOND - 1);
    expect((await auth.getToken()).accessToken).toBe("token-2");
    clock.advance(1);
    expect((await auth.getToken()).accessToken).toBe("token-3");
  });

  it("a jump forward and back again causes no renewal storm", async () => {
    const requestToken = scripted();
    const { auth, clock } = setup(requestToken);
    await auth.getToken();

    clock.jump(24 * HOUR);
    await auth.getToken();
    clock.jump(-24 * HOUR);
    for (let i = 0; i < 10; i++) await auth.getToken();
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("counts the request limit window on monotonic time: a wall-clock jump does not reset it", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, clock } = setup(requestToken, { tokenRequestLimit: { max: 2, windowMs: 60_000 }, retry: { maxAttempts: 1 } });
    await authRejection(auth.getToken(), "server-error");
    await authRejection(auth.getToken(), "server-error");

    clock.jump(2 * HOUR);
    expect((await authRejection(auth.getToken(), "rate-limited")).retryAfterMs).toBe(60_000);
    clock.set(0);
    await authRejection(auth.getToken(), "rate-limited");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("counts the circuit breaker cooldown on monotonic time", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, clock } = setup(requestToken, { circuitBreaker: { failureThreshold: 1, cooldownMs: 10_000 }, retry: { maxAttempts: 1 } });
    await authRejection(auth.getToken(), "server-error");

    clock.jump(HOUR);
    expect((await authRejection(auth.getToken(), "server-error")).retryAfterMs).toBe(10_000);
    expect(requestToken).toHaveBeenCalledTimes(1);
  });

  it("times the stale backoff on monotonic time", async () => {
    const requestToken = scripted(["ok"], { then: authError("server-error") });
    const { auth, clock } = setup(requestToken, { retry: { maxAttempts: 1 } });
    await auth.getToken();
    clock.advance(3400 * SECOND);
    await auth.getToken(); // stale; backoff 1 s

    clock.jump(30 * SECOND); // the wall clock moves, the token is still valid by both clocks
    await auth.getToken();
    await settle();
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("with a clock that has only now(), renews by that clock", async () => {
    let now = Date.UTC(2026, 0, 1);
    const requestToken = scripted();
    const plain = createTokenManager({ cacheKey: "k", requestToken, clock: { now: () => now }, tokenRequestLimit: false, circuitBreaker: false });
    await plain.getToken();
    now += 3300 * SECOND - 1;
    await plain.getToken();
    expect(requestToken).toHaveBeenCalledTimes(1);
    now += 1;
    await plain.getToken();
    expect(requestToken).toHaveBeenCalledTimes(2);
  });
});
