export { AUTOPAY_AUDIENCE, AUTOPAY_BASE_URL, AUTOPAY_TOKEN_URL } from "./autopay-urls.js";
export { createAutopayClient } from "./create-autopay-client.js";
export { createAutopayClientPool } from "./create-autopay-client-pool.js";
export { AUTOPAY_ERROR_CODES, mapAutopayError } from "./map-autopay-error.js";
export { scopes as autopayScopes } from "./generated/schemas.gen.js";
export { operationScopes as autopayOperationScopes, type Operation as AutopayOperation, type OperationScope as AutopayOperationScope } from "./generated/operations.gen.js";
export type { components, operations, paths } from "./generated/openapi.gen.js";
export type {
  AutopayClient,
  AutopayClientOptions,
  AutopayError,
  AutopayErrorCode,
  AutopayScope,
  AutopayTokenRequest,
  AutopayTokenResponse,
  AutopayClientPoolOptions,
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
