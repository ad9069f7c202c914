import { describeExports, SHARED_EXPORTS } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/maxpay and @payauth/maxpay/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same. What every provider re-exports from auth-core is SHARED_EXPORTS, listed once.

const EXPECTED = {
  ".": {
    values: [
      "createMaxPayClient",
      "createMaxPayClientPool",
      "MAXPAY_ERROR_CODES",
      "mapMaxPayError",
      "maxPayScopes",
      "maxPayOperationScopes",
      ...SHARED_EXPORTS["."].values,
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
      ...SHARED_EXPORTS["."].types,
    ],
  },
  "./testing": {
    values: [
      "createMaxPayFake",
      "maxPayFakeCredentials",
      "maxPayAllScopes",
      ...SHARED_EXPORTS["./testing"].values,
    ],
    types: [
      "MaxPayFake",
      "MaxPayFakeClient",
      "MaxPayFakeOptions",
      "MaxPayFault",
      ...SHARED_EXPORTS["./testing"].types,
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/maxpay",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
