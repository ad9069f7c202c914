import { grantFromOAuth, invalidResponse, type ProviderDefinition } from "@payauth/auth-core";
import type { components } from "./generated/openapi.gen.js";
import { TokenResponseSchema } from "./generated/schemas.gen.js";
import { mapPayMeError } from "./map-payme-error.js";

type TokenRequest = components["schemas"]["TokenRequest"];

/** Everything Pay-me-specific about the token lifecycle (`specs/payme.yaml`). */
export const payMeProvider: ProviderDefinition = {
  id: "payme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl, audience, scopes }) => ({
    url: tokenUrl,
    body: {
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: "client_credentials",
      ...(audience === undefined ? {} : { audience }),
      ...(scopes.length === 0 ? {} : { scope: scopes.join(" ") }),
    } satisfies TokenRequest,
  }),
  parseGrant(body) {
    const parsed = TokenResponseSchema.safeParse(body);
    return parsed.success ? grantFromOAuth(parsed.data) : invalidResponse("the Pay-me token response", parsed.error.issues);
  },
  mapTokenError: (context) => mapPayMeError(context, "token"),
  // The API answers 401 for a missing, expired or revoked token.
  isTokenRejected: (context) => context.status === 401,
};
