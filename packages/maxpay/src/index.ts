export { createMaxPayClient } from "./create-maxpay-client.js";
export { createMaxPayClientPool } from "./create-maxpay-client-pool.js";
export { MAXPAY_ERROR_CODES, mapMaxPayError } from "./map-maxpay-error.js";
export { scopes as maxPayScopes } from "./generated/schemas.gen.js";
export { operationScopes as maxPayOperationScopes, type Operation as MaxPayOperation, type OperationScope as MaxPayOperationScope } from "./generated/operations.gen.js";
export type { components, operations, paths } from "./generated/openapi.gen.js";
export type { MaxPayClient, MaxPayClientOptions, MaxPayError, MaxPayErrorCode, MaxPayMe, MaxPayScope, MaxPayClientPoolOptions } from "./types.js";
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
