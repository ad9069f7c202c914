import { describe, expect, it } from "vitest";
import { AuthError } from "../src/auth-error.js";
import { DEFAULT_CIRCUIT_BREAKER, DEFAULT_TOKEN_REQUEST_LIMIT } from "../src/create-token-manager.js";
import { authError, authRejection, gated, rejection, scripted, SECOND, settle, setup } from "./support/resilience.js";

const LIMIT = { max: 3, windowMs: 60_000 };
const BREAKER = { failureThreshold: 2, cooldownMs: 10_000 };

describe("createTokenManager: tokenRequestLimit", () => {
  it("has a default of 10 requests per 60 s and a default breaker of 3 failures / 30 s", () => {
    expect(DEFAULT_TOKEN_REQUEST_LIMIT).toEqual({ max: 10, windowMs: 60_000 });
    expect(DEFAULT_CIRCUIT_BREAKER).toEqual({ failureThreshold: 3, cooldownMs: 30_000 });
  });

  it("refuses the 4th acquisition in the window fast, as rate-limited, without a request", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, of } = setup(requestToken, { tokenRequestLimit: LIMIT, retry: { maxAttempts: 1 } });

    for (let i = 0; i < 3; i++) await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(3);

    const refused = await authRejection(auth.getToken(), "rate-limited");
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(refused.provider).toBe("acme");
    expect(refused.status).toBeUndefined();
    expect(refused.retryAfterMs).toBe(60_000);
    expect(refused.message).toContain("tokenRequestLimit");
    expect(of("token-request-refused")).toEqual([{ type: "token-request-refused", provider: "acme", reason: "request-limit", retryAfterMs: 60_000 }]);
    // A refusal is not a failed request: no failed event for it.
    expect(of("token-request-failed")).toHaveLength(3);
  });

  it("reports how long until the oldest request leaves the window, and allows requests again after it", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, clock } = setup(requestToken, { tokenRequestLimit: LIMIT, retry: { maxAttempts: 1 } });

    // Requests at 0 s, 10 s and 20 s.
    for (let i = 0; i < 3; i++) {
      await authRejection(auth.getToken(), "server-error");
      clock.advance(10 * SECOND);
    }
    // At 30 s: the request at 0 s leaves the window at 60 s.
    expect((await authRejection(auth.getToken(), "rate-limited")).retryAfterMs).toBe(30 * SECOND);
    clock.advance(30 * SECOND - 1);
    expect((await authRejection(auth.getToken(), "rate-limited")).retryAfterMs).toBe(1);
    expect(requestToken).toHaveBeenCalledTimes(3);

    clock.advance(1);
    requestToken.setThen("ok");
    expect((await auth.getToken()).accessToken).toBe("token-4");
    expect(requestToken).toHaveBeenCalledTimes(4);
  });

  it("counts retries as requests: an acquisition stops at the cap and reports the failure that needed the retry", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, of } = setup(requestToken, { tokenRequestLimit: { max: 2, windowMs: 60_000 }, retry: { maxAttempts: 5 } });

    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(2);
    expect(of("token-request-refused")).toEqual([expect.objectContaining({ reason: "request-limit" })]);
    expect(of("token-request-failed")).toEqual([expect.objectContaining({ code: "server-error", attempts: 2 })]);
    // The next acquisition is refused outright.
    await authRejection(auth.getToken(), "rate-limited");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("caps a token storm: 50 rounds of invalidate() + 10 concurrent getToken() make at most `max` requests", async () => {
    const requestToken = scripted();
    const { auth, of } = setup(requestToken, { tokenRequestLimit: LIMIT });

    const outcomes: PromiseSettledResult<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      await auth.invalidate();
      outcomes.push(...(await Promise.allSettled(Array.from({ length: 10 }, () => auth.getToken()))));
    }
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(30);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused).toHaveLength(470);
    expect(refused.every((o) => o.reason instanceof AuthError && o.reason.code === "rate-limited")).toBe(true);
    // One refusal per acquisition (47), not per caller.
    expect(of("token-request-refused")).toHaveLength(47);
  });

  it("caps a token storm with the default limit of 10 per minute", async () => {
    const requestToken = scripted();
    const { auth } = setup(requestToken, { tokenRequestLimit: undefined });

    for (let i = 0; i < 50; i++) {
      await auth.invalidate();
      await Promise.allSettled([auth.getToken(), auth.getToken()]);
    }
    expect(requestToken).toHaveBeenCalledTimes(10);
  });

  it("with tokenRequestLimit: false, does not cap requests", async () => {
    const requestToken = scripted();
    const { auth } = setup(requestToken, { tokenRequestLimit: false });

    for (let i = 0; i < 50; i++) {
      await auth.invalidate();
      await auth.getToken();
    }
    expect(requestToken).toHaveBeenCalledTimes(50);
  });
});

