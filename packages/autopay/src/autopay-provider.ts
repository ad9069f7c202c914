import { grantFromOAuth, invalidResponse, type ProviderDefinition } from "@payauth/auth-core";
import { TokenResponseSchema } from "./generated/schemas.gen.js";
import { AUTOPAY_AUDIENCE } from "./autopay-urls.js";
import { mapAutopayError } from "./map-autopay-error.js";
import type { AutopayTokenRequest } from "./types.js";

/** The documented body, except that the `audience` option may replace the one value Autopay accepts. */
type TokenRequestBody = Omit<AutopayTokenRequest, "audience"> & { audience: string };

/**
 * Everything Autopay-specific about the token lifecycle (`specs/autopay.yaml`):
 * `POST /oauth/token` with the JSON body `{ client_id, client_secret, audience, grant_type }`
 * and no `scope`, an RFC 6749 token response, and `{ error, error_description }` error bodies.
 */
export const autopayProvider: ProviderDefinition = {
  id: "autopay",
  tokenRequest: ({ clientId, clientSecret, tokenUrl, audience }) => ({
    url: tokenUrl,
    // The docs: "HTTP headers must include Content-Type: application/json".
    headers: { "content-type": "application/json" },
    // In the docs' order. `audience` always comes from the factory (default https://api.autopay.io).
    body: {
      client_id: clientId,
      client_secret: clientSecret,
      audience: audience ?? AUTOPAY_AUDIENCE,
      grant_type: "client_credentials",
    } satisfies TokenRequestBody,
  }),
  parseGrant(body) {
    const parsed = TokenResponseSchema.safeParse(body);
    return parsed.success ? grantFromOAuth(parsed.data) : invalidResponse("the Autopay token response", parsed.error.issues);
  },
  mapTokenError: (context) => mapAutopayError(context, "token"),
  // Autopay does not document its API errors: any 401 means the bearer token was not
  // accepted (missing, expired or revoked), so the token is replaced and the request replayed once.
  isTokenRejected: (context) => context.status === 401,
  // Autopay warns that "generating excessive tokens within their lifetime may lead to
  // termination of API access", and its tokens live 24 hours: when a token that replaced a
  // rejected one is rejected too, keep it for an hour, doubling up to a day, before another.
  rejectionBackoff: { baseMs: 60 * 60_000, maxMs: 24 * 60 * 60_000 },
};
