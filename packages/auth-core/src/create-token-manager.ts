import { isAuthError } from "./auth-error.js";
import { createRejectionBackoff } from "./create-rejection-backoff.js";
import { createRequestGuard, isRefusal } from "./create-request-guard.js";
import { createMemoryTokenStore } from "./memory-token-store.js";
import { REDACTED } from "./redact.js";
import { DEFAULT_TIMEOUT_MS } from "./request-token.js";
import { DEFAULT_RETRY, isRetryable, retryDelay, type ResolvedRetry } from "./retry.js";
import { completeClock } from "./system-clock.js";
import type { AccessToken, AuthEvent, ClientAuth, Clock, CustomScope, GetTokenOptions, RetryOptions, StoredToken, TokenGrant, TokenStore } from "./types.js";
import { untilAborted } from "./until-aborted.js";

/** Renew this long before expiry unless told otherwise (what Max Pay's docs advise). */
export const DEFAULT_REFRESH_WINDOW_SECONDS = 300;
/** At most this many token requests per credential per window, retries included. */
export const DEFAULT_TOKEN_REQUEST_LIMIT = { max: 10, windowMs: 60_000 };
/** After this many failed token acquisitions in a row, refuse for `cooldownMs`. */
export const DEFAULT_CIRCUIT_BREAKER = { failureThreshold: 3, cooldownMs: 30_000 };

export interface TokenManagerOptions {
  /** Short provider id, for errors and events. */
  provider?: string | undefined;
  /**
   * The store key, from `createCacheKey()`; or a function giving the key for the credential's
   * current secret, asked on a cold call (never on a warm one), when the secret may rotate.
   */
  cacheKey: string | (() => string | Promise<string>);
  /**
   * Performs one token request (one attempt). Called at most once at a time per manager. A
   * grant that names its `cacheKey` (the secret rotated during the request) is stored there.
   */
  requestToken: () => Promise<TokenGrant & { cacheKey?: string | undefined }>;
  /** The scopes asked for: taken as granted when the response names none (RFC 6749 §5.1). */
  requestedScopes?: readonly string[] | undefined;
  store?: TokenStore | undefined;
  clock?: Clock | undefined;
  /** Renew this many seconds before expiry; clamped to half the token's lifetime. Default 300. */
  refreshWindowSeconds?: number | undefined;
  retry?: RetryOptions | undefined;
  onEvent?: ((event: AuthEvent) => void) | undefined;
  /** A cap on token requests per window (`false`: none). Default 10 per 60 s. */
  tokenRequestLimit?: { max: number; windowMs: number } | false | undefined;
  /** Fail fast for `cooldownMs` after `failureThreshold` failed acquisitions (`false`: never). Default 3, 30 s. */
  circuitBreaker?: { failureThreshold: number; cooldownMs: number } | false | undefined;
  /** The time limit of one token request (`requestToken`), for the worst case a fleet's lock must cover. Default 10000. */
  attemptTimeoutMs?: number | undefined;
  /** For jitter; default `Math.random`. */
  random?: (() => number) | undefined;
  /**
   * How long a token that replaced a rejected one is kept when it is rejected too, before it may
   * be replaced again: `baseMs`, doubling up to `maxMs`. Default 5 min, up to 1 h.
   */
  rejectionBackoff?: { baseMs: number; maxMs: number } | undefined;
}

/**
 * When a stored token should be renewed: `refreshWindowSeconds` before expiry, but never
 * earlier than half-way through its life, so a 60 s token is renewed after 30 s, not on every call.
 */
export function renewAt(token: StoredToken, refreshWindowMs: number): number {
  const lifetime = Math.max(0, token.expiresAt - token.obtainedAt);
  return token.expiresAt - Math.min(refreshWindowMs, lifetime / 2);
}

