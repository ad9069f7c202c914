import type { Clock, CustomScope } from "@payauth/auth-core";
import {
  createFakeAuthority,
  createPingHandler,
  faultResponse,
  toProviderFake,
  type BearerRefusal,
  type FakeFault,
  type IssuedToken,
  type ProviderFake,
} from "@payauth/auth-core/testing";
import { http, HttpResponse } from "msw";
import { AUTOPAY_AUDIENCE } from "../autopay-urls.js";
import { TokenRequestSchema } from "../generated/schemas.gen.js";
import type { AutopayError, AutopayErrorCode, AutopayScope, AutopayTokenRequest, AutopayTokenResponse } from "../types.js";

/**
 * The `error` codes the fake answers with: Autopay's documented `access_denied`, and the
 * RFC 6749 / RFC 6750 codes it uses where Autopay's docs are silent.
 */
export type AutopayFakeErrorCode =
  | AutopayErrorCode
  | "invalid_request"
  | "unsupported_grant_type"
  | "too_many_requests"
  | "server_error"
  | "temporarily_unavailable"
  | "invalid_token"
  | "insufficient_scope";

export interface AutopayFakeClient {
  clientId: string;
  clientSecret: string;
  /** The APIs the credential can reach, returned as `scope`. Default `["customer_club"]` (the docs' example). */
  scopes?: readonly (AutopayScope | CustomScope)[];
}

export interface AutopayFakeOptions {
  /** Origin the token endpoint answers for, e.g. `https://api-auth.autopay.io`. Default `*`: any origin. */
  tokenOrigin?: string;
  /** Origin the API answers for, e.g. `https://api.autopay.io`. Default `*`: any origin. */
  apiOrigin?: string;
  /** Accepted credentials. Default: `autopayFakeCredentials`. */
  clients?: readonly AutopayFakeClient[];
  /** `expires_in` of issued tokens. Default 86400 (24 hours, the docs' example). */
  tokenLifetimeSeconds?: number;
  /**
   * Autopay warns that generating excessive tokens within their lifetime "may lead to
   * termination of API access". With this set, a token request of a client that already holds
   * `max` unexpired, unrevoked tokens is refused:
   * - `refuse: "rate-limit"` (default): 429 `too_many_requests`, `Retry-After` until its oldest token expires;
   * - `refuse: "terminate"`: 403 `access_denied`, its tokens are revoked and every later token
   *   request of that client is refused the same way until `reset()`.
   *
   * Neither response is documented by Autopay: they are how the fake makes the warning testable.
   * Default: no limit.
   */
  excessiveTokens?: { max: number; refuse?: "rate-limit" | "terminate" };
  /** Source of time for token expiry. Default `Date`. */
  clock?: Clock;
}

/** A fault to answer instead of the normal response; `code` renders `{ error, error_description }`. */
export type AutopayFault = FakeFault<AutopayFakeErrorCode>;

/**
 * The fake Autopay: `failNext("token" | "api", …)` targets `POST /oauth/token` or the API (and
 * your routes behind `requireToken(handler, { scopes })`).
 */
export type AutopayFake = ProviderFake<AutopayFakeErrorCode, AutopayScope | CustomScope>;

/** The credentials the fake accepts by default. Not secret: test values only. */
export const autopayFakeCredentials = { clientId: "autopay-demo-client", clientSecret: "autopay-demo-secret" } as const;

const DESCRIPTIONS: Record<AutopayFakeErrorCode, string> = {
  access_denied: "Unauthorized", // the docs' example
  invalid_request: "Invalid request",
  unsupported_grant_type: "Unsupported grant type",
  too_many_requests: "Too many requests",
  server_error: "Internal server error",
  temporarily_unavailable: "Temporarily unavailable",
  invalid_token: "Invalid token",
  insufficient_scope: "Insufficient scope",
};

const FIELDS: readonly (keyof AutopayTokenRequest)[] = ["client_id", "client_secret", "audience", "grant_type"];

const errorBody = (_status: number, code: AutopayFakeErrorCode, description = DESCRIPTIONS[code]): AutopayError => ({
  error: code,
  error_description: description,
});

function autopayError(status: number, code: AutopayFakeErrorCode, description?: string, headers: Record<string, string> = {}) {
  return HttpResponse.json(errorBody(status, code, description), { status, headers });
}

