import type { AuthErrorCode } from "./auth-error.js";

/**
 * A source of time. Only `now()` (epoch ms, the wall clock) is required; inject one in tests.
 * `monotonicNow()` (default `performance.now()`) guards against wall-clock jumps, and
 * `sleep()` (default a timer) waits between retries.
 */
export interface Clock {
  now(): number;
  monotonicNow?(): number;
  sleep?(ms: number): Promise<void>;
}

/** Retries of the token request (network errors, timeouts, 408, 429, 5xx; never 400/401/403). */
export interface RetryOptions {
  /** Attempts in all, the first included; 1 means no retry. Default 3. */
  maxAttempts?: number | undefined;
  /** The first retry waits up to this long (full jitter), doubling each time. Default 200. */
  baseDelayMs?: number | undefined;
  /** No single wait is longer than this, `Retry-After` included. Default 10000. */
  maxDelayMs?: number | undefined;
  /** No retry starts later than this after the first attempt. Default 30000. */
  maxElapsedMs?: number | undefined;
}

/**
 * Why a token was fetched: `"cold"` (this process had none, and there is no shared store),
 * `"store-miss"` (this process had none, and the shared store had no fresh one), `"expiring"`
 * (the token held is in its renewal window, or past it), `"rejected"` (the API answered 401 to
 * it), `"invalidated"` (`auth.invalidate()`), `"forced"` (`getToken({ forceRefresh: true })`).
 */
export type FetchReason = "cold" | "store-miss" | "expiring" | "rejected" | "invalidated" | "forced";

/**
 * What the `onEvent` hook receives. Never holds a secret or a token.
 *
 * - `token-fetched`: this process got a token from the token endpoint; `reason` says why, `source`
 *   who waited for it: `"call"` (a call, or `getToken()`), `"background"` (a renewal retried in the
 *   background while a still-valid token was served after a failed one). `renewal`: it had a token before.
 * - `request-replayed`: the API answered 401 to the token (it expired or was revoked early): a new
 *   token was taken and the request sent again once; `status` is the replay's answer.
 * - `token-store-undecryptable`: the shared store holds a value for this credential that none of
 *   the store's keys decrypts (processes of a fleet with different encryption keys overwrite each
 *   other's tokens): counted as a miss.
 * - `circuit-opened`: `failures` failed acquisitions in a row: token requests pause for `cooldownMs`.
 * - `scope-check-refused`: a call failed with `insufficient-scope` before it was sent.
 */
export type AuthEvent =
  | { type: "token-fetched"; provider: string; reason: FetchReason; source: "call" | "background"; renewal: boolean; durationMs: number; attempts: number; expiresAt: number }
  | { type: "token-request-retried"; provider: string; attempt: number; delayMs: number; code: AuthErrorCode; status: number | undefined }
  | { type: "token-request-failed"; provider: string; durationMs: number; attempts: number; code: AuthErrorCode; status: number | undefined }
  | { type: "token-served-stale"; provider: string; expiresAt: number; code: AuthErrorCode }
  | { type: "token-request-refused"; provider: string; reason: "circuit-open" | "request-limit" | "retry-after"; retryAfterMs: number }
  | { type: "token-store-failed"; provider: string; operation: "get" | "set" | "delete" | "coordinate"; message: string }
  | { type: "token-store-undecryptable"; provider: string; operation: "get" | "coordinate" }
  | { type: "request-replayed"; provider: string; method: string; status: number }
  | { type: "circuit-opened"; provider: string; failures: number; cooldownMs: number; code: AuthErrorCode }
  | { type: "scope-check-refused"; provider: string; operation: string; missingScopes: readonly string[] };

/**
 * Where payauth's debug lines go: pino, winston, `console`, or any object with these four
 * methods. Each is called with one line of text (no secret, no token), at a level by event:
 * `error` for a failed token acquisition, `warn` for a stale token served, a refused token
 * request, a store failure, an undecryptable store value or an opened circuit, `info` for a
 * retry or a scope-check refusal, `debug` for a token fetched or a request replayed.
 */
export interface Logger {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
  error(message: string): unknown;
}

