import { statusToCode, type AuthErrorCode, type ErrorContext, type MappedError } from "@payauth/auth-core";
import { ErrorSchema } from "./generated/schemas.gen.js";
import type { MaxPayErrorCode } from "./types.js";

/** Max Pay's documented codes as `AuthError` codes. A code added to the spec fails to compile until it is mapped here. */
export const MAXPAY_ERROR_CODES: Readonly<Record<MaxPayErrorCode, AuthErrorCode>> = {
  "invalid-credentials": "invalid-credentials",
  "token-expired": "token-expired",
  "invalid-token": "invalid-token",
  "insufficient-scope": "insufficient-scope",
  "rate-limit-exceeded": "rate-limited",
};

/**
 * Maps a Max Pay error body (`{ code, message }`) to an `AuthError` code. A code Max Pay does
 * not document is kept as `providerCode` and the HTTP status decides; so does a body that is
 * missing or not JSON (then `undefined` is returned).
 */
export function mapMaxPayError(context: ErrorContext, endpoint: "token" | "api" = "token"): MappedError | undefined {
  const parsed = ErrorSchema.safeParse(context.body);
  if (parsed.success) {
    return { code: MAXPAY_ERROR_CODES[parsed.data.code], providerCode: parsed.data.code, message: parsed.data.message };
  }
  const body = context.body as { code?: unknown; message?: unknown } | null | undefined;
  if (typeof body?.code !== "string") return undefined;
  return {
    code: statusToCode(context.status, endpoint),
    providerCode: body.code,
    message: typeof body.message === "string" ? body.message : undefined,
  };
}
