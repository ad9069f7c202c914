import {
  clientSecretBasic,
  clientSecretPost,
  grantFromOAuth,
  mapOAuthError,
  privateKeyJwt,
  statusToCode,
  tlsClientAuth,
  type MappedError,
  type ProviderDefinition,
  type TokenGrant,
} from "@payauth/auth-core";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * A provider as `pnpm new-provider` scaffolds one (RFC 6749 §4.4, a form request with `scope`
 * and `resource`, the four client authentication methods, §5.2 errors), with hand-written
 * checks instead of a spec's generated validators.
 */
export const standardProvider: ProviderDefinition = {
  id: "standard",
  clientAuthentication: [clientSecretBasic, clientSecretPost, privateKeyJwt, tlsClientAuth],
  tokenRequest: ({ tokenUrl, audience, scopes }) => ({
    url: tokenUrl,
    encoding: "form",
    body: { grant_type: "client_credentials", scope: scopes.length === 0 ? undefined : scopes.join(" "), resource: audience },
  }),
  parseGrant(body): TokenGrant | MappedError {
    if (!isRecord(body) || typeof body["access_token"] !== "string" || typeof body["token_type"] !== "string" || typeof body["expires_in"] !== "number") {
      return { code: "invalid-response", message: "not an RFC 6749 token response" };
    }
    const scope = typeof body["scope"] === "string" ? body["scope"] : undefined;
    return grantFromOAuth({ access_token: body["access_token"], token_type: body["token_type"], expires_in: body["expires_in"], scope });
  },
  mapTokenError: ({ status, body }) =>
    isRecord(body) && typeof body["error"] === "string"
      ? mapOAuthError({ error: body["error"], error_description: typeof body["error_description"] === "string" ? body["error_description"] : undefined }, statusToCode(status, "token"))
      : undefined,
  isTokenRejected: ({ status }) => status === 401,
};
