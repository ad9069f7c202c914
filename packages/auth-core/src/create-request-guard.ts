import { AuthError, isAuthError, type AuthErrorCode } from "./auth-error.js";
import type { AuthEvent } from "./types.js";

/** Why a token request was refused without being sent. */
export type RefusalReason = "circuit-open" | "request-limit" | "retry-after";

/** What a guard reads from the token manager it belongs to. */
export interface GuardOwner {
  readonly provider: string;
  /** A cap on token requests per window (`false`: none). */
  readonly limit: { max: number; windowMs: number } | false;
  /** Fail fast for `cooldownMs` after `failureThreshold` failed acquisitions (`false`: never). */
  readonly breaker: { failureThreshold: number; cooldownMs: number } | false;
  /** Monotonic milliseconds. */
  mono(): number;
  emit(event: AuthEvent): void;
}

/**
 * What may stop a token request before it is sent, for one credential: the provider's own
 * "not before" (a `Retry-After` that outlived the call that got it), the circuit breaker and
 * the cap on token requests. Each refusal is an `AuthError` (`isRefusal()` tells it apart:
 * never retried) with the time to wait in `retryAfterMs`. They limit token requests only: a
 * token manager still serves a valid token while they refuse.
 *
 * A token manager makes its guard only when it first needs one (a failure, a `Retry-After`, a
 * second token request within the cap's window): most clients never do, and keep one number.
 */
export class RequestGuard {
  /** Token requests within the cap's window (monotonic ms). */
  #times: number[];
  #failures = 0;
  #lastFailureCode: AuthErrorCode = "server-error";
  #circuitOpenUntil = 0;
  /** The provider asked for no token request before this (monotonic); 0: it did not. */
  #notBefore = 0;

  constructor(
    readonly owner: GuardOwner,
    /** The token request made before the guard was, if any. */
    earlier: number | undefined,
  ) {
    this.#times = earlier === undefined ? [] : [earlier];
  }

  #refuse(reason: RefusalReason, code: AuthErrorCode, retryAfterMs: number, message: string): never {
    const { owner } = this;
    owner.emit({ type: "token-request-refused", provider: owner.provider, reason, retryAfterMs });
    const error = new AuthError({ code, provider: owner.provider, message, retryAfterMs });
    refusals.add(error);
    throw error;
  }

  /** No token request before `until` (monotonic ms), as the provider said (here or to another process). */
  holdUntil(until: number): void {
    this.#notBefore = Math.max(this.#notBefore, until);
  }

  #recent(at: number): number[] {
    const { limit } = this.owner;
    if (limit !== false) this.#times = this.#times.filter((t) => t > at - limit.windowMs);
    return this.#times;
  }

  /** Before an acquisition: refuses while the provider's `Retry-After` runs or the circuit is open. */
  checkAcquire(): void {
    const at = this.owner.mono();
    if (this.#notBefore > at) {
      const wait = Math.ceil(this.#notBefore - at);
      this.#refuse("retry-after", "rate-limited", wait, `token request not sent: the provider asked for none before ${wait} ms from now (Retry-After)`);
    }
    if (this.owner.breaker !== false && this.#circuitOpenUntil > at) {
      const wait = Math.ceil(this.#circuitOpenUntil - at);
      this.#refuse("circuit-open", this.#lastFailureCode, wait, `token requests paused for ${wait} ms after ${this.#failures} failures in a row (last: ${this.#lastFailureCode})`);
    }
  }

  /** Before each attempt: refuses beyond the cap, else counts the attempt. */
  checkAttempt(): void {
    const { limit } = this.owner;
    if (limit === false) return;
    const at = this.owner.mono();
    const recent = this.#recent(at);
    if (recent.length >= limit.max) {
      const retryAfterMs = Math.ceil((recent[0] ?? at) + limit.windowMs - at);
      this.#refuse("request-limit", "rate-limited", retryAfterMs, `token request refused: ${limit.max} token requests within ${limit.windowMs} ms already (tokenRequestLimit)`);
    }
    recent.push(at);
  }

  /** Whether a token request sent now would be refused (without counting or emitting anything). */
  wouldRefuse(): boolean {
    const { limit, breaker } = this.owner;
    const at = this.owner.mono();
    if (this.#notBefore > at || (breaker !== false && this.#circuitOpenUntil > at)) return true;
    return limit !== false && this.#recent(at).length >= limit.max;
  }

  succeeded(): void {
    this.#failures = 0;
  }

  /** An acquisition failed with `error`: counts towards the breaker, and a provider's `Retry-After` is remembered. */
  failed(error: unknown): void {
    const { breaker } = this.owner;
    const now = this.owner.mono();
    this.#failures++;
    this.#lastFailureCode = isAuthError(error) ? error.code : "server-error";
    const retryAfterMs = isAuthError(error) && error.status !== undefined ? error.retryAfterMs : undefined;
    if (retryAfterMs !== undefined && retryAfterMs > 0) this.holdUntil(now + retryAfterMs);
    if (breaker !== false && this.#failures >= breaker.failureThreshold) {
      // Never reopen before the provider said it would answer again.
      this.#circuitOpenUntil = Math.max(now + breaker.cooldownMs, this.#notBefore);
      const { owner } = this;
      owner.emit({ type: "circuit-opened", provider: owner.provider, failures: this.#failures, cooldownMs: Math.ceil(this.#circuitOpenUntil - now), code: this.#lastFailureCode });
    }
  }
}

/** Errors a guard raised itself, without a request: never retried, never counted as failures. */
const refusals = new WeakSet<object>();

export function isRefusal(error: unknown): boolean {
  return typeof error === "object" && error !== null && refusals.has(error);
}
