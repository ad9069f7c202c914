import type { CustomScope } from "@payauth/auth-core";
import {
  createFakeAuthority,
  createPingHandler,
  faultResponse,
  toProviderFake,
  type BearerCheck,
  type FakeFault,
  type ProviderFake,
} from "@payauth/auth-core/testing";
import { http, HttpResponse } from "msw";
import { GETPAID_AUDIENCES } from "../environments.js";
import type { components } from "../generated/openapi.gen.js";
import { scopes as allScopes, TokenRequestSchema } from "../generated/schemas.gen.js";
import type { GetpaidEnvironment, GetpaidErrorCode, GetpaidScope } from "../types.js";

type TokenResponse = components["schemas"]["TokenResponse"];

/**
 * The `error` codes the fake can answer with: the token endpoint's (`GetpaidErrorCode`), and
 * RFC 6750's `invalid_token` and `insufficient_scope` for API faults.
 */
export type GetpaidFakeErrorCode = GetpaidErrorCode | "invalid_token" | "insufficient_scope";

/** A fault to answer instead of the normal response; `code` renders `{ error, error_description }`. */
export type GetpaidFault = FakeFault<GetpaidFakeErrorCode>;

/**
 * The fake getpaid: `failNext("token" | "api", …)` targets `POST /oauth/token` or the API (and
 * your routes behind `requireToken(handler, { scopes })`).
 */
export type GetpaidFake = ProviderFake<GetpaidFakeErrorCode, GetpaidScope | CustomScope>;

export interface GetpaidFakeClient {
  clientId: string;
  clientSecret: string;
  /** The environment the credential was created for: it is refused with any other audience. */
  environment: GetpaidEnvironment;
  /** The audience the credential is good for. Default: the environment's (`https://api.getpaid.io`, …). */
  audience?: string;
  /** The scopes the credential may have. Default: all eight documented scopes. */
  scopes?: readonly string[];
}

export interface GetpaidFakeOptions {
  /** Origin of the token endpoint `POST /oauth/token`. Default `*`: any origin (works for msw and `serve()`). */
  authOrigin?: string;
  /** Origin of the API (`GET /payauth-conformance/ping`). Default `*`: any origin. */
  apiOrigin?: string;
  /**
   * Accepted credentials. Default: `getpaidFakeCredentials.live` and `.sandbox`, with every scope.
   * Those two (or copies of them, e.g. with `scopes`) may be passed as they are: the fake knows
   * their environment.
   */
  clients?: readonly (GetpaidFakeClient | GetpaidFakeCredentialEntry)[];
  /** `expires_in` of issued tokens. Default 3600 (the docs' example). */
  tokenLifetimeSeconds?: number;
  /** `token_type` of issued tokens. Default `bearer` (the authentication page); newer docs show `Bearer`. */
  tokenType?: string;
  /** Whether token responses carry the granted `scope` (newer docs) or not (the authentication page, the default). */
  includeScope?: boolean;
  /** Source of time for token expiry. Default `Date`. */
  clock?: { now(): number };
}

/** The credentials the fake accepts by default, one per environment. Not secret: test values only. */
export const getpaidFakeCredentials = Object.freeze({
  live: Object.freeze({ clientId: "getpaid-live-client", clientSecret: "getpaid-live-secret" }),
  sandbox: Object.freeze({ clientId: "getpaid-sandbox-client", clientSecret: "getpaid-sandbox-secret" }),
});

/**
 * One of `getpaidFakeCredentials` (or a copy with `audience` or `scopes`), without `environment`:
 * the fake knows which environment each was made for.
 */
type GetpaidFakeCredentialEntry = Omit<GetpaidFakeClient, "clientId" | "environment"> & {
  clientId: (typeof getpaidFakeCredentials)[GetpaidEnvironment]["clientId"];
};

/** `client` with its environment: its own, or, for one of `getpaidFakeCredentials`, the one it was made for. */
function withEnvironment(client: GetpaidFakeClient | GetpaidFakeCredentialEntry): GetpaidFakeClient {
  if ("environment" in client && client.environment !== undefined) return client;
  const environment = (["live", "sandbox"] as const).find((e) => getpaidFakeCredentials[e].clientId === client.clientId);
  return { ...client, environment } as GetpaidFakeClient;
}

/** Every scope getpaid documents, handy for a fake client with full access. */
export const getpaidAllScopes: readonly GetpaidScope[] = allScopes;

const DESCRIPTIONS: Record<GetpaidFakeErrorCode, string> = {
  invalid_request: "The request is malformed",
  invalid_client: "Client authentication failed",
  invalid_grant: "The grant is invalid",
  unauthorized_client: "The client may not use this grant type",
  unsupported_grant_type: "Only client_credentials is supported",
  invalid_scope: "The requested scope is invalid",
  access_denied: "Unauthorized",
  server_error: "Internal server error",
  temporarily_unavailable: "The service is temporarily unavailable",
  invalid_token: "The access token is invalid",
  insufficient_scope: "The access token lacks a required scope",
};

