import { describe, expect, it } from "vitest";
import type { AuthErrorCode } from "../src/auth-error.js";
import { requestToken as realRequestToken } from "../src/request-token.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike } from "../src/types.js";
import { authError, authRejection, gated, rejection, scripted, setup, settle } from "./support/resilience.js";

describe("createTokenManager: retries", () => {
  it("retries a 500 twice and succeeds on the third attempt", async () => {
    const requestToken = scripted([authError("server-error"), authError("server-error")]);
    const { auth, of } = setup(requestToken);

    const token = await auth.getToken();
    expect(token.accessToken).toBe("token-3");
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(of("token-request-retried").map((e) => [e.attempt, e.code, e.status])).toEqual([
      [1, "server-error", 500],
      [2, "server-error", 500],
    ]);
    expect(of("token-fetched")).toEqual([expect.objectContaining({ attempts: 3, renewal: false })]);
    expect(of("token-request-failed")).toEqual([]);
  });

  it("retries by default up to 3 attempts in all, then rejects with the last error", async () => {
    const last = authError("server-error", { message: "third" });
    const requestToken = scripted([authError("server-error"), authError("server-error"), last]);
    const { auth, of } = setup(requestToken);

    expect(await rejection(auth.getToken())).toBe(last);
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(of("token-request-failed")).toEqual([expect.objectContaining({ attempts: 3, code: "server-error", status: 500 })]);
  });

  it.each<AuthErrorCode>(["network-error", "timeout", "server-error", "rate-limited"])("retries %s", async (code) => {
    const requestToken = scripted([authError(code)]);
    const { auth } = setup(requestToken);

    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("retries a token endpoint's 408 (mapped to timeout by requestToken)", async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls += 1;
      return calls === 1 ? new Response("", { status: 408 }) : Response.json({ access_token: "tok-after-408", expires_in: 3600 });
    };
    const requestToken = () =>
      realRequestToken({
        provider: "acme",
        fetch,
        request: { url: "https://auth.acme.test/token", body: {} },
        secrets: [],
        parseGrant: (body) => ({ accessToken: (body as { access_token: string }).access_token, expiresInSeconds: 3600, scopes: [] }),
        mapError: () => undefined,
      });
    const { auth, of } = setup(requestToken);

    expect((await auth.getToken()).accessToken).toBe("tok-after-408");
    expect(calls).toBe(2);
    expect(of("token-request-retried")).toEqual([expect.objectContaining({ code: "timeout", status: 408 })]);
  });

  it.each<[AuthErrorCode, number | undefined]>([
    ["invalid-credentials", 401],
    ["insufficient-scope", 403],
    ["invalid-request", 400],
    ["invalid-response", 200],
    ["invalid-token", 401],
    ["token-expired", 401],
  ])("never retries %s (HTTP %s)", async (code, status) => {
    const error = authError(code, status === undefined ? {} : { status });
    const requestToken = scripted([error]);
    const { auth, of } = setup(requestToken, { retry: { maxAttempts: 5 } });

    expect(await rejection(auth.getToken())).toBe(error);
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(of("token-request-retried")).toEqual([]);
    expect(of("token-request-failed")).toEqual([expect.objectContaining({ attempts: 1, code, status })]);
  });

  it("never retries an error that is not an AuthError", async () => {
    const error = new TypeError("boom");
    const requestToken = scripted([error]);
    const { auth, of } = setup(requestToken, { retry: { maxAttempts: 5 } });

    expect(await rejection(auth.getToken())).toBe(error);
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(of("token-request-failed")).toEqual([expect.objectContaining({ code: "server-error", status: undefined })]);
  });

  it("does not retry with maxAttempts: 1", async () => {
    const requestToken = scripted([authError("server-error")]);
    const { auth, of } = setup(requestToken, { retry: { maxAttempts: 1 } });

    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(of("token-request-retried")).toEqual([]);
    // The next call makes a new acquisition, which succeeds.
    expect((await auth.getToken()).accessToken).toBe("token-2");
  });

  it("waits min(maxDelay, base × 2^(n-1)) × random() before retry n, on the injected clock", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, clock, of } = setup(requestToken, {
      random: () => 0.999,
      retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500, maxElapsedMs: 60_000 },
    });

    await authRejection(auth.getToken(), "server-error");
    expect(requestToken).toHaveBeenCalledTimes(6);
    // Ceilings 100, 200, 400, 500 (capped), 500.
    expect(of("token-request-retried").map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 99],
      [2, 199],
      [3, 399],
      [4, 499],
      [5, 499],
    ]);
    // The waits went through clock.sleep (the manual clock's sleep advances it at once).
    expect(clock.monotonicNow()).toBe(99 + 199 + 399 + 499 + 499);
    expect(of("token-request-failed")).toEqual([expect.objectContaining({ attempts: 6, durationMs: 1695 })]);
  });

  it("uses the default delays (base 200) with random = 0.999", async () => {
    const requestToken = scripted([authError("network-error"), authError("network-error")]);
    const { auth, of } = setup(requestToken, { random: () => 0.999 });

    await auth.getToken();
    expect(of("token-request-retried").map((e) => e.delayMs)).toEqual([199, 399]);
  });

  it("waits at least Retry-After (retryAfterMs) before the retry", async () => {
    const requestToken = scripted([authError("rate-limited", { retryAfterMs: 1500 })]);
    const { auth, clock, of } = setup(requestToken, { random: () => 0 });

    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(of("token-request-retried")).toEqual([expect.objectContaining({ attempt: 1, delayMs: 1500, code: "rate-limited", status: 429 })]);
    expect(clock.monotonicNow()).toBe(1500);
  });

  it("stops at once when Retry-After asks for more than maxDelayMs", async () => {
    const error = authError("rate-limited", { retryAfterMs: 20_000 });
    const requestToken = scripted([error]);
    const { auth, clock, of } = setup(requestToken, { retry: { maxAttempts: 5, maxDelayMs: 10_000 } });

    expect(await rejection(auth.getToken())).toBe(error);
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(of("token-request-retried")).toEqual([]);
    expect(clock.monotonicNow()).toBe(0);
  });

  it("starts no retry later than maxElapsedMs after the first attempt", async () => {
    const requestToken = scripted([], { then: authError("server-error") });
    const { auth, clock, of } = setup(requestToken, {
      random: () => 0.999,
      retry: { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 10_000, maxElapsedMs: 5000 },
    });

    await authRejection(auth.getToken(), "server-error");
    // Waits 999 (total 999) and 1998 (total 2997); the next 3996 would end at 6993 > 5000.
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(of("token-request-retried").map((e) => e.delayMs)).toEqual([999, 1998]);
    expect(clock.monotonicNow()).toBe(2997);
  });

  it("counts the time requests take towards maxElapsedMs (a retry may start exactly at the limit)", async () => {
    const clock = createManualClock();
    // Each attempt takes 2.5 s of (monotonic) time before failing; jitter 0.
    const requestToken = scripted([], { then: authError("timeout"), onCall: () => clock.advance(2500) });
    const { auth, of } = setup(requestToken, { clock, random: () => 0, retry: { maxAttempts: 10, maxElapsedMs: 5000 } });

    await authRejection(auth.getToken(), "timeout");
    // Retry after 2.5 s (ok), after 5 s (= limit, ok), not after 7.5 s.
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(of("token-request-failed")).toEqual([expect.objectContaining({ attempts: 3, durationMs: 7500 })]);
  });

  it("keeps single-flight across retries: concurrent callers share one retrying acquisition", async () => {
    const requestToken = scripted([authError("server-error"), authError("timeout")]);
    const { auth } = setup(requestToken);

    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.getToken()));
    expect(requestToken).toHaveBeenCalledTimes(3);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(["token-3"]));
  });

  it("does not start another request while an attempt is pending", async () => {
    const gate = gated();
    const { auth } = setup(gate.requestToken);

    const first = auth.getToken();
    const second = auth.getToken();
    await settle();
    expect(gate.requestToken).toHaveBeenCalledTimes(1);
    gate.reject(0, authError("server-error"));
    await settle();
    expect(gate.requestToken).toHaveBeenCalledTimes(2);
    gate.release(1, "after-retry");
    expect((await first).accessToken).toBe("after-retry");
    expect((await second).accessToken).toBe("after-retry");
  });
});