describe("createTokenManager: circuitBreaker", () => {
  it("after 2 failed acquisitions, fails fast with the last failure's code, without a request", async () => {
    const requestToken = scripted([authError("server-error"), authError("timeout")]);
    const { auth, clock, of } = setup(requestToken, { circuitBreaker: BREAKER, retry: { maxAttempts: 1 } });

    await authRejection(auth.getToken(), "server-error");
    await authRejection(auth.getToken(), "timeout");
    expect(requestToken).toHaveBeenCalledTimes(2);

    const refused = await authRejection(auth.getToken(), "timeout");
    expect(refused.retryAfterMs).toBe(10_000);
    expect(refused.message).toContain("2 failures in a row");
    expect(requestToken).toHaveBeenCalledTimes(2);
    expect(of("token-request-refused")).toEqual([{ type: "token-request-refused", provider: "acme", reason: "circuit-open", retryAfterMs: 10_000 }]);

    clock.advance(4000);
    expect((await authRejection(auth.getToken(), "timeout")).retryAfterMs).toBe(6000);
    clock.advance(6000 - 1);
    await authRejection(auth.getToken(), "timeout");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("after the cooldown lets one attempt through; a success closes the circuit", async () => {
    const requestToken = scripted([authError("server-error"), authError("server-error")]);
    const { auth, clock } = setup(requestToken, { circuitBreaker: BREAKER, retry: { maxAttempts: 1 } });
    await authRejection(auth.getToken(), "server-error");
    await authRejection(auth.getToken(), "server-error");
    await authRejection(auth.getToken(), "server-error"); // refused
    expect(requestToken).toHaveBeenCalledTimes(2);

    clock.advance(10_000);
    // Many callers at once: still one request.
    const tokens = await Promise.all(Array.from({ length: 5 }, () => auth.getToken()));
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(["token-3"]));

    // Closed: a single later failure does not open it again.
    await auth.invalidate();
    requestToken.setThen(authError("server-error"));
    await authRejection(auth.getToken(), "server-error");
    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(5);
  });

  it("opens again at once when the attempt after the cooldown fails", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, clock } = setup(requestToken, { circuitBreaker: BREAKER, retry: { maxAttempts: 1 } });
    await authRejection(auth.getToken(), "server-error");
    await authRejection(auth.getToken(), "server-error");

    clock.advance(10_000);
    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect((await authRejection(auth.getToken(), "server-error")).retryAfterMs).toBe(10_000);
    expect(requestToken).toHaveBeenCalledTimes(3);
  });

  it("counts acquisitions, not attempts: one acquisition with 3 failed attempts does not open a threshold-2 circuit", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, of } = setup(requestToken, { circuitBreaker: BREAKER, retry: { maxAttempts: 3 } });

    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(of("token-request-refused")).toEqual([]);
    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(6);
  });

  it("counts failures in a row only: a success in between resets the count", async () => {
    const requestToken = scripted([authError("server-error"), "ok", authError("server-error"), authError("server-error")]);
    const { auth } = setup(requestToken, { circuitBreaker: BREAKER, retry: { maxAttempts: 1 } });

    await authRejection(auth.getToken(), "server-error");
    expect((await auth.getToken()).accessToken).toBe("token-2");
    await auth.invalidate();
    await authRejection(auth.getToken(), "server-error");
    // One failure after the success: still closed, so this makes a request (and fails).
    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(4);
    // Two in a row now: open.
    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(4);
  });

  it("opens on non-retryable failures too (a wrong secret)", async () => {
    const requestToken = scripted([], { then: authError("invalid-credentials") });
    const { auth } = setup(requestToken, { circuitBreaker: BREAKER });

    await authRejection(auth.getToken(), "invalid-credentials");
    await authRejection(auth.getToken(), "invalid-credentials");
    const refused = await authRejection(auth.getToken(), "invalid-credentials");
    expect(refused.retryAfterMs).toBe(10_000);
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("keeps serving a still-valid token while the circuit is open", async () => {
    const requestToken = scripted(["ok"], { then: authError("server-error") });
    const { auth, clock, of } = setup(requestToken, { circuitBreaker: { failureThreshold: 1, cooldownMs: 600_000 }, retry: { maxAttempts: 1 } });
    await auth.getToken();
    clock.advance(3400 * SECOND);

    expect((await auth.getToken()).accessToken).toBe("token-1"); // renewal fails: stale, circuit opens
    clock.advance(60 * SECOND);
    expect((await auth.getToken()).accessToken).toBe("token-1"); // background renewal refused
    await settle();
    expect(requestToken).toHaveBeenCalledTimes(2);
    expect(of("token-request-refused")).toEqual([expect.objectContaining({ reason: "circuit-open" })]);
  });

  it("with circuitBreaker: false, never refuses", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, of } = setup(requestToken, { circuitBreaker: false, retry: { maxAttempts: 1 } });

    for (let i = 0; i < 20; i++) await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(20);
    expect(of("token-request-refused")).toEqual([]);
  });

  it("by default opens after 3 failed acquisitions for 30 s", async () => {
    const requestToken = scripted([], { then: authError("invalid-credentials") });
    const { auth } = setup(requestToken, { circuitBreaker: undefined });

    for (let i = 0; i < 3; i++) await authRejection(auth.getToken(), "invalid-credentials");
    expect((await authRejection(auth.getToken(), "invalid-credentials")).retryAfterMs).toBe(30_000);
    expect(requestToken).toHaveBeenCalledTimes(3);
  });
});

