import { isAuthError } from "./auth-error.js";
import type { AccessToken, GetTokenOptions, Instrument, InstrumentAttributes } from "./types.js";

/** The instrument of each instrumented token manager (the others have none, and no field for it). */
export const instruments = new WeakMap<object, Instrument>();

/** Each token a manager fetched itself: which manager, in how many token requests (clients sharing a memory store share Token objects). */
const fetchedWith = new WeakMap<object, { by: object; attempts: number }>();

/** Notes that `manager` fetched `token` in `attempts` token requests. */
export function fetched(manager: object, token: object, attempts: number): void {
  fetchedWith.set(token, { by: manager, attempts });
}

/** What `traced()` needs of a token manager. */
export interface Traceable {
  readonly provider: string;
  peekToken(): AccessToken | undefined;
  getToken(options: GetTokenOptions | undefined, traced: true): Promise<AccessToken>;
}

/**
 * A cold `getToken()` inside `instrument` (`shared`: whether a token found in the store may
 * come from another process) (one span per caller that has to wait: the first
 * caller's span holds the token request, and the token HTTP request is its child): the token's
 * source, the attempts, and on failure the `AuthError` code and HTTP status, as attributes.
 */
export function traced(manager: Traceable, instrument: Instrument, options: GetTokenOptions | undefined, shared: boolean): Promise<AccessToken> {
  const attributes: InstrumentAttributes = { "payauth.provider": manager.provider };
  return instrument("payauth token acquire", attributes, async () => {
    try {
      const token = await manager.getToken(options, true);
      const mine = fetchedWith.get(token);
      const attempts = mine?.by === manager ? mine.attempts : undefined;
      // Not fresh (what a warm call would get): a still-valid token served after a failed renewal.
      const fresh = Object.getPrototypeOf(manager).peekToken.call(manager) === token;
      attributes["payauth.token.source"] = !fresh ? "stale" : attempts !== undefined ? "fetched" : shared ? "store" : "cache";
      attributes["payauth.token.attempts"] = fresh ? (attempts ?? 0) : 0;
      return token;
    } catch (error) {
      if (isAuthError(error)) {
        attributes["error.type"] = error.code;
        attributes["http.response.status_code"] = error.status;
        attributes["payauth.token.attempts"] = error.attempts ?? 0;
      } else {
        attributes["error.type"] = error instanceof Error ? error.name : "Error";
      }
      throw error;
    }
  });
}

/**
 * Tells `instrument.onCacheHit` of every call a warm token serves: the manager's own
 * `peekToken` (what the auth middleware asks first) counts them. Only an instrumented manager
 * has one; the others keep the prototype's.
 */
export function countHits(manager: { provider: string; peekToken(): AccessToken | undefined }, hit: (provider: string) => void): void {
  const peek = manager.peekToken;
  manager.peekToken = function (this: typeof manager) {
    const token = peek.call(this);
    if (token !== undefined) hit(this.provider);
    return token;
  };
}
