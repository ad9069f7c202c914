import { describeConformance, type ConformancePaths } from "@payauth/conformance";
import { createGetpaidClient } from "../src/index.js";
import { createGetpaidFake, getpaidFakeCredentials } from "../src/testing/index.js";

const invalidSecret = "not-the-getpaid-secret";

describeConformance({
  provider: "getpaid",
  invalidSecret,
  createFake: (options) => createGetpaidFake(options),
  createClient: ({ origin, credentials, ...options }) =>
    createGetpaidClient<ConformancePaths>({
      baseUrl: origin,
      tokenUrl: `${origin}/oauth/token`,
      ...getpaidFakeCredentials,
      ...(credentials === "invalid" ? { clientSecret: invalidSecret } : {}),
      ...options,
    }),
  tokenErrors: [
    { name: "401 access_denied", fault: { status: 401, code: "access_denied" }, code: "invalid-credentials", providerCode: "access_denied" },
  ],
  apiTokenRejected: { status: 401, body: "" },
  apiForbidden: { status: 403, body: "" },
});
