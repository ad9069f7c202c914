import type { Middleware, MiddlewareCallbackParams } from "openapi-fetch";
import { AuthError } from "./auth-error.js";
import { builtFromUrl, callerRedirect, followedSignal, manualRedirectRequest, responseNote, type NotedRequest } from "./manual-redirect-request.js";
import { readCappedText } from "./read-capped-text.js";
import type { ErrorContext } from "./request-token.js";
import { Token } from "./create-token-manager.js";
import type { AccessToken, AuthEvent, ClientAuth, FetchLike, GetTokenOptions, OperationScopes } from "./types.js";

export interface AuthMiddlewareOptions {
  auth: ClientAuth;
  /**
   * The token `auth.getToken()` would return at once, if any (a token manager's `peekToken`):
   * lets a call on a warm token skip waiting on a promise. Default: always ask `auth.getToken()`.
   */
  peekToken?: (() => AccessToken | undefined) | undefined;
  /** Only requests to this origin (e.g. `https://api.example.com`) get the token. */
  apiOrigin: string;
  /** Used to replay a request once after its token was rejected, and to follow redirects. */
  fetch: FetchLike;
  /**
   * Whether an API 401 says the token itself is no good (expired, revoked, malformed). Asked
   * only for a 401 from the API's own origin whose `WWW-Authenticate` does not settle it: an
   * RFC 6750 `Bearer error="invalid_token"` always rejects the token, `insufficient_scope` (or
   * `invalid_request`) never does.
   */
  isTokenRejected: (context: ErrorContext) => boolean;
  /**
   * Called with a token the API rejected: drops it and resolves `true` (the request is then
   * replayed once with a new token), or keeps it and resolves `false` (the 401 is returned as
   * it is). A token manager's `tokenRejected` does the latter while renewals caused by
   * rejections are backing off. Default: `auth.invalidate(token)`, then `true`.
   */
  tokenRejected?: ((accessToken: string) => Promise<boolean>) | undefined;
  /**
   * The scopes each operation needs (`"<METHOD> <path>"`). A call to a listed operation whose
   * token was granted none of its scope sets fails with `insufficient-scope` before any request
   * is sent. Operations not listed are not checked. Default: none (no check).
   */
  operationScopes?: OperationScopes | undefined;
  /**
   * The scopes the client asked for. A token that names no scopes when none were asked for is
   * not checked: the provider did not say what it grants, so the API decides. Default: none.
   */
  requestedScopes?: readonly string[] | undefined;
  /** Short provider id for the `insufficient-scope` error (`@payauth/<provider>: …`). Default `auth-core`. */
  provider?: string | undefined;
  /** Told of each replay after a rejected token (`request-replayed`) and each scope-check refusal (`scope-check-refused`). */
  onEvent?: ((event: AuthEvent) => void) | undefined;
}

/**
 * The scopes a token lacks for the cheapest of an operation's scope sets, or `undefined` when
 * one set is fully granted (an empty list of sets, as OpenAPI's `security: []`, needs nothing).
 */
export function missingScopes(required: readonly (readonly string[])[], granted: readonly string[]): readonly string[] | undefined {
  // Every call runs this: answer the usual case (a set fully granted) without allocating.
  for (const set of required) if (set.every((scope) => granted.includes(scope))) return undefined;
  // Sorting is stable: on a tie, the first set wins.
  const fewest = required.map((set) => set.filter((scope) => !granted.includes(scope))).sort((a, b) => a.length - b.length)[0];
  return fewest?.length ? fewest : undefined;
}

const MAX_REDIRECTS = 20;

/** The JSON of a 401 body read to judge the token: at most 64 KiB are read, a longer body is not JSON. */
async function readJson(response: Response, signal: AbortSignal): Promise<unknown> {
  try {
    // `response` is a clone: the caller's copy keeps every byte. Over the cap, "" fails to parse.
    // A body that stalls is given up after 10 s (or when the caller aborts): it is then "not JSON".
    return JSON.parse((await readCappedText(response, 64 * 1024, AbortSignal.any([signal, AbortSignal.timeout(10_000)]))) ?? "");
  } catch {
    return undefined;
  }
}

function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function isRedirect(response: Response): boolean {
  return isRedirectStatus(response.status) && response.headers.has("location");
}

interface Pending {
  /** An unsent copy of the request as the caller made it (only when it has a body). */
  copy: Request | undefined;
  accessToken: string;
  /** The caller asked for redirects to be followed: we follow them, so the token stays on our origin. */
  follow: boolean;
}

/**
 * An operation's scope sets, and the scopes of the token last found to hold one of them: a call
 * with that same token skips the check (one comparison), so it runs once per operation per token.
 */
