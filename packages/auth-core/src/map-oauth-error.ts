import type { AuthErrorCode } from "./auth-error.js";
import type { MappedError } from "./request-token.js";

/** The error codes of RFC 6749 §5.2 (and common extensions) as `AuthError` codes. */
export const OAUTH_ERROR_CODES: Readonly<Record<string, AuthErrorCode>> = {
  invalid_request: "invalid-request",
  invalid_client: "invalid-credentials",
  invalid_grant: "invalid-credentials",
  unauthorized_client: "invalid-credentials",
  access_denied: "invalid-credentials",
  unsupported_grant_type: "invalid-request",
  invalid_scope: "insufficient-scope",
  insufficient_scope: "insufficient-scope",
  invalid_token: "invalid-token",
  server_error: "server-error",
  temporarily_unavailable: "server-error",
  too_many_requests: "rate-limited",
  rate_limit_exceeded: "rate-limited",
  slow_down: "rate-limited",
};

/**
 * Maps an OAuth error body `{ error, error_description }` to an `AuthError` code. An unknown
 * `error` is kept as `providerCode` and `fallback` (usually from the HTTP status) decides.
 */
export function mapOAuthError(body: { error: string; error_description?: string | undefined }, fallback: AuthErrorCode): MappedError {
  // Own properties only: `{"error":"constructor"}` must not find Object.prototype.constructor.
  const code = Object.hasOwn(OAUTH_ERROR_CODES, body.error) ? OAUTH_ERROR_CODES[body.error] : undefined;
  return { code: code ?? fallback, providerCode: body.error, message: body.error_description };
}