function isJson(request: Request): boolean {
  const type = request.headers.get("content-type") ?? "";
  return type.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** The API's refusal of a bearer token (RFC 6750; Autopay does not document it): 401 `invalid_token`, 403 `insufficient_scope`. */
function refuse(check: BearerRefusal): Response {
  return check.reason === "insufficient-scope"
    ? autopayError(403, "insufficient_scope", undefined, { "www-authenticate": 'Bearer error="insufficient_scope"' })
    : autopayError(401, "invalid_token", undefined, { "www-authenticate": 'Bearer error="invalid_token"' });
}

/**
 * Why a token request body is not the documented one, as the error to answer, or `undefined`
 * when it is. Autopay documents only the 401; the rest follows RFC 6749 §5.2.
 */
function checkBody(body: unknown): Response | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return autopayError(400, "invalid_request", "The request body must be a JSON object");
  }
  const fields = body as Record<string, unknown>;
  const unexpected = Object.keys(fields).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unexpected.length > 0) return autopayError(400, "invalid_request", `Unexpected parameters: ${unexpected.join(", ")}`);
  const missing = FIELDS.filter((key) => fields[key] === undefined);
  if (missing.length > 0) return autopayError(400, "invalid_request", `Missing required parameters: ${missing.join(", ")}`);
  if (fields.grant_type !== "client_credentials") {
    return typeof fields.grant_type === "string"
      ? autopayError(400, "unsupported_grant_type", "grant_type must always be client_credentials")
      : autopayError(400, "invalid_request", "grant_type must be a string");
  }
  if (fields.audience !== AUTOPAY_AUDIENCE) return autopayError(400, "invalid_request", `audience must always be ${AUTOPAY_AUDIENCE}`);
  if (typeof fields.client_id !== "string" || typeof fields.client_secret !== "string") {
    return autopayError(400, "invalid_request", "client_id and client_secret must be strings");
  }
  return undefined;
}

/**
 * A faithful fake of Autopay's documented token endpoint, as msw handlers:
 * `POST /oauth/token` checks the request exactly as documented (JSON with
 * `Content-Type: application/json`; `client_id`, `client_secret`, `audience`
 * `https://api.autopay.io` and `grant_type` `client_credentials`, nothing else), issues
 * JWT-shaped tokens with a lifetime, and answers wrong credentials with the documented 401
 * `{ "error": "access_denied", "error_description": "Unauthorized" }`.
 * `GET /payauth-conformance/ping` on the API answers `{ ok: true }` behind the token checks
 * (401 `invalid_token` for a missing, expired or revoked token). `stats.tokenRequests` counts
 * token requests, so a test can assert that your code does not generate excessive tokens;
 * `excessiveTokens` makes the fake refuse them.
 */
export function createAutopayFake(options: AutopayFakeOptions = {}): AutopayFake {
  const tokenOrigin = (options.tokenOrigin ?? "*").replace(/\/+$/, "");
  const apiOrigin = (options.apiOrigin ?? "*").replace(/\/+$/, "");
  const clients: readonly AutopayFakeClient[] = options.clients ?? [autopayFakeCredentials];
  const lifetime = options.tokenLifetimeSeconds ?? 86_400;
  const clock = options.clock ?? Date;
  const limit = options.excessiveTokens;
  const authority = createFakeAuthority<AutopayFakeErrorCode>({ clock });
  // Tokens issued, per client (the authority's own objects: revocation shows here too).
  let issued: IssuedToken[] = [];
  const terminated = new Set<string>();

  function refuseExcessive(clientId: string): Response | undefined {
    if (terminated.has(clientId)) return autopayError(403, "access_denied", "API access terminated: excessive access tokens");
    if (limit === undefined) return undefined;
    const now = clock.now();
    const live = issued.filter((t) => t.clientId === clientId && !t.revoked && t.expiresAt > now);
    if (live.length < limit.max) return undefined;
    if (limit.refuse === "terminate") {
      terminated.add(clientId);
      for (const token of live) authority.revokeToken(token.accessToken);
      return autopayError(403, "access_denied", "API access terminated: excessive access tokens");
    }
    const oldest = Math.min(...live.map((t) => t.expiresAt));
    const retryAfter = String(Math.max(1, Math.ceil((oldest - now) / 1000)));
    return autopayError(429, "too_many_requests", "Too many access tokens within their lifetime", { "retry-after": retryAfter });
  }

  const handlers = [
    http.post(`${tokenOrigin}/oauth/token`, async ({ request }) => {
      const fault = authority.begin("token");
      if (fault) return faultResponse(fault, errorBody);
      if (!isJson(request)) return autopayError(400, "invalid_request", "Content-Type must be application/json");
      const raw: unknown = await request.json().catch(() => undefined);
      const problem = checkBody(raw);
      if (problem) return problem;
      // Only the credentials can be wrong now (empty, or unknown): the documented 401.
      const body = TokenRequestSchema.safeParse(raw);
      const client = body.success
        ? clients.find((c) => c.clientId === body.data.client_id && authority.acceptsSecret(c, body.data.client_secret))
        : undefined;
      if (client === undefined) return autopayError(401, "access_denied");
      const refused = refuseExcessive(client.clientId);
      if (refused) return refused;
      const scopes = client.scopes ?? ["customer_club"];
      const token = authority.issue({ clientId: client.clientId, scopes, audience: AUTOPAY_AUDIENCE }, lifetime);
      const now = clock.now();
      issued = [...issued.filter((t) => t.expiresAt > now), token]; // expired ones no longer count
      return HttpResponse.json<AutopayTokenResponse>({
        access_token: token.accessToken,
        scope: scopes.join(" "),
        expires_in: lifetime,
        token_type: "Bearer",
      });
    }),
    createPingHandler(apiOrigin, authority, refuse, errorBody),
  ];

  return {
    ...toProviderFake(handlers, authority, { refuse, renderCode: errorBody }),
    reset() {
      authority.reset();
      issued = [];
      terminated.clear();
    },
  };
}