interface OperationEntry {
  readonly sets: readonly (readonly string[])[];
  allowedFor: readonly string[] | undefined;
}

/**
 * Where the middleware gets its tokens, and what it sends with: a provider client's token
 * manager, or what `createAuthMiddleware` is given.
 */
export interface TokenSource {
  /** The token `getToken()` would return at once, if any. */
  peekToken(): AccessToken | undefined;
  getToken(options: GetTokenOptions): Promise<AccessToken>;
  tokenRejected(accessToken: string): Promise<boolean>;
  isTokenRejected(context: ErrorContext): boolean;
  readonly fetch: FetchLike;
  readonly provider: string;
  readonly requestedScopes?: readonly string[] | undefined;
  /** Optional: told of a replay (`request-replayed`) and a scope-check refusal (`scope-check-refused`); must not throw. */
  emit?(event: AuthEvent): void;
}

type OperationIndex = Map<string, Record<string, OperationEntry>>;

/**
 * The scope sets of each operation by path, then method (found per call without building a
 * key), built once per `operationScopes` object: every client of a provider shares its index.
 * An entry's `allowedFor` (the scopes last found sufficient) may be shared too: token scope
 * lists are frozen, so the same list always passes the same check.
 */
const operationIndexes = new WeakMap<object, OperationIndex>();

function operationIndex(operationScopes: OperationScopes | undefined): OperationIndex {
  let byPath = operationScopes === undefined ? undefined : operationIndexes.get(operationScopes);
  if (byPath !== undefined) return byPath;
  byPath = new Map();
  for (const [key, sets] of Object.entries(operationScopes ?? {})) {
    const space = key.indexOf(" ");
    const path = key.slice(space + 1);
    if (sets === undefined || space < 0) continue;
    if (!byPath.has(path)) byPath.set(path, Object.create(null) as Record<string, OperationEntry>);
    byPath.get(path)![key.slice(0, space)] = { sets, allowedFor: undefined };
  }
  if (operationScopes !== undefined) operationIndexes.set(operationScopes, byPath);
  return byPath;
}

/** `<origin>/` for an API origin string, parsed once: the clients of one API share the string. */
const originPrefixes = new Map<string, string>();

function originPrefix(apiOrigin: string): string {
  let prefix = originPrefixes.get(apiOrigin);
  if (prefix === undefined) {
    prefix = `${new URL(apiOrigin).origin}/`;
    // Bounded: past 256 origins, each is parsed for its own client.
    if (originPrefixes.size < 256) originPrefixes.set(apiOrigin, prefix);
  }
  return prefix;
}

/**
 * The auth middleware as a class: a platform installs one per merchant's client, so its hooks
 * live on the prototype (openapi-fetch calls them as methods) and an instance is its fields.
 */
export class AuthMiddleware {
  readonly #source: TokenSource;
  readonly #byPath: OperationIndex;
  /** `<origin>/`: request URLs are normalised, so a prefix with the slash is an exact origin match. */
  readonly #originPrefix: string;

  constructor(source: TokenSource, apiOrigin: string, operationScopes: OperationScopes | undefined) {
    this.#source = source;
    this.#byPath = operationIndex(operationScopes);
    this.#originPrefix = originPrefix(apiOrigin);
  }

