import { mapOAuthError, statusToCode, type ErrorContext, type MappedError } from "@payauth/auth-core";
import { OAuthErrorSchema } from "./generated/schemas.gen.js";

/**
 * Maps a Autopay error body `{ error, error_description }` to an `AuthError` code
 * (RFC 6749 codes, see `OAUTH_ERROR_CODES`); `undefined` when the body is not one.
 */
export function mapAutopayError(context: ErrorContext, endpoint: "token" | "api" = "token"): MappedError | undefined {
  const parsed = OAuthErrorSchema.safeParse(context.body);
  return parsed.success ? mapOAuthError(parsed.data, statusToCode(context.status, endpoint)) : undefined;
}
