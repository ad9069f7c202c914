import type { AuthErrorCode } from "./auth-error.js";

/** The fallback mapping from an HTTP status to an `AuthError` code, used when a provider's body says nothing better. */
export function statusToCode(status: number, endpoint: "token" | "api" = "token"): AuthErrorCode {
  if (status === 401) return endpoint === "token" ? "invalid-credentials" : "invalid-token";
  if (status === 403) return "insufficient-scope";
  if (status === 408) return "timeout";
  if (status === 429) return "rate-limited";
  if (status >= 500) return "server-error";
  if (status >= 400) return "invalid-request";
  return "invalid-response";
}
