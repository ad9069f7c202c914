import { describeExports, SHARED_EXPORTS } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/getpaid and @payauth/getpaid/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same. What every provider re-exports from auth-core is SHARED_EXPORTS, listed once.

const EXPECTED = {
  ".": {
    values: [
      "createGetpaidClient",
      "createGetpaidClientPool",
      "GETPAID_ERROR_CODES",
      "mapGetpaidError",
      "GETPAID_TOKEN_URL",
      "GETPAID_AUDIENCES",
      "GETPAID_ENVIRONMENTS",
      "getpaidScopes",
      "getpaidOperationScopes",
      ...SHARED_EXPORTS["."].values,
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
      ...SHARED_EXPORTS["."].types,
    ],
  },
  "./testing": {
    values: [
      "createGetpaidFake",
      "getpaidFakeCredentials",
      "getpaidAllScopes",
      ...SHARED_EXPORTS["./testing"].values,
    ],
    types: [
      "GetpaidFake",
      "GetpaidFakeClient",
      "GetpaidFakeOptions",
      "GetpaidFakeErrorCode",
      "GetpaidFault",
      ...SHARED_EXPORTS["./testing"].types,
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/getpaid",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
