import { grantFromOAuth, invalidResponse, type ProviderDefinition } from "@payauth/auth-core";
import type { components } from "./generated/openapi.gen.js";
import { TokenResponseSchema } from "./generated/schemas.gen.js";
import { mapGetpaidError } from "./map-getpaid-error.js";

type TokenRequest = components["schemas"]["TokenRequest"];

/**
 * Everything getpaid-specific about the token lifecycle (`specs/getpaid.yaml`):
 * `POST /oauth/token` with the JSON body `{ client_id, client_secret, audience, grant_type, scope? }`,
 * an RFC 6749 token response whose `token_type` is `bearer` or `Bearer`, and (assumed) OAuth
 * 2.0 error bodies.
 */
export const getpaidProvider: ProviderDefinition = {
  id: "getpaid",
  tokenRequest({ clientId, clientSecret, tokenUrl, audience, scopes }) {
    // createGetpaidClient always passes one: the environment's, or the `audience` option.
    if (audience === undefined) throw new TypeError("@payauth/getpaid: a token request needs an audience");
    return {
      url: tokenUrl,
      body: {
        client_id: clientId,
        client_secret: clientSecret,
        audience,
        grant_type: "client_credentials",
        // Optional: newer docs leave it out, so it is sent only when scopes are requested.
        ...(scopes.length === 0 ? {} : { scope: scopes.join(" ") }),
      } satisfies TokenRequest,
    };
  },
  parseGrant(body) {
    const parsed = TokenResponseSchema.safeParse(body);
    // grantFromOAuth compares `token_type` case-insensitively; a missing `scope` means the requested ones.
    return parsed.success ? grantFromOAuth(parsed.data) : invalidResponse("the getpaid token response", parsed.error.issues);
  },
  mapTokenError: (context) => mapGetpaidError(context, "token"),
  // Assumed (undocumented): the API answers 401 for a missing, expired, revoked or malformed
  // token, whatever the body; 403 means a missing scope and is not worth a new token.
  isTokenRejected: (context) => context.status === 401,
};
