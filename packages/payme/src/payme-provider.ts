import { grantFromOAuth, invalidResponse, type ProviderDefinition } from "@payauth/auth-core";
import { PAYME_API_VERSION } from "./environments.js";
import { TokenResponseSchema } from "./generated/schemas.gen.js";
import { mapPayMeError, mapPayMeRefusal } from "./map-payme-error.js";
import type { PayMeScope, PayMeTokenRequest } from "./types.js";

/** The scope Pay-me requires on every token request. */
export const PAYME_TOKEN_SCOPE = "create:token" satisfies PayMeScope;

/** `scopes` with `create:token` first and exactly once, the others in their order, without duplicates. */
export function withTokenScope(scopes: readonly string[]): string[] {
  return [...new Set([PAYME_TOKEN_SCOPE, ...scopes])];
}

function isRefusal(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { success?: unknown }).success === false;
}

/**
 * Everything Pay-me-specific about the token lifecycle (`specs/payme.yaml`):
 * `POST /token` with `ALG-API-VERSION` and `{ action: "authorize", grant_type, audience,
 * client_id, client_secret, scope }`; a 200 with `success: false` is a failure; error bodies
 * are undocumented and read tolerantly.
 */
export const payMeProvider: ProviderDefinition = {
  id: "payme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl, audience, scopes }) => {
    // createPayMeClient always passes one (the environment's, or the `audience` option).
    if (audience === undefined) throw new TypeError("@payauth/payme: the token request needs an audience");
    return {
      url: tokenUrl,
      headers: { "ALG-API-VERSION": PAYME_API_VERSION },
      body: {
        action: "authorize",
        grant_type: "client_credentials",
        audience,
        client_id: clientId,
        client_secret: clientSecret,
        scope: withTokenScope(scopes).join(" "),
      } satisfies PayMeTokenRequest,
    };
  },
  parseGrant(body) {
    // Documented: `success: false` is a failure even with HTTP 200.
    if (isRefusal(body)) return mapPayMeRefusal(body);
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) return invalidResponse("the Pay-me token response", parsed.error.issues);
    return grantFromOAuth(parsed.data);
  },
  mapTokenError: (context) => mapPayMeError(context, "token"),
  // Documented: the API answers 401 for an invalid, expired or missing token (whatever its
  // body), so every API 401 replaces the token and replays the request once. 403 (a missing
  // scope) is never replayed.
  isTokenRejected: (context) => context.status === 401,
  apiHeaders: { "ALG-API-VERSION": PAYME_API_VERSION },
};
