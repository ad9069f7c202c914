import { customScope } from "@payauth/auth-core";
import { describeRequireToken, type GuardedRouteClient } from "@payauth/conformance";
import { createAutopayClient } from "../src/index.js";
import { autopayFakeCredentials, createAutopayFake } from "../src/testing/index.js";

describeRequireToken({
  provider: "autopay",
  createFake: (options) => createAutopayFake(options),
  createClient: ({ origin, ...options }) =>
    createAutopayClient({ baseUrl: origin, ...autopayFakeCredentials, ...options }) as unknown as GuardedRouteClient,
  grantedScope: "customer_club",
  missingScope: customScope("parking"),
  refusals: {
    revoked: { status: 401, body: { error: "invalid_token" } },
    expired: { status: 401, body: { error: "invalid_token" } },
    missing: { status: 401, body: { error: "invalid_token" } },
    scope: { status: 403, body: { error: "insufficient_scope" } },
  },
  apiFault: { fault: { status: 500, code: "server_error" }, expect: { status: 500, body: { error: "server_error" } } },
});
