import { describeExports } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/payme and @payauth/payme/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same.

const EXPECTED = {
  ".": {
    values: [
      "createPayMeClient",
      "createPayMeClientPool",
      "customScope",
      "isAuthError",
      "AuthError",
      "InvalidOptionError",
      "AUTH_ERROR_CODES",
      "mapPayMeError",
      "mapPayMeRefusal",
      "readPayMeStatus",
      "isPayMeEnvironment",
      "PAYME_ENVIRONMENTS",
      "PAYME_API_VERSION",
      "PAYME_TOKEN_SCOPE",
      "payMeScopes",
      "payMeOperationScopes",
      "createMemoryTokenStore",
    ],
    types: [
      "PayMeClient",
      "PayMeClientOptions",
      "PayMeClientPoolOptions",
      "PayMeEnvironment",
      "PayMeEnvironmentUrls",
      "PayMeScope",
      "PayMeStatus",
      "PayMeTokenRequest",
      "PayMeTokenResponse",
      "PayMeTokenRefusal",
      "PayMeErrorBody",
      "PayMeErrorDetails",
      "PayMeLocalizedMessage",
      "PayMeOperation",
      "PayMeOperationScope",
      "paths",
      "components",
      "operations",
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
    values: [
      "createPayMeFake",
      "payMeFakeCredentials",
      "payMeAllScopes",
      "payMeFakeStatusCodes",
      "createHandlersFetch",
      "createManualClock",
      "serveHandlers",
    ],
    types: [
      "PayMeFake",
      "PayMeFakeClient",
      "PayMeFakeOptions",
      "PayMeFakeStatusCode",
      "PayMeFault",
      "FakeServer",
      "ManualClock",
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/payme",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
