export { AUTH_ERROR_CODES, AuthError, isAuthError, type AuthErrorCode, type AuthErrorInit } from "./auth-error.js";
export {
  clientSecretBasic,
  clientSecretPost,
  privateKeyJwt,
  tlsClientAuth,
  type AuthenticatedRequest,
  type ClientAssertionAlgorithm,
  type ClientAuthentication,
  type ClientAuthenticationContext,
  type ClientAuthenticationMethod,
  type ClientAuthenticator,
  type KeyClientAuthentication,
  type PreparedClientAuthentication,
  type PrivateJwk,
  type PrivateKeyInput,
  type PrivateKeyJwtOptions,
  type SecretClientAuthentication,
  type WithClientKey,
} from "./client-authentication.js";
export { createAuthMiddleware, missingScopes, type AuthMiddlewareOptions } from "./create-auth-middleware.js";
export { createCacheKey, type CacheKeyParts } from "./create-cache-key.js";
export { createClientPool, DEFAULT_MAX_CLIENTS, type ClientPool, type ClientPoolOptions, type PoolEvent } from "./create-client-pool.js";
export type { SecretSupplier } from "./create-credential.js";
export {
  createProviderClient,
  type CommonClientOptions,
  type ProviderClient,
  type ProviderClientConfig,
  type ProviderDefinition,
  type TokenRequestContext,
} from "./create-provider-client.js";
export {
  createTokenManager,
  DEFAULT_CIRCUIT_BREAKER,
  DEFAULT_REFRESH_WINDOW_SECONDS,
  DEFAULT_TOKEN_REQUEST_LIMIT,
  renewAt,
  type TokenManager,
  type TokenManagerOptions,
} from "./create-token-manager.js";
export { invalidResponse } from "./describe-issues.js";
export { callerRedirect, manualRedirectRequest, type ManualRedirectRequest, type ManualRedirectRequestClass } from "./manual-redirect-request.js";
export { grantFromOAuth, type OAuthTokenResponse } from "./grant-from-oauth.js";
export { customScope } from "./custom-scope.js";
export { mapOAuthError, OAUTH_ERROR_CODES } from "./map-oauth-error.js";
export { createMemoryTokenStore } from "./memory-token-store.js";
export { parseRetryAfter } from "./parse-retry-after.js";
export { parseScopes } from "./parse-scopes.js";
export { redact, redactError, REDACTED } from "./redact.js";
export {
  DEFAULT_TIMEOUT_MS,
  requestToken,
  type ErrorContext,
  type MappedError,
  type RequestTokenOptions,
  type TokenEndpointRequest,
} from "./request-token.js";
export { statusToCode } from "./status-to-code.js";
export { DEFAULT_RETRY, isRetryable, retryDelay } from "./retry.js";
export { systemClock } from "./system-clock.js";
export type {
  AccessToken,
  Acquisition,
  AcquisitionSource,
  AuthEvent,
  ClientAuth,
  Clock,
  CoordinateOptions,
  CustomScope,
  FetchLike,
  FetchReason,
  GetTokenOptions,
  Instrument,
  Logger,
  OperationKey,
  OperationScopes,
  OperationScopesFor,
  RetryOptions,
  StoredToken,
  StoreReadOptions,
  TokenGrant,
  TokenStore,
} from "./types.js";
export { InvalidOptionError, requireHttpUrl, requireString } from "./validate-options.js";
export type { Infer, Issue, SafeParseResult, Validator } from "./validators.js";
