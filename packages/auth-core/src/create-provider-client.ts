import createClient, { type Client } from "openapi-fetch";
import { resolveClientAuthentication, type ClientAuthenticator, type PreparedClientAuthentication, type SecretClientAuthentication, type WithClientKey } from "./client-authentication.js";
import { AuthMiddleware } from "./create-auth-middleware.js";
import { manualRedirectRequest } from "./manual-redirect-request.js";
import { CredentialManager, type SecretSupplier } from "./create-credential.js";
import { sharedScopes } from "./create-token-manager.js";
import { requestToken, type ErrorContext, type MappedError, type TokenEndpointRequest } from "./request-token.js";
import type { AuthEvent, ClientAuth, Clock, FetchLike, Instrument, Logger, OperationScopes, RetryOptions, TokenGrant, TokenStore } from "./types.js";
import {
  COUNT,
  DURATION_MS,
  InvalidOptionError,
  MAX_TIMER_MS,
  optionalNumber,
  optionalType,
  requireHttpUrl,
  requireLimit,
  requireOperationScopes,
  requireRetry,
  requireScopes,
  requireString,
} from "./validate-options.js";

/** Options every provider's client factory takes. */
export interface CommonClientOptions {
  clientId: string;
  /**
   * The secret, or a function that supplies it (a secret manager, a mounted file): called when
   * a token request needs the secret, never on a warm call, and not kept. When the provider
   * refuses a secret and the function now returns another (it was rotated), the token request
   * is made again at once with the new one. A function that throws or returns no non-empty
   * string fails the call with `invalid-credentials`; the next call asks it again.
   */
  clientSecret: string | SecretSupplier;
  /**
   * How the client authenticates to the token endpoint, where the provider accepts several
   * (`ProviderDefinition.clientAuthentication`): `"client_secret_basic"`, `"client_secret_post"`,
   * or, without `clientSecret`, `{ method: "private_key_jwt", privateKey, keyId?, algorithm? }` or
   * `"tls_client_auth"` (see `WithClientKey`). Default: the provider's first method.
   */
  clientAuthentication?: SecretClientAuthentication | undefined;
  /** Where the token request goes. Each provider has a documented default. */
  tokenUrl?: string | undefined;
  /** Used for token requests and API requests. Default: the global `fetch`, looked up per call. */
  fetch?: FetchLike | undefined;
  /** Where tokens are cached. Default: in memory, for this client alone (as `createMemoryTokenStore()` keeps them). */
  tokenStore?: TokenStore | undefined;
  /** Renew this many seconds before expiry (default 300; clamped to half a token's lifetime). */
  refreshWindowSeconds?: number | undefined;
  /** Time limit of one token request in milliseconds (default 10000). */
  timeoutMs?: number | undefined;
  /** Source of time (default: `Date.now`, `performance.now` and timers). */
  clock?: Clock | undefined;
  /** Retries of the token request. Default `{ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 10000, maxElapsedMs: 30000 }`. */
  retry?: RetryOptions | undefined;
  /** Observes the token lifecycle (fetched, retried, failed, served stale, refused, replayed…); never given a secret. */
  onEvent?: ((event: AuthEvent) => void) | undefined;
  /**
   * Gets one line (no secret, no token) per lifecycle event: pino, winston, `console`, any object
   * with `debug`, `info`, `warn` and `error`. Without it, `PAYAUTH_DEBUG=1` or `DEBUG=payauth*`
   * in the environment prints them to stderr.
   */
  logger?: Logger | undefined;
  /** Tracing and metrics: `instrument` from `@payauth/opentelemetry` (or any `Instrument`). Default: none. */
  instrument?: Instrument | undefined;
  /** At most `max` token requests per `windowMs` for this credential; more fail fast as `rate-limited`. Default 10 per 60 s; `false` turns it off. */
  tokenRequestLimit?: { max: number; windowMs: number } | false | undefined;
  /** After `failureThreshold` failed token acquisitions in a row, fail fast for `cooldownMs`. Default 3 and 30 s; `false` turns it off. */
  circuitBreaker?: { failureThreshold: number; cooldownMs: number } | false | undefined;
  /** Allow `http://` URLs for hosts other than loopback. Default false: only `https://`, or `http://` on localhost. */
  allowInsecureHttp?: boolean | undefined;
  /** Allow creating a client in a browser, where the client secret would be exposed. Default false. */
  dangerouslyAllowBrowser?: boolean | undefined;
  /**
   * Before sending a call, check that the token was granted the scopes its operation needs
   * (`operationScopes`); when not, the call fails with `insufficient-scope`, naming the missing
   * scopes, and no request is sent. A token that names no scopes when none were requested is
   * not checked. Default true; `false` sends every call and lets the API decide.
   */
  scopeCheck?: boolean | undefined;
  /**
   * The scopes each operation needs, keyed `"<METHOD> <path>"` (the path as the spec writes it):
   * `{ "POST /invoices": [["invoices:read_write"]] }`. Merged over the map generated from the
   * provider's spec; yours wins for an operation both name. Pass the `operationScopes` that
   * `scripts/generate.mjs` writes from a fuller spec of your own, with its `paths`. An entry
   * that is `undefined` counts as absent.
   */
  operationScopes?: Partial<OperationScopes> | undefined;
}