const errorBody = (_status: number, error: GetpaidFakeErrorCode) => ({ error, error_description: DESCRIPTIONS[error] ?? error });

function oauthError(status: number, error: GetpaidFakeErrorCode, description: string = DESCRIPTIONS[error]): Response {
  return HttpResponse.json({ error, error_description: description }, { status });
}

const REFUSALS: Record<Extract<BearerCheck, { ok: false }>["reason"], string> = {
  missing: "No access token",
  unknown: "The access token is invalid",
  revoked: "The access token was revoked",
  expired: "The access token expired",
  "insufficient-scope": "The access token lacks a required scope",
};

/** The API's refusal of a bearer token: RFC 6750 (assumed: getpaid does not document it). */
function refuse(check: Extract<BearerCheck, { ok: false }>): Response {
  const status = check.reason === "insufficient-scope" ? 403 : 401;
  const error = status === 403 ? "insufficient_scope" : "invalid_token";
  return HttpResponse.json(
    { error, error_description: REFUSALS[check.reason] },
    { status, headers: { "www-authenticate": `Bearer error="${error}", error_description="${REFUSALS[check.reason]}"` } },
  );
}

/**
 * A faithful fake of getpaid's documented token endpoint, as msw handlers. `POST /oauth/token`
 * checks the JSON body exactly as documented (`client_id`, `client_secret`, `audience`,
 * `grant_type: "client_credentials"`, optional space-separated `scope`), refuses a credential
 * used with another environment's audience, and issues JWT-shaped tokens with a lifetime.
 * Errors use the (assumed) OAuth 2.0 form `{ error, error_description }`.
 * `GET /payauth-conformance/ping` answers `{ ok: true }` behind the API's token checks
 * (the shared conformance suite calls it). Use `handlers` with msw's `setupServer`, with
 * `createHandlersFetch`, or over real HTTP with `serve()`.
 */
export function createGetpaidFake(options: GetpaidFakeOptions = {}): GetpaidFake {
  const authOrigin = (options.authOrigin ?? "*").replace(/\/+$/, "");
  const apiOrigin = (options.apiOrigin ?? "*").replace(/\/+$/, "");
  const clients: readonly GetpaidFakeClient[] = (options.clients ?? [getpaidFakeCredentials.live, getpaidFakeCredentials.sandbox]).map(withEnvironment);
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const tokenType = options.tokenType ?? "bearer";
  const authority = createFakeAuthority<GetpaidFakeErrorCode>({ clock: options.clock });

  async function token(request: Request): Promise<Response> {
    const fault = authority.begin("token");
    if (fault) return faultResponse(fault, errorBody);
    const contentType = request.headers.get("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(contentType)) return oauthError(400, "invalid_request", "Content-Type must be application/json");
    const json: unknown = await request.json().catch(() => undefined);
    if (typeof json !== "object" || json === null || Array.isArray(json)) return oauthError(400, "invalid_request", "The body must be a JSON object");
    const grantType = (json as { grant_type?: unknown }).grant_type;
    if (grantType !== undefined && grantType !== "client_credentials") return oauthError(400, "unsupported_grant_type");
    const body = TokenRequestSchema.safeParse(json);
    if (!body.success) {
      const fields = [...new Set(body.error.issues.map((issue) => issue.path.map(String).join(".")))].join(", ");
      return oauthError(400, "invalid_request", `Missing or malformed: ${fields}`);
    }
    const { client_id, client_secret, audience, scope } = body.data;
    const known = clients.filter((c) => c.clientId === client_id && authority.acceptsSecret(c, client_secret));
    if (known.length === 0) return oauthError(401, "access_denied", "Unauthorized");
    const client = known.find((c) => audience === (c.audience ?? GETPAID_AUDIENCES[c.environment]));
    if (client === undefined) return oauthError(403, "access_denied", `Client is not authorized to access "${audience}"`);
    const allowed = client.scopes ?? allScopes;
    const requested = scope === undefined ? undefined : [...new Set(scope.split(" "))];
    const refused = (requested ?? []).filter((s) => !allowed.includes(s));
    if (refused.length > 0) return oauthError(400, "invalid_scope", `Client has not been granted scopes: ${refused.join(" ")}`);
    const granted = requested ?? [...allowed];
    const issued = authority.issue({ clientId: client.clientId, scopes: granted, audience }, lifetime);
    return HttpResponse.json<TokenResponse>({
      access_token: issued.accessToken,
      token_type: tokenType,
      expires_in: lifetime,
      ...(options.includeScope === true ? { scope: granted.join(" ") } : {}),
    });
  }

  const handlers = [
    http.post(`${authOrigin}/oauth/token`, ({ request }) => token(request)),
    createPingHandler(apiOrigin, authority, refuse, errorBody),
  ];

  return toProviderFake(handlers, authority, { refuse, renderCode: errorBody });
}
