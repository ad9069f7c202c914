import { getResponse, HttpHandler, HttpResponse } from "msw";
import type { BearerCheck, FakeAuthority } from "./create-fake-authority.js";
import { faultResponse } from "./create-fake-authority.js";

/** A refused bearer token (missing, unknown, revoked, expired, or short of a scope). */
export type BearerRefusal = Extract<BearerCheck, { ok: false }>;

/** What `requireToken` needs to answer as the provider does. */
export interface TokenGuardOptions<Code extends string = string> {
  /** The provider's refusal of a bearer token: 401 for a bad token, 403 for a missing scope, in the provider's error format. */
  refuse(check: BearerRefusal, request: Request): Response;
  /** The provider's error body for a fault queued with `failNext("api", { code })`. */
  renderCode(status: number, code: Code): Record<string, unknown>;
  /** A check the provider's API makes before the token's (Pay-me's `ALG-API-VERSION`): a response refuses the request. */
  precheck?(request: Request): Response | undefined;
}

/** RFC 6750's refusals: 401 `invalid_token` (403 `insufficient_scope`) with `WWW-Authenticate` and `{ error, error_description }`. */
export function rfc6750Refusal(check: BearerRefusal): Response {
  const scope = check.reason === "insufficient-scope";
  const error = scope ? "insufficient_scope" : "invalid_token";
  const description = scope ? "The access token lacks a required scope" : `The access token is ${check.reason === "missing" ? "missing" : check.reason === "unknown" ? "invalid" : check.reason}`;
  return HttpResponse.json(
    { error, error_description: description },
    { status: scope ? 403 : 401, headers: { "www-authenticate": `Bearer error="${error}", error_description="${description}"` } },
  );
}

/**
 * Wraps an msw handler of yours (an API route the fake does not serve) in the fake's token
 * check: a request it matches is counted as an API call (`stats.apiCalls`), answered with a
 * fault queued by `failNext("api", …)` if any, then refused as the provider refuses a missing,
 * unknown, revoked or expired token (401) or one without every scope in `scopes` (403). Only a
 * request that passes reaches your handler, whose answer is returned as it is. The wrapper
 * matches exactly the requests your handler matches (same method and path or predicate).
 */
export function guardHandler<Code extends string>(
  authority: FakeAuthority<Code>,
  guard: TokenGuardOptions<Code>,
  handler: HttpHandler,
  options: { scopes?: readonly string[] | undefined } = {},
): HttpHandler {
  if (!(handler instanceof HttpHandler)) {
    throw new TypeError("requireToken(handler): handler must be an msw HTTP handler, e.g. http.get(\"*/v1/things\", resolver)");
  }
  const scopes = [...(options.scopes ?? [])];
  if (!scopes.every((s) => typeof s === "string" && s !== "" && !/\s/.test(s))) {
    throw new TypeError("requireToken(handler, { scopes }): each scope is a non-empty string without white space");
  }
  const own = [handler];
  return new HttpHandler(handler.info.method, handler.info.path, async ({ request }) => {
    const fault = authority.begin("api");
    if (fault) return faultResponse(fault, guard.renderCode, request);
    const refused = guard.precheck?.(request);
    if (refused) return refused;
    const check = authority.checkBearer(request, scopes);
    if (!check.ok) return guard.refuse(check, request);
    return getResponse(own, request);
  });
}
