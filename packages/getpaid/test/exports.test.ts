import { describeExports } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/getpaid and @payauth/getpaid/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same.

const EXPECTED = {
  ".": {
    values: [
      "createGetpaidClient",
      "createGetpaidClientPool",
      "customScope",
      "isAuthError",
      "AuthError",
      "InvalidOptionError",
      "AUTH_ERROR_CODES",
      "GETPAID_ERROR_CODES",
      "mapGetpaidError",
      "GETPAID_TOKEN_URL",
      "GETPAID_AUDIENCES",
      "GETPAID_ENVIRONMENTS",
      "getpaidScopes",
      "getpaidOperationScopes",
      "createMemoryTokenStore",
    ],
    types: [
      "GetpaidClient",
      "GetpaidClientOptions",
      "GetpaidClientPoolOptions",
      "GetpaidEnvironment",
      "GetpaidScope",
      "GetpaidResource",
      "GetpaidAccess",
      "GetpaidTokenResponse",
      "GetpaidError",
      "GetpaidErrorCode",
      "GetpaidOperation",
      "GetpaidOperationScope",
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
      "createGetpaidFake",
      "getpaidFakeCredentials",
      "getpaidAllScopes",
      "createHandlersFetch",
      "createManualClock",
      "serveHandlers",
    ],
    types: [
      "GetpaidFake",
      "GetpaidFakeClient",
      "GetpaidFakeOptions",
      "GetpaidFakeErrorCode",
      "GetpaidFault",
      "FakeServer",
      "ManualClock",
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/getpaid",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
