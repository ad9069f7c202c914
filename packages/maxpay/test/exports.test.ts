import { describeExports } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/maxpay and @payauth/maxpay/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same.

const EXPECTED = {
  ".": {
    values: [
      "createMaxPayClient",
      "createMaxPayClientPool",
      "customScope",
      "isAuthError",
      "AuthError",
      "InvalidOptionError",
      "AUTH_ERROR_CODES",
      "MAXPAY_ERROR_CODES",
      "mapMaxPayError",
      "maxPayScopes",
      "maxPayOperationScopes",
      "createMemoryTokenStore",
    ],
    types: [
      "MaxPayClient",
      "MaxPayClientOptions",
      "MaxPayClientPoolOptions",
      "MaxPayScope",
      "MaxPayMe",
      "MaxPayError",
      "MaxPayErrorCode",
      "MaxPayOperation",
      "MaxPayOperationScope",
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
      "createMaxPayFake",
      "maxPayFakeCredentials",
      "maxPayAllScopes",
      "createHandlersFetch",
      "createManualClock",
      "serveHandlers",
    ],
    types: [
      "MaxPayFake",
      "MaxPayFakeClient",
      "MaxPayFakeOptions",
      "MaxPayFault",
      "FakeServer",
      "ManualClock",
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/maxpay",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
