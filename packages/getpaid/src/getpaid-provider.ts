import { grantFromOAuth, invalidResponse, type ProviderDefinition } from "@payauth/auth-core";
import type { components } from "./generated/openapi.gen.js";
import { TokenResponseSchema } from "./generated/schemas.gen.js";
import { mapGetpaidError } from "./map-getpaid-error.js";

type TokenRequest = components["schemas"]["TokenRequest"];

/** Everything getpaid-specific about the token lifecycle (`specs/getpaid.yaml`). */
export const getpaidProvider: ProviderDefinition = {
  id: "getpaid",
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
    return parsed.success ? grantFromOAuth(parsed.data) : invalidResponse("the getpaid token response", parsed.error.issues);
  },
  mapTokenError: (context) => mapGetpaidError(context, "token"),
  // The API answers 401 for a missing, expired or revoked token.
  isTokenRejected: (context) => context.status === 401,
};
