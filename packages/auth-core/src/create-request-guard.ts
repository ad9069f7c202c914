import { AuthError, isAuthError, type AuthErrorCode } from "./auth-error.js";
import type { AuthEvent } from "./types.js";

/** Why a token request was refused without being sent. */
export type RefusalReason = "circuit-open" | "request-limit" | "retry-after";

export interface RequestGuardOptions {
  provider: string;
  /** A cap on token requests per window (`false`: none). */
  limit: { max: number; windowMs: number } | false;
  /** Fail fast for `cooldownMs` after `failureThreshold` failed acquisitions (`false`: never). */
  breaker: { failureThreshold: number; cooldownMs: number } | false;
  /** Monotonic milliseconds. */
  now: () => number;
  emit: (event: AuthEvent) => void;
}

/**
 * What may stop a token request before it is sent, for one credential: the provider's own
 * "not before" (a `Retry-After` that outlived the call that got it), the circuit breaker and
 * the cap on token requests. Each refusal is an `AuthError` (`isRefusal()` tells it apart:
 * never retried) with the time to wait in `retryAfterMs`. They limit token requests only: a
 * token manager still serves a valid token while they refuse.
 */
export function createRequestGuard(options: RequestGuardOptions) {
  const { provider, limit, breaker, now, emit } = options;
  let requestTimes: number[] = [];
  let consecutiveFailures = 0;
  let lastFailureCode: AuthErrorCode = "server-error";
  let circuitOpenUntil = 0;
  /** The provider asked for no token request before this (monotonic); 0: it did not. */
  let notBefore = 0;

  function refuse(reason: RefusalReason, code: AuthErrorCode, retryAfterMs: number, message: string): never {
    emit({ type: "token-request-refused", provider, reason, retryAfterMs });
    const error = new AuthError({ code, provider, message, retryAfterMs });
    refusals.add(error);
    throw error;
  }

  /** No token request before `until` (monotonic ms), as the provider said (here or to another process). */
  function holdUntil(until: number): void {
    notBefore = Math.max(notBefore, until);
  }

  function recentRequests(at: number): number[] {
    if (limit === false) return requestTimes;
    requestTimes = requestTimes.filter((t) => t > at - limit.windowMs);
    return requestTimes;
  }

  return {
    /** Before an acquisition: refuses while the provider's `Retry-After` runs or the circuit is open. */
    checkAcquire(): void {
      const at = now();
      if (notBefore > at) {
        const wait = Math.ceil(notBefore - at);
        refuse("retry-after", "rate-limited", wait, `token request not sent: the provider asked for none before ${wait} ms from now (Retry-After)`);
      }
      if (breaker !== false && circuitOpenUntil > at) {
        const wait = Math.ceil(circuitOpenUntil - at);
        refuse("circuit-open", lastFailureCode, wait, `token requests paused for ${wait} ms after ${consecutiveFailures} failures in a row (last: ${lastFailureCode})`);
      }
    },
    /** Before each attempt: refuses beyond the cap, else counts the attempt. */
    checkAttempt(): void {
      if (limit === false) return;
      const at = now();
      const recent = recentRequests(at);
      if (recent.length >= limit.max) {
        const retryAfterMs = Math.ceil((recent[0] ?? at) + limit.windowMs - at);
        refuse("request-limit", "rate-limited", retryAfterMs, `token request refused: ${limit.max} token requests within ${limit.windowMs} ms already (tokenRequestLimit)`);
      }
      recent.push(at);
    },
    /** Whether a token request sent now would be refused (without counting or emitting anything). */
    wouldRefuse(): boolean {
      const at = now();
      if (notBefore > at || (breaker !== false && circuitOpenUntil > at)) return true;
      return limit !== false && recentRequests(at).length >= limit.max;
    },
    succeeded(): void {
      consecutiveFailures = 0;
    },
    /** An acquisition failed with `error`: counts towards the breaker, and a provider's `Retry-After` is remembered. */
    failed(error: unknown): void {
      consecutiveFailures++;
      lastFailureCode = isAuthError(error) ? error.code : "server-error";
      const retryAfterMs = isAuthError(error) && error.status !== undefined ? error.retryAfterMs : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > 0) holdUntil(now() + retryAfterMs);
      if (breaker !== false && consecutiveFailures >= breaker.failureThreshold) {
        // Never reopen before the provider said it would answer again.
        circuitOpenUntil = Math.max(now() + breaker.cooldownMs, notBefore);
      }
    },
    holdUntil,
  };
}

export type RequestGuard = ReturnType<typeof createRequestGuard>;

/** Errors a guard raised itself, without a request: never retried, never counted as failures. */
const refusals = new WeakSet<object>();

export function isRefusal(error: unknown): boolean {
  return typeof error === "object" && error !== null && refusals.has(error);
}