describe("createTokenManager: serving a still-valid token when its renewal fails", () => {
  /** token-1 (3600 s) fetched at 0 s; then every request fails with server-error; the clock is at 3400 s (in the renewal window). */
  async function inRenewalWindow(extra: Parameters<typeof setup>[1] = {}) {
    const requestToken = scripted(["ok"], { then: authError("server-error") });
    const ctx = setup(requestToken, { retry: { maxAttempts: 1 }, ...extra });
    expect((await ctx.auth.getToken()).accessToken).toBe("token-1");
    ctx.clock.advance(3400 * SECOND);
    return { ...ctx, requestToken };
  }

  it("resolves with the old token when the renewal fails, with a token-served-stale event", async () => {
    const { auth, requestToken, clock, of } = await inRenewalWindow();

    const token = await auth.getToken();
    expect(token.accessToken).toBe("token-1");
    expect(token.expiresAt).toBe(clock.now() - 3400 * SECOND + 3600 * SECOND);
    expect(requestToken).toHaveBeenCalledTimes(2);
    expect(of("token-served-stale")).toEqual([{ type: "token-served-stale", provider: "acme", expiresAt: token.expiresAt, code: "server-error" }]);
    expect(of("token-request-failed")).toHaveLength(1);
  });

  it("serves the old token without a new request during the backoff", async () => {
    const { auth, requestToken, clock } = await inRenewalWindow();
    await auth.getToken();

    for (let i = 0; i < 10; i++) {
      expect((await auth.getToken()).accessToken).toBe("token-1");
      clock.advance(99); // 10 calls within 990 ms: the first backoff is 1 s (base 200 ms, at least 1 s)
    }
    await settle();
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("after the backoff renews in the background, still answering with the old token; later calls get the new one", async () => {
    const { auth, requestToken, clock, of } = await inRenewalWindow();
    await auth.getToken();
    clock.advance(1000);
    requestToken.setThen("ok");

    // This call starts the renewal but does not wait for it.
    expect((await auth.getToken()).accessToken).toBe("token-1");
    await settle();
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect((await auth.getToken()).accessToken).toBe("token-3");
    expect(of("token-fetched").at(-1)).toMatchObject({ renewal: true, attempts: 1 });

    // And it is a normal, fresh token again: no request on the next calls.
    expect((await auth.getToken()).accessToken).toBe("token-3");
    expect(requestToken).toHaveBeenCalledTimes(3);
  });

  it("backs off further after a failed background renewal", async () => {
    const { auth, requestToken, clock, of } = await inRenewalWindow({ retry: { maxAttempts: 1, baseDelayMs: 1000, maxDelayMs: 60_000 } });
    await auth.getToken(); // failure 1: backoff 2 s
    clock.advance(2000);
    await auth.getToken(); // background renewal, failure 2: backoff 4 s
    await settle();
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(of("token-served-stale")).toHaveLength(2);

    clock.advance(4000 - 1);
    await auth.getToken();
    await settle();
    expect(requestToken).toHaveBeenCalledTimes(3);
    clock.advance(1);
    await auth.getToken();
    await settle();
    expect(requestToken).toHaveBeenCalledTimes(4);
  });

  it("rejects when the renewal fails and the token is actually expired", async () => {
    const { auth, clock } = await inRenewalWindow();
    clock.advance(200 * SECOND); // 3600 s: expired

    await authRejection(auth.getToken(), "server-error");
  });

  it("does not hand out a token in its last 5 s even when its renewal fails", async () => {
    const { auth, clock } = await inRenewalWindow();
    expect((await auth.getToken()).accessToken).toBe("token-1");
    clock.advance(195 * SECOND - 1); // 3595 s - 1 ms
    expect((await auth.getToken()).accessToken).toBe("token-1");
    clock.advance(1); // 3595 s
    await authRejection(auth.getToken(), "server-error");
  });

  it("serves stale only after the retries of the renewal are used up", async () => {
    const { auth, requestToken, of } = await inRenewalWindow({ retry: undefined });

    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect(requestToken).toHaveBeenCalledTimes(4); // 1 + 3 attempts
    expect(of("token-request-retried")).toHaveLength(2);
    expect(of("token-served-stale")).toHaveLength(1);
  });

  it("forceRefresh never serves stale: it rejects when the request fails", async () => {
    const { auth, requestToken, of } = await inRenewalWindow();

    await authRejection(auth.getToken({ forceRefresh: true }), "server-error");
    expect(of("token-served-stale")).toEqual([]);
    // And also not while in the stale backoff.
    expect((await auth.getToken()).accessToken).toBe("token-1");
    await authRejection(auth.getToken({ forceRefresh: true }), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(4);
  });

  it("forceRefresh on a fresh token rejects when the request fails", async () => {
    const requestToken = scripted(["ok"], { then: authError("server-error") });
    const { auth } = setup(requestToken, { retry: { maxAttempts: 1 } });
    await auth.getToken();

    await authRejection(auth.getToken({ forceRefresh: true }), "server-error");
    // The cached token is still there for normal calls.
    expect((await auth.getToken()).accessToken).toBe("token-1");
  });

  it("does not serve a token that was invalidated", async () => {
    const { auth } = await inRenewalWindow();
    expect((await auth.getToken()).accessToken).toBe("token-1"); // stale
    await auth.invalidate("token-1");

    await authRejection(auth.getToken(), "server-error");
  });

  it("serves stale on a request-limit refusal too", async () => {
    const { auth, requestToken } = await inRenewalWindow({ tokenRequestLimit: { max: 1, windowMs: 3600 * SECOND } });

    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect(requestToken).toHaveBeenCalledTimes(1);
  });

  it("a plain (non-AuthError) renewal failure is not served stale", async () => {
    const requestToken = scripted(["ok"], { then: new TypeError("bug in requestToken") });
    const { auth, clock } = setup(requestToken, { retry: { maxAttempts: 1 } });
    await auth.getToken();
    clock.advance(3400 * SECOND);

    expect(await rejection(auth.getToken())).toBeInstanceOf(TypeError);
  });

  // BUG (see report): every caller waiting on the failed renewal calls serveStale(), so the
  // backoff grows with the number of concurrent callers (1 caller: 1 s; 4 callers: 3.2 s; 6+
  // callers: maxDelayMs). (One failure also emits one token-served-stale event per caller.)
  it("backs off by the number of failed renewals, not the number of callers that waited for one", async () => {
    const gate = gated();
    const ctx = setup(gate.requestToken, { retry: { maxAttempts: 1 } });
    const first = ctx.auth.getToken();
    await settle();
    gate.release(0, "token-1");
    await first;
    ctx.clock.advance(3400 * SECOND);

    const callers = Array.from({ length: 4 }, () => ctx.auth.getToken());
    await settle();
    gate.reject(1, authError("server-error"));
    expect((await Promise.all(callers)).map((t) => t.accessToken)).toEqual(["token-1", "token-1", "token-1", "token-1"]);

    // One failed renewal: the backoff is the first one (1 s), as with a single caller.
    ctx.clock.advance(1000);
    await ctx.auth.getToken();
    await settle();
    expect(gate.requestToken).toHaveBeenCalledTimes(3);
  });
});