/** What the token request of one client is built from. */
export interface TokenRequestContext {
  clientId: string;
  /** `""` when a key authenticates the client (`private_key_jwt`, `tls_client_auth`). */
  clientSecret: string;
  tokenUrl: string;
  audience: string | undefined;
  scopes: readonly string[];
}

/** Everything that makes one provider different; the rest of the lifecycle is shared. */
export interface ProviderDefinition {
  /** Short id, e.g. `maxpay`: the package is `@payauth/<id>` and messages start with it. */
  id: string;
  /**
   * The client authentication methods the provider accepts, its default first; the user picks
   * one with the `clientAuthentication` option. They add the credential to `tokenRequest`'s
   * request. Absent: `tokenRequest` carries `clientSecret` itself, as the provider documents.
   */
  clientAuthentication?: readonly ClientAuthenticator[] | undefined;
  /** The token request for one credential. */
  tokenRequest: (context: TokenRequestContext) => TokenEndpointRequest;
  /** A 2xx token body as a grant, or why it is an error. */
  parseGrant: (body: unknown) => TokenGrant | MappedError;
  /** A token-endpoint error body as an `AuthError` code (`undefined`: use the HTTP status). */
  mapTokenError: (context: ErrorContext) => MappedError | undefined;
  /** Whether an API 401 means the token must be replaced (then the request is replayed once). */
  isTokenRejected: (context: ErrorContext) => boolean;
  /** Headers sent on every API request. */
  apiHeaders?: Readonly<Record<string, string>> | undefined;
  /**
   * How long a token that replaced a rejected one is kept when the API rejects it too, before a
   * new one may be fetched for a rejection: `baseMs`, doubling up to `maxMs` (default 5 min, up
   * to 1 h). Longer for a provider that punishes excessive tokens.
   */
  rejectionBackoff?: { baseMs: number; maxMs: number } | undefined;
}

export interface ProviderClientConfig {
  baseUrl: string;
  tokenUrl: string;
  audience?: string | undefined;
  scopes?: readonly string[] | undefined;
  /** The scopes each operation of the provider's spec needs (its generated `operations.gen.ts`). */
  operationScopes?: OperationScopes | undefined;
}

/**
 * An openapi-fetch client typed by the provider's spec (or by `Paths`, from a fuller spec of
 * your own), with `auth` for its token.
 */
export type ProviderClient<Paths extends {}, Scope extends string> = Client<Paths, `${string}/${string}`> & {
  readonly auth: ClientAuth<Scope>;
};

/**
 * One client's token lifecycle for a provider: the token manager with its credential, and the
 * provider's token request. Everything a client keeps is in its fields (see `Manager`).
 */
class ProviderManager<Scope extends string> extends CredentialManager<Scope> {
  constructor(
    options: ConstructorParameters<typeof CredentialManager>[0],
    credential: ConstructorParameters<typeof CredentialManager>[1],
    clientId: string,
    tokenUrl: string,
    audience: string | undefined,
    readonly definition: ProviderDefinition,
    readonly fetch: FetchLike,
    readonly timeoutMs: number | undefined,
    /** How a provider that offers several methods authenticates the client; `undefined`: its token request carries the secret. */
    readonly authentication: PreparedClientAuthentication | undefined,
  ) {
    super(options, credential, clientId, tokenUrl, audience);
  }

