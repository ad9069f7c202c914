import { createMemoryTokenStore } from "./memory-token-store.js";
import { REDACTED } from "./redact.js";
import type { AccessToken, ClientAuth, Clock, CustomScope, GetTokenOptions, StoredToken, TokenGrant, TokenStore } from "./types.js";

/** Renew this long before expiry unless told otherwise (what Max Pay's docs advise). */
export const DEFAULT_REFRESH_WINDOW_SECONDS = 300;

export interface TokenManagerOptions {
  /** The store key, from `createCacheKey()`. */
  cacheKey: string;
  /** Performs one token request. Called at most once at a time per manager. */
  requestToken: () => Promise<TokenGrant>;
  /** The scopes asked for: taken as granted when the response names none (RFC 6749 §5.1). */
  requestedScopes?: readonly string[] | undefined;
  store?: TokenStore | undefined;
  clock?: Clock | undefined;
  /** Renew this many seconds before expiry; clamped to half the token's lifetime. Default 300. */
  refreshWindowSeconds?: number | undefined;
}

/**
 * When a stored token should be renewed: `refreshWindowSeconds` before expiry, but never
 * earlier than half-way through its life, so a 60 s token is renewed after 30 s, not on every call.
 */
export function renewAt(token: StoredToken, refreshWindowMs: number): number {
  const lifetime = Math.max(0, token.expiresAt - token.obtainedAt);
  return token.expiresAt - Math.min(refreshWindowMs, lifetime / 2);
}

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

function toAccessToken<Scope extends string>(stored: StoredToken): AccessToken<Scope> {
  const token = {
    accessToken: stored.accessToken,
    tokenType: "Bearer" as const,
    expiresAt: stored.expiresAt,
    scopes: Object.freeze([...stored.scopes]) as readonly Scope[],
  };
  const safe = () => ({ ...token, accessToken: REDACTED });
  Object.defineProperty(token, "toJSON", { value: safe });
  Object.defineProperty(token, inspectSymbol, { value: safe });
  return Object.freeze(token);
}

/**
 * The token lifecycle: the cache (in `store`), renewal before expiry, and single-flight,
 * so that any number of concurrent callers cause one token request.
 */
export function createTokenManager<Scope extends string = string>(options: TokenManagerOptions): ClientAuth<Scope> {
  const store = options.store ?? createMemoryTokenStore(options.clock === undefined ? {} : { clock: options.clock });
  const clock = options.clock ?? Date;
  const refreshWindowMs = (options.refreshWindowSeconds ?? DEFAULT_REFRESH_WINDOW_SECONDS) * 1000;
  const key = options.cacheKey;
  let inflight: Promise<StoredToken> | undefined;
  let last: { stored: StoredToken; token: AccessToken<Scope> } | undefined;

  function remember(stored: StoredToken): AccessToken<Scope> {
    if (last?.stored.accessToken !== stored.accessToken || last.stored.expiresAt !== stored.expiresAt) {
      last = { stored, token: toAccessToken<Scope>(stored) };
    }
    return last.token;
  }

  async function fetchAndStore(): Promise<StoredToken> {
    const obtainedAt = clock.now();
    const grant = await options.requestToken();
    const stored: StoredToken = {
      accessToken: grant.accessToken,
      tokenType: "Bearer",
      obtainedAt,
      expiresAt: obtainedAt + grant.expiresInSeconds * 1000,
      scopes: grant.scopes ?? [...(options.requestedScopes ?? [])],
    };
    await store.set(key, stored, stored.expiresAt - clock.now());
    return stored;
  }

  function renew(): Promise<StoredToken> {
    if (inflight === undefined) {
      inflight = fetchAndStore().finally(() => {
        inflight = undefined;
      });
    }
    return inflight;
  }

  return {
    async getToken(getOptions?: GetTokenOptions) {
      if (getOptions?.forceRefresh !== true) {
        const stored = await store.get(key);
        if (stored !== undefined && clock.now() < renewAt(stored, refreshWindowMs)) return remember(stored);
        // A renewal may have finished while the store was being read.
        if (last !== undefined && last.stored !== stored && clock.now() < renewAt(last.stored, refreshWindowMs)) {
          return last.token;
        }
      }
      return remember(await renew());
    },
    hasScope(scope: Scope | CustomScope) {
      return last !== undefined && last.stored.scopes.includes(scope);
    },
    async invalidate(accessToken?: string) {
      // Forget our own copy first: it is served when the store comes back empty.
      if (last !== undefined && (accessToken === undefined || last.stored.accessToken === accessToken)) {
        last = { stored: { ...last.stored, expiresAt: 0 }, token: last.token };
      }
      if (accessToken !== undefined) {
        const stored = await store.get(key);
        if (stored === undefined || stored.accessToken !== accessToken) return;
      }
      await store.delete(key);
    },
  };
}
