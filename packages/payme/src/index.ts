export { createPayMeClient } from "./create-payme-client.js";
export { createPayMeClientPool } from "./create-payme-client-pool.js";
export { isPayMeEnvironment, PAYME_API_VERSION, PAYME_ENVIRONMENTS, type PayMeEnvironmentUrls } from "./environments.js";
export { mapPayMeError, mapPayMeRefusal, readPayMeStatus, type PayMeStatus } from "./map-payme-error.js";
export { PAYME_TOKEN_SCOPE } from "./payme-provider.js";
export { scopes as payMeScopes } from "./generated/schemas.gen.js";
export { operationScopes as payMeOperationScopes, type Operation as PayMeOperation, type OperationScope as PayMeOperationScope } from "./generated/operations.gen.js";
export type { components, operations, paths } from "./generated/openapi.gen.js";
export type {
  PayMeClient,
  PayMeClientOptions,
  PayMeEnvironment,
  PayMeErrorBody,
  PayMeErrorDetails,
  PayMeLocalizedMessage,
  PayMeScope,
  PayMeTokenRefusal,
  PayMeTokenRequest,
  PayMeTokenResponse,
  PayMeClientPoolOptions,
} from "./types.js";
export {
  AUTH_ERROR_CODES,
  AuthError,
  createMemoryTokenStore,
  customScope,
  InvalidOptionError,
  isAuthError,
  type AccessToken,
  type AuthErrorCode,
  type AuthEvent,
  type ClientAuth,
  type ClientPool,
  type Clock,
  type CustomScope,
  type FetchLike,
  type OperationKey,
  type OperationScopes,
  type OperationScopesFor,
  type PoolEvent,
  type RetryOptions,
  type SecretSupplier,
  type StoredToken,
  type TokenStore,
} from "@payauth/auth-core";
