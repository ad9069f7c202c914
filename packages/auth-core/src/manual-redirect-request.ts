// Types spelled from Request and RequestInit, which Node's own types declare: the DOM-only names
// (RequestRedirect, RequestInfo) would not compile for users without the DOM lib.
type RedirectMode = NonNullable<RequestInit["redirect"]>;
type RequestInput = ConstructorParameters<typeof Request>[0];

/** Where a ManualRedirectRequest keeps the redirect mode its caller asked for. */
export const callerRedirect: unique symbol = Symbol("payauth.callerRedirect");

/** A `Request` sent with `redirect: "manual"` whose caller's own mode is kept under {@link callerRedirect}. */
export interface ManualRedirectRequest extends Request {
  readonly [callerRedirect]: RedirectMode;
}

// Internal to auth-core (not exported from the package): what the auth middleware reads and
// writes on each request, kept in fields declared here so that a warm call allocates nothing for them.
/** The URL string the request was built from, unparsed (`undefined` when built from a `URL` or a `Request`). */
export const builtFromUrl: unique symbol = Symbol("payauth.builtFromUrl");
/** The signal the request follows: its caller's, or `null` when it follows none (so it can never abort). */
export const followedSignal: unique symbol = Symbol("payauth.followedSignal");
/** The auth middleware's note for the response hook. */
export const responseNote: unique symbol = Symbol("payauth.responseNote");

/** A request as the auth middleware sees it: any `Request`, with the fields a ManualRedirectRequest has. */
export type NotedRequest = Request & {
  readonly [callerRedirect]?: RedirectMode;
  readonly [builtFromUrl]?: string | undefined;
  readonly [followedSignal]?: AbortSignal | null | undefined;
  [responseNote]?: unknown;
};

export interface ManualRedirectRequestClass {
  /** With `asIs`, the request keeps the redirect mode it is given (for one that fetch should follow itself). */
  new (input: RequestInput, init?: RequestInit, asIs?: boolean): ManualRedirectRequest;
}

let defined: ManualRedirectRequestClass | undefined;

/**
 * The `Request` class given to openapi-fetch by provider clients. A request whose caller wants
 * redirects followed (the default) is built with `redirect: "manual"` from the start, and the
 * caller's mode is kept under {@link callerRedirect}: the auth middleware then follows redirects
 * itself (dropping the token off-origin) without copying every request to change its mode,
 * which costs more than everything else the middleware does per call.
 *
 * Defined on first use, not at import: touching `Request` loads Node's fetch (about 20 ms).
 */
export function manualRedirectRequest(): ManualRedirectRequestClass {
  defined ??= class extends Request implements ManualRedirectRequest {
    readonly [callerRedirect]: RedirectMode;
    readonly [builtFromUrl]: string | undefined;
    readonly [followedSignal]: AbortSignal | null | undefined;
    [responseNote]: unknown = undefined;

    constructor(input: RequestInput, init?: RequestInit, asIs = false) {
      const redirect = init?.redirect ?? (input instanceof Request ? input.redirect : "follow");
      super(input, redirect === "follow" && !asIs ? { ...init, redirect: "manual" } : init);
      this[callerRedirect] = redirect;
      const fromString = typeof input === "string";
      this[builtFromUrl] = fromString ? input : undefined;
      // Built from a string without a signal, a request follows no signal: `undefined` means "ask request.signal".
      this[followedSignal] = init?.signal ?? (fromString ? null : undefined);
    }
  };
  return defined;
}
