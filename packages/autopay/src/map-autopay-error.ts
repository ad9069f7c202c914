import { mapOAuthError, statusToCode, type AuthErrorCode, type ErrorContext, type MappedError } from "@payauth/auth-core";
import { OAuthErrorSchema } from "./generated/schemas.gen.js";
import type { AutopayErrorCode } from "./types.js";

/**
 * Autopay's documented `error` codes as `AuthError` codes. A code added to the spec's
 * `ErrorCode` enum fails to compile until it is mapped here.
 */
export const AUTOPAY_ERROR_CODES: Readonly<Record<AutopayErrorCode, AuthErrorCode>> = {
  // 401 "in case of invalid values in the client_id or client_secret fields".
  access_denied: "invalid-credentials",
};

function isDocumented(code: string): code is AutopayErrorCode {
  return Object.hasOwn(AUTOPAY_ERROR_CODES, code);
}

/**
 * Maps an Autopay error body `{ error, error_description }` to an `AuthError` code: the
 * documented codes by `AUTOPAY_ERROR_CODES`, other RFC 6749 codes by auth-core's
 * `mapOAuthError`, and an unknown code by the HTTP status (it stays available as
 * `providerCode`). A body that is missing, not JSON or has no string `error` gives
 * `undefined`: the HTTP status decides.
 */
export function mapAutopayError(context: ErrorContext, endpoint: "token" | "api" = "token"): MappedError | undefined {
  const parsed = OAuthErrorSchema.safeParse(context.body);
  if (!parsed.success) return undefined;
  const { error, error_description: message } = parsed.data;
  if (isDocumented(error)) return { code: AUTOPAY_ERROR_CODES[error], providerCode: error, message };
  return mapOAuthError({ error, error_description: message }, statusToCode(context.status, endpoint));
}
