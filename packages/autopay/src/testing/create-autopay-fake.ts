import { createFakeAuthority, createPingHandler, faultResponse, serveHandlers, type FakeFault, type ProviderFake } from "@payauth/auth-core/testing";
import { http, HttpResponse } from "msw";
import type { components } from "../generated/openapi.gen.js";
import { TokenRequestSchema } from "../generated/schemas.gen.js";

type TokenResponse = components["schemas"]["TokenResponse"];
type OAuthError = components["schemas"]["OAuthError"];

/** The `error` codes the fake can answer with. */
export type AutopayFakeErrorCode = "access_denied" | "invalid_request" | "invalid_scope" | "server_error";

export interface AutopayFakeOptions {
  /** Origin the handlers answer for (token endpoint and API). Default `*`: any origin. */
  origin?: string;
  clients?: readonly { clientId: string; clientSecret: string; scopes?: readonly string[] }[];
  /** `expires_in` of issued tokens. Default 3600. */
  tokenLifetimeSeconds?: number;
  clock?: { now(): number };
}

export type AutopayFake = ProviderFake<AutopayFakeErrorCode>;
export type AutopayFault = FakeFault<AutopayFakeErrorCode>;

/** The credentials the fake accepts by default. Not secret: test values only. */
export const autopayFakeCredentials = { clientId: "autopay-demo-client", clientSecret: "autopay-demo-secret" } as const;

const errorBody = (_status: number, error: AutopayFakeErrorCode): OAuthError => ({ error, error_description: error });

/** A fake of Autopay's documented token endpoint, and `GET /payauth-conformance/ping` behind its token checks. */
export function createAutopayFake(options: AutopayFakeOptions = {}): AutopayFake {
  const origin = (options.origin ?? "*").replace(/\/+$/, "");
  const clients: NonNullable<AutopayFakeOptions["clients"]> = options.clients ?? [autopayFakeCredentials];
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const authority = createFakeAuthority<AutopayFakeErrorCode>({ clock: options.clock });

  const handlers = [
    http.post(`${origin}/oauth/token`, async ({ request }) => {
      const fault = authority.begin("token");
      if (fault) return faultResponse(fault, errorBody);
      const body = TokenRequestSchema.safeParse(await request.json().catch(() => undefined));
      if (!body.success) return HttpResponse.json(errorBody(400, "invalid_request"), { status: 400 });
      const client = clients.find((c) => c.clientId === body.data.client_id && c.clientSecret === body.data.client_secret);
      if (client === undefined) return HttpResponse.json(errorBody(401, "access_denied"), { status: 401 });
      const scopes = client.scopes ?? ["example:read"];
      const token = authority.issue({ clientId: client.clientId, scopes, audience: body.data.audience }, lifetime);
      return HttpResponse.json<TokenResponse>({ access_token: token.accessToken, token_type: "Bearer", expires_in: lifetime, scope: scopes.join(" ") });
    }),
    createPingHandler(origin, authority, () => HttpResponse.json({ message: "Unauthorized" }, { status: 401 }), errorBody),
  ];

  return {
    handlers,
    stats: authority.stats,
    revokeToken: authority.revokeToken,
    failNext: authority.failNext,
    serve: (serveOptions) => serveHandlers(handlers, serveOptions),
    reset: authority.reset,
  };
}