/** Where the token a call got came from: this process (`cache`), the shared store (`store`), the token endpoint (`fetched`), or a still-valid token served while its renewal fails (`stale`). */
export type AcquisitionSource = "cache" | "store" | "fetched" | "stale";

/** What an instrumented token acquisition reports (see `Instrument`). Never a secret or a token. */
export interface Acquisition {
  provider: string;
  /** Set once the acquisition succeeded. */
  source?: AcquisitionSource;
  /** For a token fetched: the token requests it took (retries included). */
  attempts?: number;
}

/**
 * A tracing and metrics hook, what `@payauth/opentelemetry` provides (the `instrument` option).
 * The function wraps each cold token acquisition (`operation` `"acquire"`: a call that finds no
 * fresh token in this process): it must call `run` within its own context (e.g. with an
 * OpenTelemetry span active, so that the token request's HTTP span is that span's child) and
 * return or rethrow what `run` gives. Once `run` resolves, `acquisition` says where the token
 * came from (and, fetched, in how many token requests); when it rejects, the `AuthError` has the
 * rest (`code`, `status`, `attempts`, `elapsedMs`).
 */
export interface Instrument {
  <T>(operation: "acquire", acquisition: Acquisition, run: () => Promise<T>): Promise<T>;
  /** Optional: every lifecycle event, as `onEvent` receives them (for metrics). */
  onEvent?: ((event: AuthEvent) => void) | undefined;
  /**
   * Optional: called once with each token manager made with this instrument. `peekToken()` is
   * what every API call asks first (a token there is a cache hit): an instrument may wrap it on
   * `manager` to count hits. Keep that cheap: it runs on every call.
   */
  attach?: ((manager: { readonly provider: string; peekToken(): AccessToken | undefined }) => void) | undefined;
}

/**
 * The scopes each API operation needs, keyed `<METHOD> <path>` with the path as the spec writes
 * it (`"GET /invoices/{invoiceId}"`, openapi-fetch's `schemaPath`). Each entry lists
 * alternatives, as OpenAPI `security` does: the call is allowed when the token was granted every
 * scope of any one of them. `[[]]` (or `[]`) means no scope is needed. `scripts/generate.mjs`
 * writes one from a spec, as `operationScopes` in `operations.gen.ts`.
 */
export type OperationScopes = Readonly<Record<string, readonly (readonly string[])[]>>;

/** The HTTP methods of an OpenAPI path item, as openapi-typescript names them. */
type PathMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/**
 * The operations of an openapi-typescript `paths` type as `<METHOD> <path>`, the keys of
 * `OperationScopes`: for Max Pay's `paths`, `"POST /v1/auth/login" | "GET /v1/me"`.
 */
export type OperationKey<Paths> = {
  [P in keyof Paths & string]: {
    [M in PathMethod & keyof Paths[P]]-?: [Exclude<Paths[P][M], undefined>] extends [never] ? never : `${Uppercase<M>} ${P}`;
  }[PathMethod & keyof Paths[P]];
}[keyof Paths & string];

/**
 * `OperationScopes` for the operations of `Paths` only: in an object literal, another key (a
 * typo, a method the path lacks) does not compile. `OperationScopesFor<any>` takes any key.
 */
export type OperationScopesFor<Paths> = 0 extends 1 & Paths ? Partial<OperationScopes> : { readonly [K in OperationKey<Paths>]?: readonly (readonly string[])[] };

/** The `fetch` signature that openapi-fetch and every token request use. */
export type FetchLike = (input: Request) => Promise<Response>;

/** What callers get from `auth.getToken()`. `accessToken` is redacted from `JSON.stringify` and `util.inspect`. */
export interface AccessToken<Scope extends string = string> {
  readonly accessToken: string;
  readonly tokenType: "Bearer";
  /** Epoch milliseconds, measured from the moment the token request was sent. */
  readonly expiresAt: number;
  /** Scopes granted in the token response (unknown future scopes are kept). */
  readonly scopes: readonly Scope[];
}

/** A token as a `TokenStore` keeps it: plain JSON, so any store can serialise it. */
export interface StoredToken {
  accessToken: string;
  tokenType: "Bearer";
  /** Epoch ms when the token request was sent. */
  obtainedAt: number;
  /** Epoch ms when the token expires. */
  expiresAt: number;
  scopes: string[];
}

