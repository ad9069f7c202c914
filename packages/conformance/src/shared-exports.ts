/**
 * What every provider entry re-exports from `@payauth/auth-core`, as each provider README lists
 * it under "Exports": a provider's own exports are listed in its own test, these once here.
 */
export const SHARED_EXPORTS = {
  ".": {
    values: ["customScope", "isAuthError", "AuthError", "InvalidOptionError", "AUTH_ERROR_CODES", "createMemoryTokenStore"],
    types: [
      "AccessToken",
      "AuthErrorCode",
      "AuthEvent",
      "ClientAuth",
      "ClientPool",
      "Clock",
      "CustomScope",
      "FetchLike",
      "OperationKey",
      "OperationScopes",
      "OperationScopesFor",
      "PoolEvent",
      "RetryOptions",
      "SecretSupplier",
      "StoredToken",
      "TokenStore",
    ],
  },
  "./testing": {
    values: ["createHandlersFetch", "createManualClock", "serveHandlers"],
    types: ["FakeServer", "ManualClock"],
  },
} as const;
