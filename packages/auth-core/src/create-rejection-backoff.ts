/** The first wait before a token that replaced a rejected one may itself be replaced for a rejection. */
export const DEFAULT_REJECTION_BACKOFF = { baseMs: 5 * 60_000, maxMs: 60 * 60_000 };

/**
 * When an API 401 may cost a token request, for one credential. A token is replaced at once the
 * first time it is rejected (a revocation is handled without delay); but when the token that
 * replaced it is rejected too, a new token evidently does not help (an endpoint broken for this
 * credential), so the same token is kept, and the 401 returned, until a backoff passes: 5 min,
 * then doubling up to an hour. An endpoint that always answers 401 costs at most 5 token
 * requests in its first hour and 1 an hour after that, not one per call. A token obtained for
 * any other reason (cold start, expiry) starts over.
 */
export function createRejectionBackoff(options: { now: () => number; baseMs?: number; maxMs?: number }) {
  const baseMs = options.baseMs ?? DEFAULT_REJECTION_BACKOFF.baseMs;
  const maxMs = options.maxMs ?? DEFAULT_REJECTION_BACKOFF.maxMs;
  /** The token obtained because its predecessor was rejected, and how many such replacements in a row. */
  let replacement: string | undefined;
  let streak = 0;
  let holdUntil = 0;
  /** A rejection was accepted: the next token obtained is its replacement. */
  let replacing = false;

  return {
    /** Whether `accessToken`, just rejected by the API, may be replaced now. */
    mayReplace(accessToken: string): boolean {
      return accessToken !== replacement || options.now() >= holdUntil;
    },
    /** The rejected token is being replaced. */
    replacing(): void {
      replacing = true;
    },
    /** A token was obtained: a rejection's replacement (backing off further), or a fresh start. */
    obtained(accessToken: string): void {
      if (replacing) {
        replacing = false;
        streak++;
        replacement = accessToken;
        holdUntil = options.now() + Math.min(maxMs, baseMs * 2 ** (streak - 1));
      } else {
        replacement = undefined;
        streak = 0;
      }
    },
  };
}
