/** Where a {@link ManualRedirectRequest} keeps the redirect mode its caller asked for. */
export const callerRedirect: unique symbol = Symbol("payauth.callerRedirect");

/**
 * The `Request` class given to openapi-fetch by provider clients. A request whose caller wants
 * redirects followed (the default) is built with `redirect: "manual"` from the start, and the
 * caller's mode is kept under {@link callerRedirect}: the auth middleware then follows redirects
 * itself (dropping the token off-origin) without copying every request to change its mode,
 * which costs more than everything else the middleware does per call.
 */
export class ManualRedirectRequest extends Request {
  readonly [callerRedirect]: RequestRedirect;

  /** With `asIs`, the request keeps the redirect mode it is given (for one that fetch should follow itself). */
  constructor(input: RequestInfo | URL, init?: RequestInit, asIs = false) {
    const redirect = init?.redirect ?? (input instanceof Request ? input.redirect : "follow");
    super(input, redirect === "follow" && !asIs ? { ...init, redirect: "manual" } : init);
    this[callerRedirect] = redirect;
  }
}
