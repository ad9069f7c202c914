import type { CustomScope } from "@payauth/auth-core";
import {
  createFakeAuthority,
  createPingHandler,
  faultResponse,
  PING_PATH,
  toProviderFake,
  type BearerRefusal,
  type FakeAuthority,
  type FakeFault,
  type ProviderFake,
} from "@payauth/auth-core/testing";
import { http, HttpResponse } from "msw";
import { isPayMeEnvironment, PAYME_API_VERSION, PAYME_ENVIRONMENTS } from "../environments.js";
import { scopes as allScopes, TokenRequestSchema } from "../generated/schemas.gen.js";
import type { PayMeEnvironment, PayMeErrorBody, PayMeScope, PayMeTokenResponse } from "../types.js";

/** A status code the fake puts in `authorization.meta.status.code` (any string; Pay-me documents only `"00"`). */
export type PayMeFakeStatusCode = string;

/**
 * The status codes the fake answers with on its own. Pay-me documents only `"00"` (token
 * created); the others are the fake's choice, the HTTP status as text, since Pay-me's error
 * codes are not public.
 */
export const payMeFakeStatusCodes = {
  created: "00",
  invalidRequest: "400",
  unauthorized: "401",
  missingScope: "403",
} as const;

export interface PayMeFakeClient {
  clientId: string;
  clientSecret: string;
  /**
   * What the token response grants, whatever was requested (as in Pay-me's example, which
   * grants `api-test:create:token`). Default: the four documented scopes.
   */
  scopes?: readonly (PayMeScope | (string & {}))[];
}

export interface PayMeFakeOptions {
  /** The environment whose audience the token endpoint accepts. Default `"preprod"`. */
  environment?: PayMeEnvironment;
  /** The audience the token endpoint accepts instead of the environment's. */
  audience?: string;
  /** Origin of the token endpoint (`POST <authOrigin>/token`). Default `*`: any origin. */
  authOrigin?: string;
  /** Origin of the API (`GET <apiOrigin>/payauth-conformance/ping`). Default `*`: any origin. */
  apiOrigin?: string;
  /** Accepted credentials. Default: `payMeFakeCredentials` with the four documented scopes. */
  clients?: readonly PayMeFakeClient[];
  /** `expires_in` of issued tokens. Default 8600 (Pay-me's example). */
  tokenLifetimeSeconds?: number;
  /** Source of time for token expiry. Default `Date`. */
  clock?: { now(): number };
}

/** A fault to answer instead of the normal response; `code` renders Pay-me's envelope with `success: false` and that status code. */
export type PayMeFault = FakeFault<PayMeFakeStatusCode>;

/**
 * The fake Pay-me: `failNext("token" | "api", …)` targets `POST /token` or the API (and your
 * routes behind `requireToken(handler, { scopes })`).
 */
export type PayMeFake = ProviderFake<PayMeFakeStatusCode, PayMeScope | CustomScope>;

/** The credentials the fake accepts by default. Not secret: test values only. */
export const payMeFakeCredentials = { clientId: "payme-demo-client", clientSecret: "payme-demo-secret" } as const;

/** Every scope Pay-me documents, the default grant of the fake's clients. */
export const payMeAllScopes: readonly PayMeScope[] = allScopes;

/** The fake's messages, in `es_PE` like Pay-me's example. Pay-me documents only "Access Token creado". */
const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  200: "Solicitud rechazada",
  400: "Solicitud inválida",
  401: "No autorizado",
  403: "Scopes insuficientes",
  429: "Demasiadas solicitudes",
};

/** Pay-me's envelope with `success: false` and a status block (the assumed shape of its refusals). */
function envelope(code: PayMeFakeStatusCode, message: string) {
  return {
    action: "authorize",
    success: false as const,
    authorization: { meta: { status: { code, message_ilgn: [{ locale: "es_PE", value: message }] } } },
  } satisfies PayMeErrorBody;
}

const renderCode = (status: number, code: PayMeFakeStatusCode) => envelope(code, STATUS_MESSAGES[status] ?? "Error");

function refuse(status: number, code: PayMeFakeStatusCode, message: string): Response {
  return HttpResponse.json(envelope(code, message), { status });
}

function hasApiVersion(request: Request): boolean {
  return request.headers.get("alg-api-version") === PAYME_API_VERSION;
}

const MISSING_VERSION = `Falta el header ALG-API-VERSION: ${PAYME_API_VERSION}`;

/** Pay-me's API refusals, as documented: 401 for an invalid, expired, revoked or missing token, 403 for a missing scope. */
function refuseToken(check: BearerRefusal): Response {
  if (check.reason === "insufficient-scope") return refuse(403, payMeFakeStatusCodes.missingScope, "Scopes insuficientes");
  return refuse(401, payMeFakeStatusCodes.unauthorized, "Token inválido, expirado o no enviado");
}

