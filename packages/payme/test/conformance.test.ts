import { describeConformance, type ConformancePaths } from "@payauth/conformance";
import { createPayMeClient } from "../src/index.js";
import { createPayMeFake, payMeFakeCredentials } from "../src/testing/index.js";

const invalidSecret = "not-the-payme-secret";

describeConformance({
  provider: "payme",
  invalidSecret,
  clientId: payMeFakeCredentials.clientId,
  createFake: (options) => createPayMeFake(options),
  createClient: ({ origin, credentials, ...options }) =>
    createPayMeClient<ConformancePaths>({
      environment: "preprod",
      baseUrl: origin,
      tokenUrl: `${origin}/token`,
      ...payMeFakeCredentials,
      ...(credentials === "invalid" ? { clientSecret: invalidSecret } : {}),
      scopes: ["post:charges", "get:charges"],
      ...options,
    }),
  // Pay-me documents `success: false` on a 200 as a failure, and what 401 and 403 mean; their
  // bodies are not documented, so the fake answers them in Pay-me's envelope (an assumption).
  tokenErrors: [
    { name: "200 success: false", fault: { status: 200, code: "99" }, code: "invalid-request", providerCode: "99" },
    { name: "401 unauthorized", fault: { status: 401, code: "401" }, code: "invalid-credentials", providerCode: "401" },
    { name: "403 forbidden", fault: { status: 403, code: "403" }, code: "insufficient-scope", providerCode: "403" },
  ],
  apiTokenRejected: { status: 401, code: "401" },
  apiForbidden: { status: 403, code: "403" },
});
