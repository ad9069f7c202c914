import { describe, expect, it, vi } from "vitest";
import { AUTH_ERROR_CODES, AuthError, type AuthErrorCode } from "../src/auth-error.js";
import { DEFAULT_RETRY, isRetryable, retryDelay, type ResolvedRetry } from "../src/retry.js";
import { statusToCode } from "../src/status-to-code.js";
import { authError } from "./support/resilience.js";

const options: ResolvedRetry = { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 10_000, maxElapsedMs: 60_000 };

describe("DEFAULT_RETRY", () => {
  it("is 3 attempts, 200 ms base, 10 s cap, 30 s in all", () => {
    expect(DEFAULT_RETRY).toEqual({ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 10_000, maxElapsedMs: 30_000 });
  });
});

describe("isRetryable", () => {
  const retryable: AuthErrorCode[] = ["network-error", "timeout", "server-error", "rate-limited"];

  it.each(AUTH_ERROR_CODES.map((code) => [code, retryable.includes(code)] as const))("%s → %s", (code, expected) => {
    expect(isRetryable(authError(code))).toBe(expected);
  });

  it.each<[number, boolean]>([
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ])("an AuthError made from HTTP %i → %s", (status, expected) => {
    expect(isRetryable(new AuthError({ code: statusToCode(status, "token"), provider: "acme", message: "m", status }))).toBe(expected);
  });

  it.each([
    ["a plain Error", new Error("server-error")],
    ["a TypeError from fetch", new TypeError("fetch failed")],
    ["a look-alike object", { name: "AuthError", code: "server-error", provider: "acme" }],
    ["a string", "server-error"],
    ["undefined", undefined],
    ["null", null],
  ])("is false for %s", (_, value) => {
    expect(isRetryable(value)).toBe(false);
  });
});

describe("retryDelay", () => {
  it("is full jitter over base × 2^(retry-1): random() × ceiling, floored", () => {
    const high = () => 0.999;
    expect(retryDelay(1, authError("server-error"), options, high)).toBe(199);
    expect(retryDelay(2, authError("server-error"), options, high)).toBe(399);
    expect(retryDelay(3, authError("server-error"), options, high)).toBe(799);
    expect(retryDelay(4, authError("server-error"), options, high)).toBe(1598);
  });

  it("is 0 when random() is 0 and at most ceiling - 1 when random() is just below 1", () => {
    expect(retryDelay(3, authError("timeout"), options, () => 0)).toBe(0);
    expect(retryDelay(3, authError("timeout"), options, () => 1 - Number.EPSILON)).toBe(799);
    expect(retryDelay(3, authError("timeout"), options, () => 0.5)).toBe(400);
  });

  it("caps the ceiling at maxDelayMs", () => {
    const high = () => 0.999;
    // 200 × 2^6 = 12 800 > 10 000.
    expect(retryDelay(7, authError("server-error"), options, high)).toBe(9990);
    expect(retryDelay(30, authError("server-error"), options, high)).toBe(9990);
    expect(retryDelay(3, authError("server-error"), { ...options, maxDelayMs: 500 }, high)).toBe(499);
  });

  it("draws one random number per delay", () => {
    const random = vi.fn(() => 0.25);
    expect(retryDelay(2, authError("server-error"), options, random)).toBe(100);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it("waits at least what Retry-After asked for", () => {
    const error = authError("rate-limited", { retryAfterMs: 1500 });
    expect(retryDelay(1, error, options, () => 0)).toBe(1500);
    expect(retryDelay(1, error, options, () => 0.999)).toBe(1500);
    // A jitter above Retry-After is kept.
    expect(retryDelay(5, error, options, () => 0.999)).toBe(3196);
    expect(retryDelay(1, authError("rate-limited", { retryAfterMs: 0 }), options, () => 0.5)).toBe(100);
  });

  it("accepts a Retry-After of exactly maxDelayMs and gives up on one above it", () => {
    expect(retryDelay(1, authError("rate-limited", { retryAfterMs: 10_000 }), options, () => 0)).toBe(10_000);
    expect(retryDelay(1, authError("rate-limited", { retryAfterMs: 10_001 }), options, () => 0)).toBeUndefined();
    expect(retryDelay(1, authError("server-error", { retryAfterMs: 3_600_000 }), options, () => 0.999)).toBeUndefined();
  });
});
