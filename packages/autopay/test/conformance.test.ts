import { describeConformance, type ConformancePaths } from "@payauth/conformance";
import { createAutopayClient } from "../src/index.js";
import { createAutopayFake, autopayFakeCredentials } from "../src/testing/index.js";

const invalidSecret = "not-the-autopay-secret";

describeConformance({
  provider: "autopay",
  invalidSecret,
  createFake: (options) => createAutopayFake(options),
  createClient: ({ origin, credentials, ...options }) =>
    createAutopayClient<ConformancePaths>({
      baseUrl: origin,
      tokenUrl: `${origin}/oauth/token`,
      ...autopayFakeCredentials,
      ...(credentials === "invalid" ? { clientSecret: invalidSecret } : {}),
      ...options,
    }),
  tokenErrors: [
    { name: "401 access_denied", fault: { status: 401, code: "access_denied" }, code: "invalid-credentials", providerCode: "access_denied" },
  ],
  apiTokenRejected: { status: 401, body: "" },
  apiForbidden: { status: 403, body: "" },
});
