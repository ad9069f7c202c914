import { describeExports } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/autopay and @payauth/autopay/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same.

const EXPECTED = {
  ".": {
    values: [
      "createAutopayClient",
      "createAutopayClientPool",
      "customScope",
      "isAuthError",
      "AuthError",
      "InvalidOptionError",
      "AUTH_ERROR_CODES",
      "AUTOPAY_ERROR_CODES",
      "mapAutopayError",
      "AUTOPAY_BASE_URL",
      "AUTOPAY_TOKEN_URL",
      "AUTOPAY_AUDIENCE",
      "autopayScopes",
      "autopayOperationScopes",
      "createMemoryTokenStore",
    ],
    types: [
      "AutopayClient",
      "AutopayClientOptions",
      "AutopayClientPoolOptions",
      "AutopayScope",
      "AutopayTokenRequest",
      "AutopayTokenResponse",
      "AutopayError",
      "AutopayErrorCode",
      "AutopayOperation",
      "AutopayOperationScope",
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
      "createAutopayFake",
      "autopayFakeCredentials",
      "createHandlersFetch",
      "createManualClock",
      "serveHandlers",
    ],
    types: [
      "AutopayFake",
      "AutopayFakeClient",
      "AutopayFakeOptions",
      "AutopayFakeErrorCode",
      "AutopayFault",
      "FakeServer",
      "ManualClock",
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/autopay",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
