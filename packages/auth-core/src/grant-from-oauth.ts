import type { MappedError } from "./request-token.js";
import { parseScopes } from "./parse-scopes.js";
import type { TokenGrant } from "./types.js";

/** The token response of RFC 6749 §5.1, as a provider's generated validator has checked it. */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string | undefined;
}

/**
 * An RFC 6749 token response as a grant. `token_type` is compared case-insensitively
 * (getpaid sends `bearer`, others `Bearer`); a missing `scope` means the requested scopes.
 */
export function grantFromOAuth(response: OAuthTokenResponse): TokenGrant | MappedError {
  if (response.token_type.toLowerCase() !== "bearer") {
    return { code: "invalid-response", message: "the token response has a token type other than Bearer" };
  }
  return { accessToken: response.access_token, expiresInSeconds: response.expires_in, scopes: parseScopes(response.scope) };
}
