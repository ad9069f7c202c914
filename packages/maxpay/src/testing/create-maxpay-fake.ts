import type { CustomScope } from "@payauth/auth-core";
import { createFakeAuthority, createPingHandler, faultResponse, toProviderFake, type BearerRefusal, type FakeFault, type ProviderFake } from "@payauth/auth-core/testing";
import { http, HttpResponse } from "msw";
import type { components } from "../generated/openapi.gen.js";
import { LoginRequestSchema, scopes as allScopes } from "../generated/schemas.gen.js";
import type { MaxPayErrorCode, MaxPayScope } from "../types.js";

type TokenResponse = components["schemas"]["TokenResponse"];
type MaxPayErrorBody = components["schemas"]["Error"];
type Me = components["schemas"]["Me"];

export interface MaxPayFakeClient {
  clientId: string;
  clientSecret: string;
  /** The API key's scopes. Default: the twelve in Max Pay's `/v1/me` example. */
  scopes?: readonly MaxPayScope[];
}

export interface MaxPayFakeOptions {
  /** Origin the handlers answer for. Default `*`: any origin (works for msw and `serve()`). */
  baseUrl?: string;
  /** Accepted credentials. Default: `maxPayFakeCredentials`. */
  clients?: readonly MaxPayFakeClient[];
  /** `expiresIn` of issued tokens. Default 43200 (Max Pay's 12 hours). */
  tokenLifetimeSeconds?: number;
  /** Logins allowed per `windowSeconds` before 429 `rate-limit-exceeded`. Default: no limit. */
  loginRateLimit?: { max: number; windowSeconds: number };
  /** Source of time for token expiry. Default `Date`. */
  clock?: { now(): number };
}

/** A fault to answer instead of the normal response; `code` renders `{ code, message }`. */
export type MaxPayFault = FakeFault<MaxPayErrorCode>;

/**
 * The fake Max Pay: `failNext("token" | "api", …)` targets the login or the API (`GET /v1/me`,
 * and your routes behind `requireToken(handler, { scopes })`).
 */
export type MaxPayFake = ProviderFake<MaxPayErrorCode, MaxPayScope | CustomScope>;

/** The credentials the fake accepts by default. Not secret: test values only. */
export const maxPayFakeCredentials = { clientId: "demo-client-id", clientSecret: "demo-client-secret" } as const;

const DOC_SCOPES: readonly MaxPayScope[] = [
  "clients:read", "clients:write", "associates:read", "associates:write",
  "receivable-accounts:read", "receivable-accounts:write", "receivables:read", "receivables:write",
  "movements:read", "settlements:read", "reports:read", "webhooks:admin",
];

const MESSAGES: Record<MaxPayErrorCode, string> = {
  "invalid-credentials": "Incorrect credentials",
  "token-expired": "Expired token",
  "invalid-token": "Malformed token",
  "insufficient-scope": "Missing required scope",
  "rate-limit-exceeded": "Rate limit on /auth/login",
};

const errorBody = (_status: number, code: MaxPayErrorCode): MaxPayErrorBody => ({ code, message: MESSAGES[code] });

function maxPayError(status: number, code: MaxPayErrorCode, headers: Record<string, string> = {}) {
  return HttpResponse.json(errorBody(status, code), { status, headers });
}

/** Max Pay's refusal of a bearer token: 401 `token-expired` or `invalid-token`, 403 `insufficient-scope`. */
function refuse(check: BearerRefusal): Response {
  if (check.reason === "insufficient-scope") return maxPayError(403, "insufficient-scope");
  return maxPayError(401, check.reason === "expired" ? "token-expired" : "invalid-token");
}

/**
 * A faithful fake of Max Pay's documented auth surface, as msw handlers: `POST /v1/auth/login`
 * issues JWT-shaped tokens with a lifetime, `GET /v1/me` checks them, and every documented
 * error can be produced. `GET /payauth-conformance/ping` answers `{ ok: true }` behind the same
 * token checks (the shared conformance suite calls it). Use `handlers` with msw's `setupServer`, with `createHandlersFetch`
 * from `@payauth/auth-core/testing`, or over real HTTP with `serve()`.
 */
export function createMaxPayFake(options: MaxPayFakeOptions = {}): MaxPayFake {
  const origin = (options.baseUrl ?? "*").replace(/\/+$/, "");
  const clients: readonly MaxPayFakeClient[] = options.clients ?? [maxPayFakeCredentials];
  const lifetime = options.tokenLifetimeSeconds ?? 43_200;
  const authority = createFakeAuthority<MaxPayErrorCode>({ clock: options.clock });

  const handlers = [
    http.post(`${origin}/v1/auth/login`, async ({ request }) => {
      const fault = authority.begin("token");
      if (fault) return faultResponse(fault, errorBody);
      const limit = options.loginRateLimit;
      if (limit && authority.recentRequests("token", limit.windowSeconds) > limit.max) {
        return maxPayError(429, "rate-limit-exceeded", { "retry-after": String(limit.windowSeconds) });
      }
      const body = LoginRequestSchema.safeParse(await request.json().catch(() => undefined));
      const client = body.success
        ? clients.find((c) => c.clientId === body.data.clientId && authority.acceptsSecret(c, body.data.clientSecret))
        : undefined;
      if (client === undefined) return maxPayError(401, "invalid-credentials");
      const scopes = client.scopes ?? DOC_SCOPES;
      const token = authority.issue({ clientId: client.clientId, scopes }, lifetime);
      return HttpResponse.json<TokenResponse>({ accessToken: token.accessToken, tokenType: "Bearer", expiresIn: lifetime, scope: scopes.join(" ") });
    }),
    http.get(`${origin}/v1/me`, ({ request }) => {
      const fault = authority.begin("api");
      if (fault) return faultResponse(fault, errorBody);
      const check = authority.checkBearer(request);
      if (!check.ok) return refuse(check);
      return HttpResponse.json<Me>({
        customer: { id: 17, businessName: "DistribuidoraDemo S.A.", taxId: "30999999999", creationDate: "2025-11-01T10:00:00-03:00" },
        apiKey: { id: 88, name: `ERP ${check.token.clientId}`, scopes: [...check.token.scopes], environment: "PRODUCTION", rateLimitTier: "STANDARD" },
      });
    }),
    createPingHandler(origin, authority, refuse, errorBody),
  ];

  return toProviderFake(handlers, authority, { refuse, renderCode: errorBody });
}

/** Every scope Max Pay documents, handy for a fake client with full access. */
export const maxPayAllScopes: readonly MaxPayScope[] = allScopes;
