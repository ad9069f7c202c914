export { createAutopayClient } from "./create-autopay-client.js";
export { mapAutopayError } from "./map-autopay-error.js";
export { scopes as autopayScopes } from "./generated/schemas.gen.js";
export type { components, operations, paths } from "./generated/openapi.gen.js";
export type { AutopayClient, AutopayClientOptions, AutopayScope } from "./types.js";
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
