import { customScope } from "@payauth/auth-core";
import { describeRequireToken, type GuardedRouteClient } from "@payauth/conformance";
import { createMaxPayClient } from "../src/index.js";
import { createMaxPayFake, maxPayFakeCredentials } from "../src/testing/index.js";

describeRequireToken({
  provider: "maxpay",
  createFake: (options) => createMaxPayFake(options),
  createClient: ({ origin, ...options }) => createMaxPayClient({ baseUrl: origin, ...maxPayFakeCredentials, ...options }) as unknown as GuardedRouteClient,
  grantedScope: "receivables:read",
  missingScope: customScope("payouts:write"),
  refusals: {
    revoked: { status: 401, body: { code: "invalid-token" } },
    expired: { status: 401, body: { code: "token-expired" } },
    missing: { status: 401, body: { code: "invalid-token" } },
    scope: { status: 403, body: { code: "insufficient-scope" } },
  },
  apiFault: { fault: { status: 429, code: "rate-limit-exceeded" }, expect: { status: 429, body: { code: "rate-limit-exceeded" } } },
});
