export { createGetpaidClient } from "./create-getpaid-client.js";
export { mapGetpaidError } from "./map-getpaid-error.js";
export { scopes as getpaidScopes } from "./generated/schemas.gen.js";
export type { components, operations, paths } from "./generated/openapi.gen.js";
export type { GetpaidClient, GetpaidClientOptions, GetpaidScope } from "./types.js";
export {
  AUTH_ERROR_CODES,
  AuthError,
  createMemoryTokenStore,
  customScope,
  InvalidOptionError,
  isAuthError,
  type AccessToken,
  type AuthErrorCode,
  type ClientAuth,
  type Clock,
  type CustomScope,
  type FetchLike,
  type StoredToken,
  type TokenStore,
} from "@payauth/auth-core";