  /** `client.auth`, once asked for. */
  clientAuth: ClientAuth<Scope> | undefined;

  /** For the auth middleware (a `TokenSource`). */
  isTokenRejected(context: ErrorContext): boolean {
    return this.definition.isTokenRejected(context);
  }

  override async send(secret: string): Promise<TokenGrant> {
    const { definition, authentication } = this;
    const build = (clientSecret: string) => definition.tokenRequest({ clientId: this.clientId, clientSecret, tokenUrl: this.tokenUrl, audience: this.audience, scopes: this.requestedScopes ?? [] });
    return requestToken({
      provider: this.provider,
      fetch: this.fetch,
      ...(authentication === undefined ? { request: build(secret), secrets: [secret] } : await authentication.request(secret, build)),
      parseGrant: definition.parseGrant,
      mapError: definition.mapTokenError,
      timeoutMs: this.timeoutMs,
      clock: this.clock,
    });
  }
}

/** Where a client keeps its token manager. */
const managerOf = Symbol("payauth.manager");

/**
 * `client.auth`, made the first time it is read: a platform's thousands of clients that only
 * make calls never pay for its three bound methods (about 190 bytes each). Each method may be
 * passed on alone, as before.
 */
function clientAuth(this: { [managerOf]: ProviderManager<string> }): ClientAuth<string> {
  const manager = this[managerOf];
  return (manager.clientAuth ??= { getToken: manager.getToken.bind(manager), hasScope: manager.hasScope.bind(manager), invalidate: manager.invalidate.bind(manager) });
}

/** The global `fetch`, looked up per call (a test may replace it). */
const globalFetch: FetchLike = (request) => globalThis.fetch(request);

/**
 * URLs already checked, each with the string it gave: the clients of one API parse its URLs
 * once and share the strings. Bounded: past 256, a URL is checked for its own client.
 */
const checkedUrls = new Map<string, string>();

/** `requireHttpUrl`'s href; for a base URL (no query), without trailing slashes. */
function checkedUrl(id: string, option: string, value: unknown, allowHttp: boolean, base: boolean): string {
  const key = typeof value === "string" ? `${+base}${+allowHttp}${value}` : "";
  let href = checkedUrls.get(key);
  if (href === undefined) {
    href = requireHttpUrl(id, option, value, allowHttp, base ? { query: false } : {}).href;
    if (base) href = href.replace(/\/+$/, "");
    if (checkedUrls.size < 256) checkedUrls.set(key, href);
  }
  return href;
}

/**
 * Builds a provider's client: validates the options, wires the token manager to the
 * provider's token request, and installs the auth middleware on an openapi-fetch client.
 */