/**
 * Where tokens are cached. The default is `createMemoryTokenStore()`; a shared store
 * (e.g. Redis) lets a fleet of processes use one token.
 */
export interface TokenStore {
  /**
   * The token for `key`, or `undefined`. A store that encrypts calls `options.onUndecryptable()`
   * when it holds a value for `key` that none of its keys decrypts (and answers `undefined`).
   */
  get(key: string, options?: StoreReadOptions): Promise<StoredToken | undefined>;
  /**
   * `ttlMs` is how long until the token expires; a store may drop it after that. A store keeps
   * the token it holds when that one was obtained later (a greater `obtainedAt`), so that a
   * process paused mid-request cannot overwrite a newer token (atomically where it can: the
   * Redis store compares in a Lua script).
   */
  set(key: string, token: StoredToken, ttlMs: number): Promise<void>;
  /**
   * Drops the token. With `accessToken`, only while the stored token is that one (atomically
   * where the store can), so that an invalidation never deletes a token another process has
   * just stored. A store that ignores `accessToken` still works: the caller checks first.
   */
  delete(key: string, accessToken?: string): Promise<void>;
  /**
   * Optional: single-flight across processes. Runs `fetch` (which stores the token it gets) in at
   * most one process at a time for `key`; the others wait until a token for which `isFresh` holds
   * appears in the store, and return it. A store that cannot coordinate (its backend is down)
   * throws, and the caller fetches on its own.
   */
  coordinate?(key: string, fetch: () => Promise<StoredToken>, options: CoordinateOptions): Promise<StoredToken>;
  /**
   * Optional: the provider's "not before" for `key` (epoch ms), from a `Retry-After` that one
   * process of a fleet was given, so that every process honours it. `undefined`: none.
   */
  getNotBefore?(key: string): Promise<number | undefined>;
  /** Optional: remembers the provider's "not before" for `key` (epoch ms) until it passes. */
  setNotBefore?(key: string, epochMs: number): Promise<void>;
}

/** What a store's reads may report. */
export interface StoreReadOptions {
  /** The store holds a value for the key that none of its keys decrypts (a fleet with different keys): it counts as a miss. */
  onUndecryptable?: (() => void) | undefined;
}

export interface CoordinateOptions extends StoreReadOptions {
  /** Whether a stored token is good enough to use instead of fetching. */
  isFresh(token: StoredToken): boolean;
  /**
   * The longest the holder's `fetch` may take with its retries (every attempt's time limit and
   * the backoff between them). A store keeps the holder's lock alive while it works and lets
   * waiters wait at least this long, so that no other process starts a token request meanwhile.
   */
  maxFetchMs?: number | undefined;
}

/** What a provider's token endpoint granted, normalised. */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  /** Granted scopes; `undefined` when the response has no `scope`, which means the requested ones (RFC 6749 §5.1). */
  scopes: string[] | undefined;
}

declare const customScopeBrand: unique symbol;

/**
 * A scope the provider added after this package was published: make one with
 * `customScope("new:scope")`. Plain strings are refused at compile time so that a typo in a
 * known scope cannot slip through.
 */
export type CustomScope = string & { readonly [customScopeBrand]: true };

/** The auth handle every client exposes as `client.auth`. */
export interface ClientAuth<Scope extends string = string> {
  /** The cached token, or a fresh one when the cache is cold or close to expiry. */
  getToken(options?: GetTokenOptions): Promise<AccessToken<Scope>>;
  /** Whether the most recent token this client saw grants `scope` (false before the first token). */
  hasScope(scope: Scope | CustomScope): boolean;
  /** Drops the cached token (only when it still is `accessToken`, if given) so the next call fetches a new one. */
  invalidate(accessToken?: string): Promise<void>;
}

export interface GetTokenOptions {
  /** Fetch a new token even if the cached one is still fresh. */
  forceRefresh?: boolean;
  /** Stops this caller's wait; a token request other callers share goes on. */
  signal?: AbortSignal | undefined;
}
