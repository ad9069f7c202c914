import { invalidResponse, parseScopes, type ProviderDefinition } from "@payauth/auth-core";
import type { components } from "./generated/openapi.gen.js";
import { TokenResponseSchema } from "./generated/schemas.gen.js";
import { mapMaxPayError } from "./map-maxpay-error.js";

type LoginRequest = components["schemas"]["LoginRequest"];

/**
 * Everything Max Pay-specific about the token lifecycle (`specs/maxpay.yaml`):
 * `POST /v1/auth/login` with `{ clientId, clientSecret }`, a camelCase token response,
 * and `{ code, message }` error bodies.
 */
export const maxPayProvider: ProviderDefinition = {
  id: "maxpay",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({
    url: tokenUrl,
    body: { clientId, clientSecret } satisfies LoginRequest,
  }),
  parseGrant(body) {
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) return invalidResponse("the Max Pay token response", parsed.error.issues);
    if (parsed.data.tokenType.toLowerCase() !== "bearer") {
      return { code: "invalid-response", message: "the Max Pay token response has a token type other than Bearer" };
    }
    return { accessToken: parsed.data.accessToken, expiresInSeconds: parsed.data.expiresIn, scopes: parseScopes(parsed.data.scope) };
  },
  mapTokenError: (context) => mapMaxPayError(context, "token"),
  isTokenRejected(context) {
    const code = mapMaxPayError(context, "api")?.providerCode;
    return code === "token-expired" || code === "invalid-token";
  },
};
