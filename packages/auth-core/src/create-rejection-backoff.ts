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
 *
 * A token manager makes one when a rejection is first accepted, and drops it when a token is
 * obtained for another reason: a client whose tokens are never rejected has none.
 */
export class RejectionBackoff {
  /** The token obtained because its predecessor was rejected, and how many such replacements in a row. */
  #replacement: string | undefined;
  #streak = 0;
  #holdUntil = 0;
  /** A rejection was accepted: the next token obtained is its replacement. */
  #replacing = false;

  constructor(
    /** Monotonic milliseconds. */
    readonly now: () => number,
    readonly options: { baseMs: number; maxMs: number } = DEFAULT_REJECTION_BACKOFF,
  ) {}

  /** Whether `accessToken`, just rejected by the API, may be replaced now. */
  mayReplace(accessToken: string): boolean {
    return accessToken !== this.#replacement || this.now() >= this.#holdUntil;
  }

  /** The rejected token is being replaced. */
  replacing(): void {
    this.#replacing = true;
  }

  /**
   * A token was obtained: a rejection's replacement (backing off further), or a fresh start.
   * Returns whether there is anything left to remember (`false`: a fresh start).
   */
  obtained(accessToken: string): boolean {
    if (!this.#replacing) return false;
    this.#replacing = false;
    this.#streak++;
    this.#replacement = accessToken;
    this.#holdUntil = this.now() + Math.min(this.options.maxMs, this.options.baseMs * 2 ** (this.#streak - 1));
    return true;
  }
}
