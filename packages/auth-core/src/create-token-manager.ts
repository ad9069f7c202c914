import { isAuthError, noteAcquisition } from "./auth-error.js";
import { DEFAULT_REJECTION_BACKOFF, RejectionBackoff } from "./create-rejection-backoff.js";
import { isRefusal, RequestGuard, type GuardOwner } from "./create-request-guard.js";
import { observers } from "./debug-log.js";
import { acquired, fetchedWith, instruments, mark } from "./instrument.js";
import { REDACTED, storeMessage } from "./redact.js";
import { DEFAULT_TIMEOUT_MS } from "./request-token.js";
import { DEFAULT_RETRY, isRetryable, retryDelay, type ResolvedRetry } from "./retry.js";
import { completeClock } from "./system-clock.js";
import type { AccessToken, AuthEvent, ClientAuth, Clock, CustomScope, FetchReason, Acquisition, GetTokenOptions, Instrument, Logger, RetryOptions, StoredToken, TokenGrant, TokenStore } from "./types.js";
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
  /** Gets one line per lifecycle event (pino, winston, console…). Without it, `PAYAUTH_DEBUG=1` or `DEBUG=payauth*` prints them to stderr. */
  logger?: Logger | undefined;
  /** Tracing and metrics (`@payauth/opentelemetry`): wraps each cold acquisition, and gets every event and cache hit. */
  instrument?: Instrument | undefined;
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

const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/**
 * Scope lists as tokens hold them: frozen, and one array for every token granted the same
 * scopes (thousands of clients with the same grant keep one list). Bounded: past 256 different
 * lists, a list is frozen without being kept.
 */
const scopeLists = new Map<string, readonly string[]>();

export function sharedScopes(scopes: readonly string[]): readonly string[] {
  const key = JSON.stringify(scopes);
  let list = scopeLists.get(key);
  if (list === undefined) {
    list = Object.freeze([...scopes]);
    if (scopeLists.size < 256) scopeLists.set(key, list);
  }
  return list;
}

/**
 * What `getToken()` returns: frozen, the token redacted from `JSON.stringify` and
 * `util.inspect` (methods on the prototype, nothing per token but its fields). It also keeps
 * the `Authorization` header value for the auth middleware, and the token's characters only
 * once: `accessToken` is a slice of that value.
 */
export class Token implements AccessToken<string> {
  readonly accessToken: string;
  readonly tokenType = "Bearer" as const;
  readonly expiresAt: number;
  readonly scopes: readonly string[];
  readonly #bearer: string;

  constructor(stored: StoredToken) {
    this.#bearer = `Bearer ${stored.accessToken}`;
    this.accessToken = this.#bearer.slice(7);
    this.expiresAt = stored.expiresAt;
    this.scopes = sharedScopes(stored.scopes);
    Object.freeze(this);
  }

  /** `Bearer <token>` for a token this module made, else `undefined`. */
  static bearer(token: object): string | undefined {
    return #bearer in token ? token.#bearer : undefined;
  }

  toJSON(): object {
    return { ...this, accessToken: REDACTED };
  }

  [inspectSymbol](): object {
    return this.toJSON();
  }
}

/**
 * The Token made for a StoredToken object, for clients that share a store holding objects (the
 * memory store): the second client to read a token reuses the first one's, header value included.
 */
const tokensOf = new WeakMap<StoredToken, Token>();

/** A token this manager has seen. */
class Known {
  /** Monotonic deadlines, for tokens this manager fetched itself: a wall-clock jump cannot stretch them. */
  renewAtMono: number | undefined = undefined;
  expiresAtMono: number | undefined = undefined;
  constructor(
    readonly stored: StoredToken,
    readonly token: AccessToken<string>,
  ) {}
}

/**
 * The store of a manager given none: its own tokens, in this process, as
 * `createMemoryTokenStore()` keeps them (dropped at expiry, a later token kept, a delete of
 * another token ignored) for the one key a client uses at a time, without a `Map`.
 */
class OwnStore implements TokenStore {
  key: string | undefined = undefined;
  token: StoredToken | undefined = undefined;
  constructor(readonly clock: Required<Clock>) {}

