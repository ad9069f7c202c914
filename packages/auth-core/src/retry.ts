import { isAuthError, type AuthError, type AuthErrorCode } from "./auth-error.js";
import type { RetryOptions } from "./types.js";

/** Retry options with every value set. */
export type ResolvedRetry = { [K in keyof RetryOptions]-?: number };

export const DEFAULT_RETRY: ResolvedRetry = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 10_000, maxElapsedMs: 30_000 };

const RETRYABLE: ReadonlySet<AuthErrorCode> = new Set(["network-error", "timeout", "server-error", "rate-limited"]);

/** Whether a failed token request may be tried again: network errors, timeouts (408 too), 429 and 5xx. */
export function isRetryable(error: unknown): error is AuthError {
  return isAuthError(error) && RETRYABLE.has(error.code);
}

/**
 * How long to wait before retry number `retry` (1-based): full jitter over a capped exponential
 * (`random() × min(maxDelay, base × 2^(retry-1))`), but at least what `Retry-After` asked for.
 * `undefined` when `Retry-After` asks for more than `maxDelayMs`.
 */
export function retryDelay(retry: number, error: AuthError, options: ResolvedRetry, random: () => number): number | undefined {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * ceiling);
  if (error.retryAfterMs === undefined) return jittered;
  if (error.retryAfterMs > options.maxDelayMs) return undefined;
  return Math.max(jittered, error.retryAfterMs);
}
