export { createPayMeClient } from "./create-payme-client.js";
export { mapPayMeError } from "./map-payme-error.js";
export { scopes as payMeScopes } from "./generated/schemas.gen.js";
export type { components, operations, paths } from "./generated/openapi.gen.js";
export type { PayMeClient, PayMeClientOptions, PayMeScope } from "./types.js";
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