  // Dropped at expiry: its manager stores a token for the time it has left.
  #live(key: string): StoredToken | undefined {
    const { token } = this;
    return key === this.key && token !== undefined && this.clock.now() < token.expiresAt ? token : undefined;
  }

  async get(key: string): Promise<StoredToken | undefined> {
    return this.#live(key);
  }

  async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    // (ttlMs is the time the token has left: it is dropped when it expires.)
    const current = this.#live(key);
    if (current !== undefined && current.obtainedAt > token.obtainedAt) return;
    this.key = key;
    this.token = ttlMs > 0 ? token : undefined;
  }

  async delete(key: string, accessToken?: string): Promise<void> {
    if (key === this.key && (accessToken === undefined || this.token?.accessToken === accessToken)) this.token = this.key = undefined;
  }
}

/** One complete clock per clock object: clients sharing a clock share its completion. */
const completed = new WeakMap<Clock, Required<Clock>>();

function clockOf(clock: Clock | undefined): Required<Clock> {
  if (clock === undefined) return completeClock(undefined);
  let full = completed.get(clock);
  if (full === undefined) completed.set(clock, (full = completeClock(clock)));
  return full;
}

/** After a failed renewal of a still-valid token: no new attempt before `until` (monotonic). */
interface Stale {
  until: number;
  failures: number;
  /** The failed renewal the backoff was last counted for: one failure, however many callers waited on it. */
  countedFor: Promise<StoredToken>;
}

/** A manager's options but the credential's: a subclass implements `storeKey()` and `requestToken()`. */
export type ManagerOptions = Omit<TokenManagerOptions, "cacheKey" | "requestToken">;

/** A forced refresh: when it started (wall clock) and the token it replaces, if this process had one. */
interface Forced {
  at: number;
  replacing: string | undefined;
}

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

/**
 * The token lifecycle: the cache (in `store`), renewal before expiry, single-flight so that any
 * number of concurrent callers cause one token request, retries with backoff, a cap on token
 * requests, a circuit breaker, and serving a still-valid token when its renewal fails.
 *
 * A class, its methods on the prototype: a platform keeps one per merchant, so a manager is its
 * fields and nothing else. What most clients never need (the request guard, the rejection
 * backoff, the stale-serving state) is made on first use.
 */
export abstract class Manager<Scope extends string = string> implements TokenManager<Scope>, GuardOwner {
  readonly provider: string;
  readonly store: TokenStore;
  readonly clock: Required<Clock>;
  readonly refreshWindowMs: number;
  readonly retry: ResolvedRetry;
  readonly limit: { max: number; windowMs: number } | false;
  readonly breaker: { failureThreshold: number; cooldownMs: number } | false;
  /** The holder's worst case: every attempt's time limit, the last one starting as late as `maxElapsedMs` allows. */
  readonly maxFetchMs: number;
  readonly requestedScopes: readonly string[] | undefined;
  readonly onEvent: ((event: AuthEvent) => void) | undefined;
  readonly random: (() => number) | undefined;
  readonly rejectionBackoff: { baseMs: number; maxMs: number } | undefined;
  /** The key last used: where the token in `last` is stored. */
  currentKey: string | undefined = undefined;
  inflight: Promise<StoredToken> | undefined = undefined;
  last: Known | undefined = undefined;
  /** Made on first need; until then, the one token request to count (monotonic ms). */
  guard: RequestGuard | undefined = undefined;
  lastAttemptAt: number | undefined = undefined;
  rejections: RejectionBackoff | undefined = undefined;
  stale: Stale | undefined = undefined;

  constructor(options: ManagerOptions) {
    this.provider = options.provider ?? "auth-core";
    this.clock = clockOf(options.clock);
    this.store = options.store ?? new OwnStore(this.clock);
    this.refreshWindowMs = (options.refreshWindowSeconds ?? DEFAULT_REFRESH_WINDOW_SECONDS) * 1000;
    this.retry = options.retry === undefined ? DEFAULT_RETRY : { ...DEFAULT_RETRY, ...(definedOnly(options.retry) as Partial<ResolvedRetry>) };
    this.limit = options.tokenRequestLimit === undefined ? DEFAULT_TOKEN_REQUEST_LIMIT : options.tokenRequestLimit;
    this.breaker = options.circuitBreaker === undefined ? DEFAULT_CIRCUIT_BREAKER : options.circuitBreaker;
    // A shared store keeps its lock (and its waiters) for that long.
    this.maxFetchMs = this.retry.maxElapsedMs + (options.attemptTimeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.requestedScopes = options.requestedScopes;
    this.onEvent = observers(this.provider, options);
    const { instrument } = options;
    if (instrument) {
      instruments.set(this, instrument);
      instrument.attach?.(this);
    }
    this.random = options.random;
    this.rejectionBackoff = options.rejectionBackoff;
  }

  mono(): number {
    return this.clock.monotonicNow();
  }

  emit(event: AuthEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // An observer's failure must not break token handling.
    }
  }