  /** Whether `url` is on our origin. */
  #ours(url: string): boolean {
    return new URL(url).origin === this.#originPrefix.slice(0, -1);
  }

  /**
   * Sends `request` (from `copy`) with `accessToken` when it is for our origin, following
   * redirects by hand. Also says whether the final response came from our origin (the only one
   * that saw the token).
   */
  async #send(copy: Request, accessToken: string, first?: Response): Promise<{ response: Response; fromOrigin: boolean }> {
    let request = copy.clone();
    let response = first;
    for (let hops = 0; ; hops++) {
      if (response === undefined) {
        // Set on the copy itself, not passed as `init.headers`: Bun 1.4 keeps the input's headers
        // (the token among them) when `init.headers` is empty.
        const next = new Request(request.clone(), { redirect: "manual" });
        if (this.#ours(request.url)) next.headers.set("authorization", `Bearer ${accessToken}`);
        else next.headers.delete("authorization");
        response = await this.#source.fetch(next);
      }
      if (!isRedirect(response) || hops >= MAX_REDIRECTS) return { response, fromOrigin: this.#ours(request.url) };
      const location = new URL(response.headers.get("location")!, request.url);
      // As fetch does: 303 turns anything but GET and HEAD into GET, 301/302 turn POST into GET.
      const toGet = (response.status === 303 && request.method !== "GET" && request.method !== "HEAD") || ((response.status === 301 || response.status === 302) && request.method === "POST");
      await response.body?.cancel();
      const hasBody = !toGet && request.method !== "GET" && request.method !== "HEAD";
      request = new Request(location, {
        method: toGet ? "GET" : request.method,
        headers: toGet ? withoutBodyHeaders(request.headers) : request.headers,
        ...(hasBody ? { body: await request.clone().arrayBuffer() } : {}),
        signal: request.signal,
        redirect: "manual",
      });
      response = undefined;
    }
  }

  /** Whether a 401 from our origin says the token is no good: RFC 6750's challenge first, then the provider's rule. */
  async #rejectsToken(response: Response, signal: AbortSignal): Promise<boolean> {
    const challenge = bearerError(response.headers.get("www-authenticate"));
    if (challenge === "invalid_token") return true;
    if (challenge === "insufficient_scope" || challenge === "invalid_request") return false;
    const body = await readJson(response.clone(), signal);
    return this.#source.isTokenRejected({ status: response.status, body, headers: response.headers });
  }

  /** Adds the token to a request for our origin, after checking its operation's scopes. */
  #authorize(request: NotedRequest, schemaPath: string, token: AccessToken): Request {
    const { accessToken, scopes } = token;
    // Methods as openapi-fetch sends them are upper-case already: upper-case only on a miss.
    const method = request.method;
    const byMethod = scopes.length > 0 || (this.#source.requestedScopes?.length ?? 0) > 0 ? this.#byPath.get(schemaPath) : undefined;
    const operation = byMethod === undefined ? undefined : (byMethod[method] ?? byMethod[method.toUpperCase()]);
    if (operation !== undefined && operation.allowedFor !== scopes) {
      const missing = missingScopes(operation.sets, scopes);
      if (missing) {
        const name = `${method.toUpperCase()} ${schemaPath}`;
        this.#source.emit?.({ type: "scope-check-refused", provider: this.#source.provider, operation: name, missingScopes: missing });
        throw new AuthError({
          code: "insufficient-scope",
          provider: this.#source.provider,
          message: `${name} needs scope(s) ${missing.join(", ")}; the token has ${scopes.join(", ") || "none"}. No request was sent; \`scopeCheck: false\` lets the API decide`,
          details: { operation: name, missingScopes: missing, requiredScopes: operation.sets, grantedScopes: scopes },
        });
      }
      operation.allowedFor = scopes;
    }
    // A ManualRedirectRequest (what provider clients build) already has `redirect: "manual"`
    // and remembers what its caller asked for; any other request is copied to change its mode.
    const asked = request[callerRedirect];
    const follow = (asked ?? request.redirect) === "follow";
    // A copy for a replay or a redirect: cloned now only when there is a body to keep (GET and
    // HEAD never have one); a bodyless request is rebuilt from its URL and headers if ever needed.
    const copy = method === "GET" || method === "HEAD" || request.body === null ? undefined : request.clone();
    const sent: NotedRequest = follow && asked === undefined ? new Request(request, { redirect: "manual" }) : request;
    // A token manager's token carries its header value, built once per token.
    sent.headers.set("authorization", Token.bearer(token) ?? `Bearer ${accessToken}`);
    // The usual case (no body, redirects followed) is noted as the token alone: nothing to allocate.
    sent[responseNote] = copy === undefined && follow ? accessToken : ({ copy, accessToken, follow } satisfies Pending);
    return sent;
  }

  /** Follows a redirect by hand and replays once after a rejected token; `undefined` keeps `response`. */
  async #settle(request: Request, response: Response, entry: Pending): Promise<Response | undefined> {
    // A bodyless request is rebuilt with the redirect mode its first attempt was sent with
    // (never fetch's default "follow"): the replay is handled exactly as the first attempt was.
    const copy = (): Request => entry.copy ?? new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, redirect: request.redirect });
    let result = response;
    // Without redirects followed here, the response is the first attempt's: from our origin.
    let fromOrigin = true;
    if (entry.follow && isRedirect(response)) ({ response: result, fromOrigin } = await this.#send(copy(), entry.accessToken, response));
    // Only a 401 our origin sent can concern the token: a redirect target elsewhere never saw it.
    if (result.status === 401 && fromOrigin && (await this.#rejectsToken(result, request.signal)) && (await this.#source.tokenRejected(entry.accessToken))) {
      await result.body?.cancel();
      const { accessToken } = await this.#source.getToken({ signal: request.signal });
      result = entry.follow ? (await this.#send(copy(), accessToken)).response : await this.#source.fetch(withToken(copy(), accessToken));
      this.#source.emit?.({ type: "request-replayed", provider: this.#source.provider, method: request.method, status: result.status });
    }
    return result === response ? undefined : result;
  }

  // Both hooks answer a call on a warm token synchronously: no promise of their own per call.
  onRequest({ request, schemaPath }: MiddlewareCallbackParams): Request | Promise<Request> | undefined {
    const noted = request as NotedRequest;
    // The string a ManualRedirectRequest was built from is checked first (no URL serialising):
    // if it starts with our origin and a slash, so does the URL it parses to.
    const built = noted[builtFromUrl];
    const prefix = this.#originPrefix;
    if (!(built !== undefined && built.startsWith(prefix)) && !request.url.startsWith(prefix)) {
      // Not our origin: no token, and redirects are fetch's business again, as its caller asked.
      const asked = noted[callerRedirect];
      return asked === undefined || asked === request.redirect ? undefined : new (manualRedirectRequest())(request, { redirect: asked }, true);
    }
    const warm = this.#source.peekToken();
    if (warm === undefined) return this.#source.getToken({ signal: request.signal }).then((token) => this.#authorize(noted, schemaPath, token));
    // An aborted call sends nothing, whatever `fetch` does with a signal.
    const signal = noted[followedSignal];
    if (signal !== null) (signal ?? request.signal).throwIfAborted();
    return this.#authorize(noted, schemaPath, warm);
  }

  onResponse({ request, response }: MiddlewareCallbackParams & { response: Response }): Promise<Response | undefined> | undefined {
    const noted = (request as NotedRequest)[responseNote] as Pending | string | undefined;
    if (noted === undefined) return undefined;
    (request as NotedRequest)[responseNote] = undefined;
    const follow = typeof noted === "string" || noted.follow;
    if (response.status !== 401 && !(follow && isRedirect(response))) return undefined;
    return this.#settle(request, response, typeof noted === "string" ? { copy: undefined, accessToken: noted, follow } : noted);
  }
}

/**
 * The openapi-fetch middleware: adds `Authorization: Bearer …` to requests for the API's own
 * origin, and when the API rejects the token, invalidates it and replays the request once
 * with a fresh one. Redirects are followed here, not by `fetch`, so that the token is sent
 * again only to the API's origin, whatever `fetch` implementation is in use. With
 * `operationScopes`, a call whose token lacks the scopes its operation needs fails with
 * `insufficient-scope` before anything is sent.
 *
 * On your own openapi-fetch client, pass `Request: manualRedirectRequest()` to `createClient`
 * and the token manager's `peekToken` here, as provider clients do: a call on a warm token then
 * costs about 1 µs more than a static header, instead of a copy of every request.
 */
export function createAuthMiddleware(options: AuthMiddlewareOptions): Middleware {
  const { auth, peekToken } = options;
  const source: TokenSource = {
    peekToken: () => peekToken?.(),
    getToken: (getOptions) => auth.getToken(getOptions),
    tokenRejected:
      options.tokenRejected ??
      (async (accessToken) => {
        await auth.invalidate(accessToken);
        return true;
      }),
    isTokenRejected: options.isTokenRejected,
    fetch: options.fetch,
    provider: options.provider ?? "auth-core",
    requestedScopes: options.requestedScopes,
    emit(event) {
      try {
        options.onEvent?.(event);
      } catch {
        // An observer's failure must not break the call.
      }
    },
  };
  return new AuthMiddleware(source, options.apiOrigin, options.operationScopes);
}

/**
 * The `error` of a `Bearer` challenge in a `WWW-Authenticate` header (RFC 6750 §3), e.g.
 * `invalid_token` or `insufficient_scope`; `undefined` when there is none.
 */
export function bearerError(header: string | null): string | undefined {
  if (header === null) return undefined;
  // A Bearer challenge, then its auth-params up to the next challenge: error="…" (quoted or a token).
  const match = /(?:^|,)\s*Bearer(?:\s+((?:[^,"]|"(?:[^"\\]|\\.)*"|,(?=\s*[\w!#$%&'*+.^`|~-]+\s*=))*))?/i.exec(header);
  const params = match?.[1];
  if (params === undefined) return undefined;
  const error = /(?:^|[\s,])error\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([\w!#$%&'*+.^`|~-]+))/i.exec(params);
  return error === null ? undefined : (error[1] ?? error[2])?.replace(/\\(.)/g, "$1");
}

function withToken(request: Request, accessToken: string): Request {
  const copy = request.clone();
  copy.headers.set("authorization", `Bearer ${accessToken}`);
  return copy;
}

function withoutBodyHeaders(headers: Headers): Headers {
  const out = new Headers(headers);
  for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) out.delete(name);
  return out;
}