/** An API request without `ALG-API-VERSION` is refused before its token is looked at. */
function requireApiVersion(request: Request): Response | undefined {
  return hasApiVersion(request) ? undefined : refuse(400, payMeFakeStatusCodes.invalidRequest, MISSING_VERSION);
}

/** Refuses an API request without `ALG-API-VERSION` before the ping handler sees it (else falls through). */
function apiVersionGuard(origin: string, authority: FakeAuthority<PayMeFakeStatusCode>) {
  return http.get(`${origin}${PING_PATH}`, ({ request }) => {
    if (hasApiVersion(request)) return undefined;
    const fault = authority.begin("api");
    if (fault) return faultResponse(fault, renderCode);
    return refuse(400, payMeFakeStatusCodes.invalidRequest, MISSING_VERSION);
  });
}

/**
 * A faithful fake of Pay-me's documented auth surface, as msw handlers. `POST /token` checks
 * what Pay-me documents: `ALG-API-VERSION: 1709847567`, a JSON body with `action: "authorize"`,
 * `grant_type: "client_credentials"`, the environment's `audience`, the credentials, and a
 * `scope` that includes `create:token`; it issues JWT-shaped tokens with a lifetime in
 * Pay-me's documented response. `GET /payauth-conformance/ping` on the API answers
 * `{ ok: true }` behind the documented checks: `ALG-API-VERSION`, then 401 for an invalid,
 * expired, revoked or missing token. Refusals use Pay-me's envelope with `success: false`
 * (the error body is undocumented: this shape is an assumption).
 */
export function createPayMeFake(options: PayMeFakeOptions = {}): PayMeFake {
  const environment = options.environment ?? "preprod";
  if (!isPayMeEnvironment(environment)) throw new TypeError(`@payauth/payme/testing: unknown environment ${JSON.stringify(environment)}`);
  const audience = options.audience ?? PAYME_ENVIRONMENTS[environment].audience;
  const authOrigin = (options.authOrigin ?? "*").replace(/\/+$/, "");
  const apiOrigin = (options.apiOrigin ?? "*").replace(/\/+$/, "");
  const clients: readonly PayMeFakeClient[] = options.clients ?? [payMeFakeCredentials];
  const lifetime = options.tokenLifetimeSeconds ?? 8600;
  const authority = createFakeAuthority<PayMeFakeStatusCode>({ clock: options.clock });

  const handlers = [
    http.post(`${authOrigin}/token`, async ({ request }) => {
      const fault = authority.begin("token");
      if (fault) return faultResponse(fault, renderCode);
      if (!hasApiVersion(request)) return refuse(400, payMeFakeStatusCodes.invalidRequest, MISSING_VERSION);
      const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
      if (contentType !== "application/json") return refuse(400, payMeFakeStatusCodes.invalidRequest, "Content-Type debe ser application/json");
      const body = TokenRequestSchema.safeParse(await request.json().catch(() => undefined));
      if (!body.success) {
        const fields = [...new Set(body.error.issues.map((issue) => issue.path.map(String).join(".") || "(body)"))].join(", ");
        return refuse(400, payMeFakeStatusCodes.invalidRequest, `Solicitud inválida: ${fields}`);
      }
      if (body.data.audience !== audience) return refuse(400, payMeFakeStatusCodes.invalidRequest, "audience desconocido");
      const client = clients.find((c) => c.clientId === body.data.client_id && authority.acceptsSecret(c, body.data.client_secret));
      if (client === undefined) return refuse(401, payMeFakeStatusCodes.unauthorized, "Credenciales inválidas");
      if (!body.data.scope.split(" ").includes("create:token")) {
        return refuse(403, payMeFakeStatusCodes.missingScope, "El scope create:token es obligatorio");
      }
      const scopes = client.scopes ?? payMeAllScopes;
      const token = authority.issue({ clientId: client.clientId, scopes, audience: body.data.audience }, lifetime);
      return HttpResponse.json({
        action: "authorize",
        success: true,
        access_token: token.accessToken,
        scope: scopes.join(" "),
        expires_in: lifetime,
        token_type: "Bearer",
        authorization: { meta: { status: { code: payMeFakeStatusCodes.created, message_ilgn: [{ locale: "es_PE", value: "Access Token creado" }] } } },
      } satisfies PayMeTokenResponse);
    }),
    apiVersionGuard(apiOrigin, authority),
    createPingHandler(apiOrigin, authority, refuseToken, renderCode),
  ];

  return toProviderFake(handlers, authority, { refuse: refuseToken, renderCode, precheck: requireApiVersion });
}
