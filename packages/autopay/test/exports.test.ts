import { describeExports, SHARED_EXPORTS } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/autopay and @payauth/autopay/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same. What every provider re-exports from auth-core is SHARED_EXPORTS, listed once.

const EXPECTED = {
  ".": {
    values: [
      "createAutopayClient",
      "createAutopayClientPool",
      "AUTOPAY_ERROR_CODES",
      "mapAutopayError",
      "AUTOPAY_BASE_URL",
      "AUTOPAY_TOKEN_URL",
      "AUTOPAY_AUDIENCE",
      "autopayScopes",
      "autopayOperationScopes",
      ...SHARED_EXPORTS["."].values,
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
      ...SHARED_EXPORTS["."].types,
    ],
  },
  "./testing": {
    values: [
      "createAutopayFake",
      "autopayFakeCredentials",
      ...SHARED_EXPORTS["./testing"].values,
    ],
    types: [
      "AutopayFake",
      "AutopayFakeClient",
      "AutopayFakeOptions",
      "AutopayFakeErrorCode",
      "AutopayFault",
      ...SHARED_EXPORTS["./testing"].types,
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/autopay",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