/** A token is not handed out in its last moments: 5 s, or a quarter of a short lifetime. */
function safetyMargin(lifetimeMs: number): number {
  return Math.min(5_000, Math.max(0, lifetimeMs) / 4);
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

interface Known {
  stored: StoredToken;
  token: AccessToken<string>;
  /** Monotonic deadlines, for tokens this manager fetched itself: a wall-clock jump cannot stretch them. */
  renewAtMono?: number;
  expiresAtMono?: number;
}

/**
 * The token lifecycle: the cache (in `store`), renewal before expiry, single-flight so that any
 * number of concurrent callers cause one token request, retries with backoff, a cap on token
 * requests, a circuit breaker, and serving a still-valid token when its renewal fails.
 */
/** A token manager: a client's `auth`, plus a synchronous look at the cached token for the auth middleware. */
export interface TokenManager<Scope extends string = string> extends ClientAuth<Scope> {
  /**
   * The token `getToken()` would return at once without any I/O (the one this process last saw,
   * while fresh), or `undefined` when getting one needs the store or the provider.
   */
  peekToken(): AccessToken<Scope> | undefined;
  /**
   * The API rejected `accessToken` (a 401 about the token itself). Drops it and resolves `true`
   * when a new token may be fetched now; keeps it and resolves `false` when the token it would
   * replace was itself a rejection's replacement still inside its backoff, or when a token
   * request would be refused now (provider's `Retry-After`, circuit open, request cap): a token
   * the provider still honours elsewhere is then not thrown away for nothing.
   */
  tokenRejected(accessToken: string): Promise<boolean>;
}

export function createTokenManager<Scope extends string = string>(options: TokenManagerOptions): TokenManager<Scope> {
  const provider = options.provider ?? "auth-core";
  const store = options.store ?? createMemoryTokenStore(options.clock === undefined ? {} : { clock: options.clock });
  const clock = completeClock(options.clock);
  const refreshWindowMs = (options.refreshWindowSeconds ?? DEFAULT_REFRESH_WINDOW_SECONDS) * 1000;
  const retry: ResolvedRetry = { ...DEFAULT_RETRY, ...(definedOnly(options.retry) as Partial<ResolvedRetry>) };
  const limit = options.tokenRequestLimit === undefined ? DEFAULT_TOKEN_REQUEST_LIMIT : options.tokenRequestLimit;
  const breaker = options.circuitBreaker === undefined ? DEFAULT_CIRCUIT_BREAKER : options.circuitBreaker;
  const random = options.random ?? Math.random;
  const keyOption = options.cacheKey;
  /** The key last used: where the token in `last` is stored. */
  let currentKey = typeof keyOption === "string" ? keyOption : undefined;
  // The holder's worst case: every attempt's time limit, the last one starting as late as
  // `maxElapsedMs` allows; a shared store keeps its lock (and its waiters) for that long.
  const maxFetchMs = retry.maxElapsedMs + (options.attemptTimeoutMs ?? DEFAULT_TIMEOUT_MS);

  let inflight: Promise<StoredToken> | undefined;
  let last: Known | undefined;
  const guard = createRequestGuard({ provider, limit, breaker, now: () => clock.monotonicNow(), emit });
  const rejections = createRejectionBackoff({ now: () => clock.monotonicNow(), ...options.rejectionBackoff });
  /** After a failed renewal of a still-valid token: no new attempt before this (monotonic); 0 = not stale. */
  let staleUntil = 0;
  let staleFailures = 0;
  /** The failed renewal the backoff was last counted for: one failure, however many callers waited on it. */
  let staleCountedFor: Promise<StoredToken> | undefined;

  function emit(event: AuthEvent): void {
    try {
      options.onEvent?.(event);
    } catch {
      // An observer's failure must not break token handling.
    }
  }

  function storeFailed(operation: "get" | "set" | "delete" | "coordinate", error: unknown): void {
    emit({ type: "token-store-failed", provider, operation, message: error instanceof Error ? error.name : "error" });
  }

  function known(stored: StoredToken): Known {
    if (last?.stored.accessToken !== stored.accessToken || last.stored.expiresAt !== stored.expiresAt) {
      last = { stored, token: toAccessToken<string>(stored) };
    }
    return last;
  }

  // Plain booleans, not type guards: a guard's false branch would wrongly narrow to `undefined`.
  function isFresh(entry: Known | undefined): boolean {
    if (entry === undefined || clock.now() >= renewAt(entry.stored, refreshWindowMs)) return false;
    return entry.renewAtMono === undefined || clock.monotonicNow() < entry.renewAtMono;
  }

  function isUsable(entry: Known | undefined): boolean {
    if (entry === undefined) return false;
    const margin = safetyMargin(entry.stored.expiresAt - entry.stored.obtainedAt);
    if (clock.now() >= entry.stored.expiresAt - margin) return false;
    return entry.expiresAtMono === undefined || clock.monotonicNow() < entry.expiresAtMono - margin;
  }

  /** A provider's `Retry-After` another process was told, from a shared store. */
  async function readNotBefore(key: string): Promise<void> {
    if (store.getNotBefore === undefined) return;
    try {
      const until = await store.getNotBefore(key);
      if (until !== undefined && until > clock.now()) guard.holdUntil(clock.monotonicNow() + (until - clock.now()));
    } catch (error) {
      storeFailed("get", error);
    }
  }

  /** Tells the fleet (through a shared store) that the provider asked for no token request for `retryAfterMs`. */
  async function shareNotBefore(key: string, error: unknown): Promise<void> {
    if (store.setNotBefore === undefined || !isAuthError(error) || error.status === undefined || !(error.retryAfterMs! > 0)) return;
    try {
      await store.setNotBefore(key, clock.now() + error.retryAfterMs!);
    } catch (failure) {
      storeFailed("set", failure);
    }
  }

  /** The store key for the credential as it is now. */
  async function storeKey(): Promise<string> {
    if (typeof keyOption === "string") return keyOption;
    currentKey = await keyOption();
    return currentKey;
  }

  async function acquire(key: string): Promise<StoredToken> {
    const renewal = last !== undefined;
    const started = clock.monotonicNow();
    await readNotBefore(key);
    guard.checkAcquire();
    let previous: unknown;
    for (let attempt = 1; ; attempt++) {
      try {
        guard.checkAttempt();
        const obtainedAt = clock.now();
        const sentMono = clock.monotonicNow();
        const grant = await options.requestToken();
        const lifetimeMs = grant.expiresInSeconds * 1000;
        const stored: StoredToken = {
          accessToken: grant.accessToken,
          tokenType: "Bearer",
          obtainedAt,
          expiresAt: obtainedAt + lifetimeMs,
          scopes: grant.scopes ?? [...(options.requestedScopes ?? [])],
        };
        // A secret rotated during the request: the token belongs to the new secret's key.
        const storedAt = grant.cacheKey ?? key;
        currentKey = storedAt;
        try {
          await store.set(storedAt, stored, stored.expiresAt - clock.now());
        } catch (error) {
          storeFailed("set", error);
        }
        const entry = known(stored);
        entry.expiresAtMono = sentMono + lifetimeMs;
        entry.renewAtMono = sentMono + lifetimeMs - Math.min(refreshWindowMs, lifetimeMs / 2);
        guard.succeeded();
        rejections.obtained(stored.accessToken);
        staleUntil = 0;
        staleFailures = 0;
        emit({ type: "token-fetched", provider, renewal, durationMs: clock.monotonicNow() - started, attempts: attempt, expiresAt: stored.expiresAt });
        return stored;
      } catch (caught) {
        // The request cap stopping a retry: report the failure that needed the retry.
        const error = isRefusal(caught) && previous !== undefined ? previous : caught;
        previous = error;
        const elapsed = clock.monotonicNow() - started;
        if (isRetryable(error) && attempt < retry.maxAttempts && !isRefusal(error) && error === caught) {
          const delayMs = retryDelay(attempt, error, retry, random);
          if (delayMs !== undefined && elapsed + delayMs <= retry.maxElapsedMs) {
            emit({ type: "token-request-retried", provider, attempt, delayMs, code: error.code, status: error.status });
            await clock.sleep(delayMs);
            continue;
          }
        }
        if (isRefusal(error)) throw error;
        guard.failed(error);
        await shareNotBefore(key, error);
        emit({ type: "token-request-failed", provider, durationMs: elapsed, attempts: error === caught ? attempt : attempt - 1, code: isAuthError(error) ? error.code : "server-error", status: isAuthError(error) ? error.status : undefined });
        throw error;
      }
    }
  }

  /**
   * `acquire()`, through the store's cross-process coordination when it has one. With `forced`
   * (a forced refresh), the token being replaced, or one obtained before the force, does not
   * count as fresh: the lock holder fetches anew, and a waiter takes only a token fetched since.
   */
  async function acquireShared(key: string, forced?: Forced): Promise<StoredToken> {
    if (store.coordinate === undefined) return acquire(key);
    let fetchError: { error: unknown } | undefined;
    try {
      return await store.coordinate(
        key,
        () =>
          acquire(key).catch((error: unknown) => {
            fetchError = { error };
            throw error;
          }),
        {
          isFresh: (token) =>
            (forced === undefined || (token.obtainedAt >= forced.at && token.accessToken !== forced.replacing)) && isFresh({ stored: token, token: undefined as never }),
          maxFetchMs,
        },
      );
    } catch (error) {
      if (fetchError !== undefined) throw fetchError.error;
      // The store could not coordinate (e.g. Redis is down): fetch in this process alone.
      storeFailed("coordinate", error);
      return acquire(key);
    }
  }

  function renew(key: string, forced?: Forced): Promise<StoredToken> {
    if (inflight === undefined) {
      inflight = acquireShared(key, forced).finally(() => {
        inflight = undefined;
      });
      // Observed here once and for all: every caller may have given up (aborted) before it fails.
      inflight.catch(() => undefined);
    }
    return inflight;
  }

  /** A failed renewal of a token that is still valid: keep serving it, try again after a backoff. */
  function serveStale(entry: Known, error: unknown, failed: Promise<StoredToken>): AccessToken<Scope> {
    if (failed !== staleCountedFor) {
      staleCountedFor = failed;
      staleFailures++;
      const backoff = Math.min(retry.maxDelayMs, Math.max(1_000, retry.baseDelayMs * 2 ** staleFailures));
      staleUntil = clock.monotonicNow() + backoff;
      emit({ type: "token-served-stale", provider, expiresAt: entry.stored.expiresAt, code: isAuthError(error) ? error.code : "server-error" });
    }
    return entry.token as AccessToken<Scope>;
  }

  async function readStore(key: string): Promise<Known | undefined> {
    try {
      const stored = await store.get(key);
      return stored === undefined ? undefined : known(stored);
    } catch (error) {
      storeFailed("get", error);
      return undefined;
    }
  }

  /** The token this process last saw, while fresh: no store read, no request. */
  function peekToken(): AccessToken<Scope> | undefined {
    const seen = last;
    return seen !== undefined && isFresh(seen) ? (seen.token as AccessToken<Scope>) : undefined;
  }

  async function tokenRejected(accessToken: string): Promise<boolean> {
    // Already replaced (by another caller, or another process): the replay uses the new one.
    if (last !== undefined && last.stored.accessToken !== accessToken) return true;
    if (!rejections.mayReplace(accessToken) || guard.wouldRefuse()) return false;
    rejections.replacing();
    await invalidate(accessToken);
    return true;
  }

  async function invalidate(accessToken?: string): Promise<void> {
    // Forget our own copy first: it is served when the store comes back empty.
    if (last !== undefined && (accessToken === undefined || last.stored.accessToken === accessToken)) {
      last = { stored: { ...last.stored, expiresAt: 0 }, token: last.token };
    }
    try {
      const key = currentKey ?? (await storeKey());
      if (accessToken !== undefined) {
        const stored = await store.get(key);
        if (stored === undefined || stored.accessToken !== accessToken) return;
        // Only while it is still that token: another process may store a new one meanwhile.
        await store.delete(key, accessToken);
        return;
      }
      await store.delete(key);
    } catch (error) {
      storeFailed("delete", error);
    }
  }

  return {
    peekToken,
    tokenRejected,
    invalidate,
    async getToken(getOptions?: GetTokenOptions) {
      const signal = getOptions?.signal;
      signal?.throwIfAborted();
      const force = getOptions?.forceRefresh === true;
      if (!force) {
        const seen = peekToken();
        if (seen !== undefined) return seen;
      }
      // Cold from here on: the key may need the credential's current secret.
      const key = await untilAborted(storeKey(), signal);
      if (!force) {
        const fromStore = await readStore(key);
        if (fromStore !== undefined && isFresh(fromStore)) return fromStore.token as AccessToken<Scope>;
        // A renewal may have finished while the store was being read.
        const mine = last;
        if (mine !== undefined && isFresh(mine)) return mine.token as AccessToken<Scope>;
        const usable = isUsable(fromStore) ? fromStore : isUsable(mine) ? mine : undefined;
        if (usable !== undefined && staleUntil !== 0) {
          // Serving a valid token after a failed renewal: retry in the background once the backoff is over.
          if (clock.monotonicNow() >= staleUntil && inflight === undefined) {
            const background = renew(key);
            background.catch((error: unknown) => {
              if (isUsable(usable)) serveStale(usable, error, background);
            });
          }
          return usable.token as AccessToken<Scope>;
        }
      }
      const pending = force ? renew(key, { at: clock.now(), replacing: last?.stored.accessToken }) : renew(key);
      try {
        return known(await untilAborted(pending, signal)).token as AccessToken<Scope>;
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        const mine = last;
        const usable = force ? undefined : isUsable(mine) ? mine : undefined;
        if (usable !== undefined && isAuthError(error)) return serveStale(usable, error, pending);
        throw error;
      }
    },
    hasScope(scope: Scope | CustomScope) {
      return last !== undefined && last.stored.scopes.includes(scope);
    },
  };
}

/** A forced refresh: when it started (wall clock) and the token it replaces, if this process had one. */
interface Forced {
  at: number;
  replacing: string | undefined;
}


function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
