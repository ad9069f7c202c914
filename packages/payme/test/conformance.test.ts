import { describeConformance, type ConformancePaths } from "@payauth/conformance";
import { createPayMeClient } from "../src/index.js";
import { createPayMeFake, payMeFakeCredentials } from "../src/testing/index.js";

const invalidSecret = "not-the-payme-secret";

describeConformance({
  provider: "payme",
  invalidSecret,
  createFake: (options) => createPayMeFake(options),
  createClient: ({ origin, credentials, ...options }) =>
    createPayMeClient<ConformancePaths>({
      baseUrl: origin,
      tokenUrl: `${origin}/oauth/token`,
      ...payMeFakeCredentials,
      ...(credentials === "invalid" ? { clientSecret: invalidSecret } : {}),
      ...options,
    }),
  tokenErrors: [
    { name: "401 access_denied", fault: { status: 401, code: "access_denied" }, code: "invalid-credentials", providerCode: "access_denied" },
  ],
  apiTokenRejected: { status: 401, body: "" },
  apiForbidden: { status: 403, body: "" },
});
