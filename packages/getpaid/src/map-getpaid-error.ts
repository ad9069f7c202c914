import { mapOAuthError, statusToCode, type AuthErrorCode, type ErrorContext, type MappedError } from "@payauth/auth-core";
import { OAuthErrorSchema } from "./generated/schemas.gen.js";
import type { GetpaidErrorCode } from "./types.js";

/**
 * The OAuth 2.0 `error` codes `specs/getpaid.yaml` lists, as `AuthError` codes (the same as
 * auth-core's `OAUTH_ERROR_CODES`). A code added to the spec fails to compile until it is mapped here.
 */
export const GETPAID_ERROR_CODES: Readonly<Record<GetpaidErrorCode, AuthErrorCode>> = Object.freeze({
  invalid_request: "invalid-request",
  invalid_client: "invalid-credentials",
  invalid_grant: "invalid-credentials",
  unauthorized_client: "invalid-credentials",
  unsupported_grant_type: "invalid-request",
  invalid_scope: "insufficient-scope",
  access_denied: "invalid-credentials",
  server_error: "server-error",
  temporarily_unavailable: "server-error",
});

/**
 * Maps a getpaid error body `{ error, error_description }` (assumed OAuth 2.0 form) to an
 * `AuthError` code with `mapOAuthError`. A code the spec does not list is kept as
 * `providerCode` and mapped like any OAuth code, else by the HTTP status. A body that is
 * missing, not JSON or not of that form returns `undefined`: the HTTP status decides.
 */
export function mapGetpaidError(context: ErrorContext, endpoint: "token" | "api" = "token"): MappedError | undefined {
  const body = context.body;
  if (typeof body !== "object" || body === null) return undefined;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error !== "string" || error === "") return undefined;
  const mapped = mapOAuthError(
    { error, error_description: typeof description === "string" ? description : undefined },
    statusToCode(context.status, endpoint),
  );
  const documented = OAuthErrorSchema.safeParse(body);
  return documented.success ? { ...mapped, code: GETPAID_ERROR_CODES[documented.data.error] } : mapped;
}
