import { describeConformance, type ConformancePaths } from "@payauth/conformance";
import { createMaxPayClient } from "../src/index.js";
import { createMaxPayFake, maxPayFakeCredentials } from "../src/testing/index.js";

const invalidSecret = "not-the-maxpay-secret";

describeConformance({
  provider: "maxpay",
  invalidSecret,
  clientId: maxPayFakeCredentials.clientId,
  createFake: (options) => createMaxPayFake(options),
  createClient: ({ origin, credentials, ...options }) =>
    createMaxPayClient<ConformancePaths>({
      baseUrl: origin,
      ...maxPayFakeCredentials,
      ...(credentials === "invalid" ? { clientSecret: invalidSecret } : {}),
      ...options,
    }),
  tokenErrors: [
    { name: "401 invalid-credentials", fault: { status: 401, code: "invalid-credentials" }, code: "invalid-credentials", providerCode: "invalid-credentials" },
    { name: "429 rate-limit-exceeded", fault: { status: 429, code: "rate-limit-exceeded", retryAfterSeconds: 30 }, code: "rate-limited", providerCode: "rate-limit-exceeded" },
  ],
  apiTokenRejected: { status: 401, code: "token-expired" },
  apiForbidden: { status: 403, code: "insufficient-scope" },
});
