export { createGetpaidClient } from "./create-getpaid-client.js";
export { createGetpaidClientPool } from "./create-getpaid-client-pool.js";
export { GETPAID_AUDIENCES, GETPAID_ENVIRONMENTS, GETPAID_TOKEN_URL } from "./environments.js";
export { GETPAID_ERROR_CODES, mapGetpaidError } from "./map-getpaid-error.js";
export { scopes as getpaidScopes } from "./generated/schemas.gen.js";
export { operationScopes as getpaidOperationScopes, type Operation as GetpaidOperation, type OperationScope as GetpaidOperationScope } from "./generated/operations.gen.js";
export type { components, operations, paths } from "./generated/openapi.gen.js";
export type {
  GetpaidAccess,
  GetpaidClient,
  GetpaidClientOptions,
  GetpaidEnvironment,
  GetpaidError,
  GetpaidErrorCode,
  GetpaidResource,
  GetpaidScope,
  GetpaidTokenResponse,
  GetpaidClientPoolOptions,
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