  /**
   * One token request (one attempt). Called at most once at a time. A grant that names its
   * `cacheKey` (the secret rotated during the request) is stored there.
   */
  abstract requestToken(): Promise<TokenGrant & { cacheKey?: string | undefined }>;

  /** The store key for the credential as it is now (asked on cold calls only); sets `currentKey`. */
  abstract storeKey(): Promise<string>;

  /** Whether the store is the caller's (shared, maybe), not this manager's own. */
  #shared(): boolean {
    return !this.hasOwnStore();
  }

  /** Whether this manager keeps its tokens in a store of its own (it was given none): its key need not tell credentials apart. */
  hasOwnStore(): boolean {
    return this.store instanceof OwnStore;
  }

  #storeFailed(operation: "get" | "set" | "delete" | "coordinate", error: unknown, token?: string): void {
    this.emit({ type: "token-store-failed", provider: this.provider, operation, message: storeMessage(error, [this.last?.stored.accessToken, token, (this as { secret?: unknown }).secret]) });
  }

  /** The store's report of a value none of its keys decrypts: one event per read. */
  #undecryptable(operation: "get" | "coordinate"): { onUndecryptable: () => void } {
    let told = false;
    return { onUndecryptable: () => void (told || ((told = true), this.emit({ type: "token-store-undecryptable", provider: this.provider, operation }))) };
  }

  /** The Known for `stored`: the last one while it is the same token, else a new one (with `made`, its Token). */
  #known(stored: StoredToken, made?: Token): Known {
    const last = this.last;
    if (last?.stored.accessToken === stored.accessToken && last.stored.expiresAt === stored.expiresAt) return last;
    let token = made ?? (this.#shared() ? tokensOf.get(stored) : undefined);
    if (token === undefined) {
      token = new Token(stored);
      if (this.#shared()) tokensOf.set(stored, token);
    }
    return (this.last = new Known(stored, token));
  }

  /**
   * Whether `stored` is the token this manager invalidated last (its own copy is kept with
   * `expiresAt` 0): what a failed or outraced delete left in a shared store, never to be used again.
   */
  #dropped(stored: StoredToken): boolean {
    const last = this.last;
    return last !== undefined && last.stored.expiresAt === 0 && last.stored.accessToken === stored.accessToken;
  }

  // Plain booleans, not type guards: a guard's false branch would wrongly narrow to `undefined`.
  #isFresh(stored: StoredToken, renewAtMono?: number): boolean {
    if (this.clock.now() >= renewAt(stored, this.refreshWindowMs)) return false;
    return renewAtMono === undefined || this.mono() < renewAtMono;
  }

  #isUsable(entry: Known | undefined): boolean {
    if (entry === undefined) return false;
    const margin = safetyMargin(entry.stored.expiresAt - entry.stored.obtainedAt);
    if (this.clock.now() >= entry.stored.expiresAt - margin) return false;
    return entry.expiresAtMono === undefined || this.mono() < entry.expiresAtMono - margin;
  }

  // The request guard, made on first need (see RequestGuard).
  #guard(): RequestGuard {
    return (this.guard ??= new RequestGuard(this, this.lastAttemptAt));
  }

  /** Token requests counted within the cap's window while there is no guard: 0 or 1. */
  #recent(windowMs: number): number {
    return this.lastAttemptAt !== undefined && this.mono() - this.lastAttemptAt < windowMs ? 1 : 0;
  }

  #checkAttempt(): void {
    const { limit, guard } = this;
    if (guard !== undefined) return guard.checkAttempt();
    if (limit === false) return;
    // A second token request within the window (or a cap below 2): the guard counts from here on.
    if (this.#recent(limit.windowMs) + 1 >= Math.min(2, limit.max)) return this.#guard().checkAttempt();
    this.lastAttemptAt = this.mono();
  }

  #wouldRefuse(): boolean {
    const { limit, guard } = this;
    if (guard !== undefined) return guard.wouldRefuse();
    return limit !== false && this.#recent(limit.windowMs) >= limit.max;
  }

  /** A provider's `Retry-After` another process was told, from a shared store. */
  async #readNotBefore(key: string): Promise<void> {
    const { store, clock } = this;
    if (store.getNotBefore === undefined) return;
    try {
      const until = await store.getNotBefore(key);
      if (until !== undefined && until > clock.now()) this.#guard().holdUntil(this.mono() + (until - clock.now()));
    } catch (error) {
      this.#storeFailed("get", error);
    }
  }

  /** Tells the fleet (through a shared store) that the provider asked for no token request for `retryAfterMs`. */
  async #shareNotBefore(key: string, error: unknown): Promise<void> {
    const { store } = this;
    if (store.setNotBefore === undefined || !isAuthError(error) || error.status === undefined || !(error.retryAfterMs! > 0)) return;
    try {
      await store.setNotBefore(key, this.clock.now() + error.retryAfterMs!);
    } catch (failure) {
      this.#storeFailed("set", failure);
    }
  }

  async #acquire(key: string, forced?: Forced): Promise<StoredToken> {
    const { clock, provider, retry } = this;
    const renewal = this.last !== undefined;
    // Why, and for whom: a renewal retried in the background while a still-valid token is served.
    const reason: FetchReason = forced !== undefined ? "forced" : !renewal ? (this.#shared() ? "store-miss" : "cold") : this.last!.stored.expiresAt === 0 ? "invalidated" : "expiring";
    const source = this.stale !== undefined && this.#isUsable(this.last) ? "background" : "call";
    const started = this.mono();
    await this.#readNotBefore(key);
    this.guard?.checkAcquire();
    let previous: unknown;
    for (let attempt = 1; ; attempt++) {
      try {
        this.#checkAttempt();
        const obtainedAt = clock.now();
        const sentMono = this.mono();
        const grant = await this.requestToken();
        const lifetimeMs = grant.expiresInSeconds * 1000;
        const stored: StoredToken = {
          accessToken: grant.accessToken,
          tokenType: "Bearer",
          obtainedAt,
          expiresAt: obtainedAt + lifetimeMs,
          scopes: sharedScopes(grant.scopes ?? this.requestedScopes ?? []) as string[],
        };
        // The token's characters once: what is stored is the slice of the header value the Token keeps.
        const token = new Token(stored);
        stored.accessToken = token.accessToken;
        if (this.#shared()) tokensOf.set(stored, token);
        // A secret rotated during the request: the token belongs to the new secret's key.
        const storedAt = grant.cacheKey ?? key;
        this.currentKey = storedAt;
        try {
          await this.store.set(storedAt, stored, stored.expiresAt - clock.now());
        } catch (error) {
          this.#storeFailed("set", error, stored.accessToken);
        }
        const entry = this.#known(stored, token);
        entry.expiresAtMono = sentMono + lifetimeMs;
        entry.renewAtMono = sentMono + lifetimeMs - Math.min(this.refreshWindowMs, lifetimeMs / 2);
        this.guard?.succeeded();
        const replaced = this.rejections?.obtained(stored.accessToken);
        if (replaced === false) this.rejections = undefined;
        this.stale = undefined;
        fetchedWith.set(stored, attempt);
        this.emit({ type: "token-fetched", provider, reason: replaced ? "rejected" : reason, source, renewal, durationMs: this.mono() - started, attempts: attempt, expiresAt: stored.expiresAt });
        return stored;
      } catch (caught) {
        // The request cap stopping a retry: report the failure that needed the retry.
        const error = isRefusal(caught) && previous !== undefined ? previous : caught;
        previous = error;
        const elapsed = this.mono() - started;
        if (isRetryable(error) && attempt < retry.maxAttempts && !isRefusal(error) && error === caught) {
          const delayMs = retryDelay(attempt, error, retry, this.random ?? Math.random);
          if (delayMs !== undefined && elapsed + delayMs <= retry.maxElapsedMs) {
            this.emit({ type: "token-request-retried", provider, attempt, delayMs, code: error.code, status: error.status });
            await clock.sleep(delayMs);
            continue;
          }
        }
        if (isRefusal(error)) throw error;
        this.#guard().failed(error);
        await this.#shareNotBefore(key, error);
        const attempts = error === caught ? attempt : attempt - 1;
        noteAcquisition(error, attempts, elapsed);
        this.emit({ type: "token-request-failed", provider, durationMs: elapsed, attempts, code: isAuthError(error) ? error.code : "server-error", status: isAuthError(error) ? error.status : undefined });
        throw error;
      }
    }
  }

  /**
   * `#acquire()`, through the store's cross-process coordination when it has one. With `forced`
   * (a forced refresh), the token being replaced, or one obtained before the force, does not
   * count as fresh: the lock holder fetches anew, and a waiter takes only a token fetched since.
   */
  async #acquireShared(key: string, forced?: Forced): Promise<StoredToken> {
    const { store } = this;
    if (store.coordinate === undefined) return this.#acquire(key, forced);
    let fetchError: { error: unknown } | undefined;
    try {
      return await store.coordinate(
        key,
        () =>
          this.#acquire(key, forced).catch((error: unknown) => {
            fetchError = { error };
            throw error;
          }),
        {
          isFresh: (token) => (forced === undefined || (token.obtainedAt >= forced.at && token.accessToken !== forced.replacing)) && !this.#dropped(token) && this.#isFresh(token),
          maxFetchMs: this.maxFetchMs,
          ...this.#undecryptable("coordinate"),
        },
      );
    } catch (error) {
      if (fetchError !== undefined) throw fetchError.error;
      // The store could not coordinate (e.g. Redis is down): fetch in this process alone.
      this.#storeFailed("coordinate", error);
      return this.#acquire(key, forced);
    }
  }

  #renew(key: string, forced?: Forced): Promise<StoredToken> {
    if (this.inflight === undefined) {
      const inflight = (this.inflight = this.#acquireShared(key, forced).finally(() => {
        this.inflight = undefined;
      }));
      // Observed here once and for all: every caller may have given up (aborted) before it fails.
      inflight.catch(() => undefined);
    }
    return this.inflight;
  }

  /** A failed renewal of a token that is still valid: keep serving it, try again after a backoff. */
  #serveStale(entry: Known, error: unknown, failed: Promise<StoredToken>): AccessToken<Scope> {
    if (failed !== this.stale?.countedFor) {
      const failures = (this.stale?.failures ?? 0) + 1;
      const { maxDelayMs, baseDelayMs } = this.retry;
      this.stale = { until: this.mono() + Math.min(maxDelayMs, Math.max(1_000, baseDelayMs * 2 ** failures)), failures, countedFor: failed };
      this.emit({ type: "token-served-stale", provider: this.provider, expiresAt: entry.stored.expiresAt, code: isAuthError(error) ? error.code : "server-error" });
    }
    return entry.token as AccessToken<Scope>;
  }

  async #readStore(key: string): Promise<Known | undefined> {
    try {
      const stored = await this.store.get(key, this.#undecryptable("get"));
      return stored === undefined || this.#dropped(stored) ? undefined : this.#known(stored);
    } catch (error) {
      this.#storeFailed("get", error);
      return undefined;
    }
  }

  /** The token this process last saw, while fresh: no store read, no request. */
  peekToken(): AccessToken<Scope> | undefined {
    const seen = this.last;
    return seen !== undefined && this.#isFresh(seen.stored, seen.renewAtMono) ? (seen.token as AccessToken<Scope>) : undefined;
  }

  async tokenRejected(accessToken: string): Promise<boolean> {
    // Already replaced (by another caller, or another process): the replay uses the new one.
    if (this.last !== undefined && this.last.stored.accessToken !== accessToken) return true;
    if (this.rejections?.mayReplace(accessToken) === false || this.#wouldRefuse()) return false;
    (this.rejections ??= new RejectionBackoff(() => this.mono(), this.rejectionBackoff ?? DEFAULT_REJECTION_BACKOFF)).replacing();
    await this.invalidate(accessToken);
    return true;
  }

  async invalidate(accessToken?: string): Promise<void> {
    const { last, store } = this;
    // Forget our own copy first: it is served when the store comes back empty.
    if (last !== undefined && (accessToken === undefined || last.stored.accessToken === accessToken)) {
      this.last = new Known({ ...last.stored, expiresAt: 0 }, last.token);
    }
    try {
      const key = this.currentKey ?? (await this.storeKey());
      if (accessToken !== undefined) {
        const stored = await store.get(key);
        if (stored === undefined || stored.accessToken !== accessToken) return;
        // Only while it is still that token: another process may store a new one meanwhile.
        await store.delete(key, accessToken);
        return;
      }
      await store.delete(key);
    } catch (error) {
      this.#storeFailed("delete", error);
    }
  }

  /** `span`: what this call, run by the instrument, reports (see `Instrument`). */
  async getToken(getOptions?: GetTokenOptions, span?: Acquisition): Promise<AccessToken<Scope>> {
    const signal = getOptions?.signal;
    signal?.throwIfAborted();
    const force = getOptions?.forceRefresh === true;
    if (!force) {
      const seen = this.peekToken();
      if (seen !== undefined) return seen;
    }
    const instrument = span ? undefined : instruments.get(this);
    if (instrument) {
      const acquisition = { provider: this.provider };
      return instrument("acquire", acquisition, () => this.getToken(getOptions, acquisition));
    }
    // Cold from here on: the key may need the credential's current secret.
    const key = await untilAborted(this.storeKey(), signal);
    if (!force) {
      const fromStore = await this.#readStore(key);
      if (fromStore !== undefined && this.#isFresh(fromStore.stored, fromStore.renewAtMono)) return mark(span, this.#shared() ? "store" : "cache", fromStore.token as AccessToken<Scope>);
      // A renewal may have finished while the store was being read.
      const mine = this.last;
      if (mine !== undefined && this.#isFresh(mine.stored, mine.renewAtMono)) return mark(span, "cache", mine.token as AccessToken<Scope>);
      const usable = this.#isUsable(fromStore) ? fromStore : this.#isUsable(mine) ? mine : undefined;
      if (usable !== undefined && this.stale !== undefined) {
        // Serving a valid token after a failed renewal: retry in the background once the backoff is over.
        if (this.mono() >= this.stale.until && this.inflight === undefined) {
          const background = this.#renew(key);
          background.catch((error: unknown) => {
            if (this.#isUsable(usable)) this.#serveStale(usable, error, background);
          });
        }
        return mark(span, "stale", usable.token as AccessToken<Scope>);
      }
    }
    const pending = force ? this.#renew(key, { at: this.clock.now(), replacing: this.last?.stored.accessToken }) : this.#renew(key);
    try {
      return this.#known(acquired(span, await untilAborted(pending, signal))).token as AccessToken<Scope>;
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      const mine = this.last;
      const usable = force ? undefined : this.#isUsable(mine) ? mine : undefined;
      if (usable !== undefined && isAuthError(error)) return mark(span, "stale", this.#serveStale(usable, error, pending));
      throw error;
    }
  }

  hasScope(scope: Scope | CustomScope): boolean {
    return this.last !== undefined && this.last.stored.scopes.includes(scope);
  }
}

/**
 * A token manager with its methods bound, so that each may be passed on alone
 * (`peekToken: manager.peekToken`). Provider clients use a `Manager` itself.
 */
/** A manager whose key and token request are its options' `cacheKey` and `requestToken`. */
class OptionsManager<Scope extends string> extends Manager<Scope> {
  readonly #options: TokenManagerOptions;
  constructor(options: TokenManagerOptions) {
    super(options);
    this.#options = options;
    if (typeof options.cacheKey === "string") this.currentKey = options.cacheKey;
  }

  requestToken(): Promise<TokenGrant & { cacheKey?: string | undefined }> {
    return this.#options.requestToken();
  }

  async storeKey(): Promise<string> {
    const option = this.#options.cacheKey;
    return typeof option === "string" ? option : (this.currentKey = await option());
  }
}

export function createTokenManager<Scope extends string = string>(options: TokenManagerOptions): TokenManager<Scope> {
  const manager = new OptionsManager<Scope>(options);
  return {
    getToken: (getOptions) => manager.getToken(getOptions),
    hasScope: (scope) => manager.hasScope(scope),
    invalidate: (accessToken) => manager.invalidate(accessToken),
    peekToken: () => manager.peekToken(),
    tokenRejected: (accessToken) => manager.tokenRejected(accessToken),
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
