import { randomBytes } from "node:crypto";
import { serveHandlers, type FakeServer, type ServeOptions } from "@payauth/auth-core/testing";
import { http, HttpResponse, type HttpHandler } from "msw";
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

/** A fault to answer instead of the normal response. */
export interface MaxPayFault {
  status: number;
  /** Sent as `{ code, message }`. Omit, and give `body`, for a non-Max Pay body. */
  code?: MaxPayErrorCode;
  /** A raw body (e.g. an HTML error page or malformed JSON). */
  body?: string;
  retryAfterSeconds?: number;
}

export interface MaxPayFakeStats {
  /** Login requests received (whatever their outcome). */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** API requests received (`GET /v1/me`). */
  apiCalls: number;
}

export interface MaxPayFake {
  readonly handlers: HttpHandler[];
  readonly stats: Readonly<MaxPayFakeStats>;
  /** Revokes one token, or every token issued so far: the API then answers 401 `invalid-token`. */
  revokeToken(accessToken?: string): void;
  /** Answers the next `times` requests to `route` (`token`: the login, `api`: `GET /v1/me`) with `fault`. */
  failNext(route: "token" | "api", fault: MaxPayFault, times?: number): void;
  /** Serves the handlers over real HTTP on loopback. */
  serve(options?: ServeOptions): Promise<FakeServer>;
  /** Forgets tokens, faults and counts. */
  reset(): void;
}

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

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

function maxPayError(status: number, code: MaxPayErrorCode, headers?: Record<string, string>) {
  return HttpResponse.json<MaxPayErrorBody>({ code, message: MESSAGES[code] }, { status, ...(headers ? { headers } : {}) });
}

/**
 * A faithful fake of Max Pay's documented auth surface, as msw handlers: `POST /v1/auth/login`
 * issues JWT-shaped tokens with a lifetime, `GET /v1/me` checks them, and every documented
 * error can be produced. Use `handlers` with msw's `setupServer`, with `createHandlersFetch`
 * from `@payauth/auth-core/testing`, or over real HTTP with `serve()`.
 */
export function createMaxPayFake(options: MaxPayFakeOptions = {}): MaxPayFake {
  const origin = (options.baseUrl ?? "*").replace(/\/+$/, "");
  const clients = options.clients ?? [maxPayFakeCredentials];
  const lifetime = options.tokenLifetimeSeconds ?? 43_200;
  const clock = options.clock ?? Date;
  const tokens = new Map<string, { clientId: string; scopes: readonly MaxPayScope[]; expiresAt: number; revoked: boolean }>();
  const faults: Record<"token" | "api", { fault: MaxPayFault; times: number }[]> = { token: [], api: [] };
  const stats: MaxPayFakeStats = { tokenRequests: 0, tokensIssued: 0, apiCalls: 0 };
  let loginTimes: number[] = [];

  function takeFault(route: "token" | "api"): Response | undefined {
    const next = faults[route][0];
    if (next === undefined) return undefined;
    if (--next.times <= 0) faults[route].shift();
    const { status, code, body, retryAfterSeconds } = next.fault;
    const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
    if (code !== undefined) return maxPayError(status, code, headers);
    return new HttpResponse(body ?? null, { status, headers: { "content-type": "text/html", ...headers } });
  }

  function issue(client: MaxPayFakeClient): TokenResponse {
    const now = clock.now();
    const scopes = client.scopes ?? DOC_SCOPES;
    const payload = { sub: client.clientId, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + lifetime, jti: randomBytes(8).toString("hex") };
    const accessToken = `${base64url('{"alg":"RS256","typ":"JWT"}')}.${base64url(JSON.stringify(payload))}.${base64url(randomBytes(32))}`;
    tokens.set(accessToken, { clientId: client.clientId, scopes, expiresAt: now + lifetime * 1000, revoked: false });
    stats.tokensIssued++;
    return { accessToken, tokenType: "Bearer", expiresIn: lifetime, scope: scopes.join(" ") };
  }

  const handlers = [
    http.post(`${origin}/v1/auth/login`, async ({ request }) => {
      stats.tokenRequests++;
      const fault = takeFault("token");
      if (fault) return fault;
      if (options.loginRateLimit) {
        const now = clock.now();
        const { max, windowSeconds } = options.loginRateLimit;
        loginTimes = loginTimes.filter((t) => t > now - windowSeconds * 1000);
        if (loginTimes.length >= max) {
          const retryAfter = Math.max(1, Math.ceil(((loginTimes[0] ?? now) + windowSeconds * 1000 - now) / 1000));
          return maxPayError(429, "rate-limit-exceeded", { "retry-after": String(retryAfter) });
        }
        loginTimes.push(now);
      }
      const body = LoginRequestSchema.safeParse(await request.json().catch(() => undefined));
      const client = body.success
        ? clients.find((c) => c.clientId === body.data.clientId && c.clientSecret === body.data.clientSecret)
        : undefined;
      if (client === undefined) return maxPayError(401, "invalid-credentials");
      return HttpResponse.json(issue(client));
    }),
    http.get(`${origin}/v1/me`, ({ request }) => {
      stats.apiCalls++;
      const fault = takeFault("api");
      if (fault) return fault;
      const match = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "");
      const token = match?.[1] === undefined ? undefined : tokens.get(match[1]);
      if (token === undefined || token.revoked) return maxPayError(401, "invalid-token");
      if (clock.now() >= token.expiresAt) return maxPayError(401, "token-expired");
      return HttpResponse.json<Me>({
        customer: { id: 17, businessName: "DistribuidoraDemo S.A.", taxId: "30999999999", creationDate: "2025-11-01T10:00:00-03:00" },
        apiKey: { id: 88, name: `ERP ${token.clientId}`, scopes: [...token.scopes], environment: "PRODUCTION", rateLimitTier: "STANDARD" },
      });
    }),
  ];

  return {
    handlers,
    stats,
    revokeToken(accessToken) {
      for (const [value, token] of tokens) if (accessToken === undefined || value === accessToken) token.revoked = true;
    },
    failNext(route, fault, times = 1) {
      faults[route].push({ fault, times });
    },
    serve: (serveOptions) => serveHandlers(handlers, serveOptions),
    reset() {
      tokens.clear();
      faults.token = [];
      faults.api = [];
      loginTimes = [];
      Object.assign(stats, { tokenRequests: 0, tokensIssued: 0, apiCalls: 0 });
    },
  };
}

/** Every scope Max Pay documents, handy for a fake client with full access. */
export const maxPayAllScopes: readonly MaxPayScope[] = allScopes;
