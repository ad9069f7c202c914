import { describeExports, SHARED_EXPORTS } from "@payauth/conformance";

// Issue 12, item 10: the public exports of @payauth/payme and @payauth/payme/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; describeExports checks that the entries export nothing else and that the
// README says the same. What every provider re-exports from auth-core is SHARED_EXPORTS, listed once.

const EXPECTED = {
  ".": {
    values: [
      "createPayMeClient",
      "createPayMeClientPool",
      "mapPayMeError",
      "mapPayMeRefusal",
      "readPayMeStatus",
      "isPayMeEnvironment",
      "PAYME_ENVIRONMENTS",
      "PAYME_API_VERSION",
      "PAYME_TOKEN_SCOPE",
      "payMeScopes",
      "payMeOperationScopes",
      ...SHARED_EXPORTS["."].values,
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
      ...SHARED_EXPORTS["."].types,
    ],
  },
  "./testing": {
    values: [
      "createPayMeFake",
      "payMeFakeCredentials",
      "payMeAllScopes",
      "payMeFakeStatusCodes",
      ...SHARED_EXPORTS["./testing"].values,
    ],
    types: [
      "PayMeFake",
      "PayMeFakeClient",
      "PayMeFakeOptions",
      "PayMeFakeStatusCode",
      "PayMeFault",
      ...SHARED_EXPORTS["./testing"].types,
    ],
  },
} as const;

describeExports({
  packageName: "@payauth/payme",
  expected: EXPECTED,
  testFile: import.meta.url,
  load: { ".": () => import("../src/index.js"), "./testing": () => import("../src/testing/index.js") },
});