export function createProviderClient<Paths extends {}, Scope extends string>(
  provider: ProviderDefinition,
  options: CommonClientOptions | WithClientKey<CommonClientOptions>,
  config: ProviderClientConfig,
): ProviderClient<Paths, Scope> {
  const id = provider.id;
  if (typeof options !== "object" || options === null) throw new InvalidOptionError(id, "options", "must be an object");
  if (isBrowser() && options.dangerouslyAllowBrowser !== true) {
    throw new InvalidOptionError(id, "dangerouslyAllowBrowser", "is not set, and this looks like a browser: the client secret would be exposed to every visitor. Call the provider from your backend");
  }
  optionalType(id, "dangerouslyAllowBrowser", options.dangerouslyAllowBrowser, "boolean");
  const clientId = requireString(id, "clientId", options.clientId);
  // A provider with one way to authenticate (its token request carries the secret): nothing to prepare.
  const authentication =
    provider.clientAuthentication === undefined && options.clientAuthentication === undefined ? undefined : resolveClientAuthentication(id, clientId, provider.clientAuthentication, options);
  const credential = authentication?.credential ?? (typeof options.clientSecret === "function" ? options.clientSecret : requireString(id, "clientSecret", options.clientSecret));
  const allowHttp = options.allowInsecureHttp === true;
  // baseUrl before tokenUrl: a factory may derive the token URL from it (Max Pay's), so a bad base URL is named as itself.
  const baseUrl = checkedUrl(id, "baseUrl", config.baseUrl, allowHttp, true);
  const tokenUrl = checkedUrl(id, "tokenUrl", config.tokenUrl, allowHttp, false);
  optionalType(id, "allowInsecureHttp", options.allowInsecureHttp, "boolean");
  const refreshWindowSeconds = optionalNumber(id, "refreshWindowSeconds", options.refreshWindowSeconds, { min: 0, max: MAX_TIMER_MS / 1000 });
  const timeoutMs = optionalNumber(id, "timeoutMs", options.timeoutMs, { min: 0, exclusive: true, integer: true, max: MAX_TIMER_MS });
  const userClock: Partial<Record<keyof Clock, unknown>> | undefined = options.clock;
  // now() required; monotonicNow and sleep, when given (not null or undefined), functions too (isBrowser stands in for an absent one).
  if (userClock !== undefined && ![userClock?.now, userClock?.monotonicNow ?? isBrowser, userClock?.sleep ?? isBrowser].every((f) => typeof f === "function")) {
    throw new InvalidOptionError(id, "clock", "must be { now(), monotonicNow?(), sleep?(ms) }");
  }
  optionalType(id, "fetch", options.fetch, "function");
  optionalType(id, "onEvent", options.onEvent, "function");
  optionalType(id, "instrument", options.instrument, "function");
  const retry = requireRetry(id, options.retry);
  const tokenRequestLimit = requireLimit(id, "tokenRequestLimit", options.tokenRequestLimit, { max: COUNT, windowMs: DURATION_MS });
  const circuitBreaker = requireLimit(id, "circuitBreaker", options.circuitBreaker, { failureThreshold: COUNT, cooldownMs: DURATION_MS });
  const store = options.tokenStore;
  if (store !== undefined && !(typeof store?.get === "function" && typeof store.set === "function" && typeof store.delete === "function")) {
    throw new InvalidOptionError(id, "tokenStore", "must have get, set and delete methods");
  }
  const fetch: FetchLike = options.fetch ?? globalFetch;
  // One frozen list for every client asking for the same scopes.
  const scopes = sharedScopes(requireScopes(id, config.scopes));
  optionalType(id, "scopeCheck", options.scopeCheck, "boolean");
  const userOperationScopes = requireOperationScopes(id, options.operationScopes);
  // The provider's own map as it is (its index is built once and shared), merged only with yours.
  const operationScopes = options.scopeCheck === false ? undefined : userOperationScopes === undefined ? config.operationScopes : { ...config.operationScopes, ...userOperationScopes };

  const manager = new ProviderManager<Scope>(
    {
      provider: id,
      store,
      clock: options.clock,
      refreshWindowSeconds,
      requestedScopes: scopes,
      retry,
      onEvent: options.onEvent,
      logger: options.logger,
      instrument: options.instrument,
      tokenRequestLimit,
      circuitBreaker,
      attemptTimeoutMs: timeoutMs,
      rejectionBackoff: provider.rejectionBackoff,
    },
    credential,
    clientId,
    tokenUrl,
    config.audience,
    provider,
    fetch,
    timeoutMs,
    authentication,
  );

  const client = createClient<Paths>({ baseUrl, fetch, Request: manualRedirectRequest(), ...(provider.apiHeaders ? { headers: provider.apiHeaders } : {}) });
  client.use(new AuthMiddleware(manager, baseUrl, operationScopes));
  // Users get the three public methods as `auth` (see clientAuth); the middleware uses the manager itself.
  Object.defineProperty(client, managerOf, { value: manager });
  return Object.defineProperty(client, "auth", { get: clientAuth, enumerable: true }) as ProviderClient<Paths, Scope>;
}

/** A page in a browser or a web worker (not Node, Deno, Bun or an edge runtime). */
function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown; importScripts?: unknown };
  return (typeof g.window === "object" && typeof g.document === "object") || typeof g.importScripts === "function";
}
