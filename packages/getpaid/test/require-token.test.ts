import { describeRequireToken, type GuardedRouteClient } from "@payauth/conformance";
import { createGetpaidClient } from "../src/index.js";
import { createGetpaidFake, getpaidFakeCredentials } from "../src/testing/index.js";

describeRequireToken({
  provider: "getpaid",
  createFake: (options) => createGetpaidFake(options),
  createClient: ({ origin, ...options }) =>
    createGetpaidClient({
      environment: "sandbox",
      baseUrl: origin,
      ...getpaidFakeCredentials.sandbox,
      scopes: ["invoices:read"],
      ...options,
    }) as unknown as GuardedRouteClient,
  grantedScope: "invoices:read",
  missingScope: "invoices:read_write",
  refusals: {
    revoked: { status: 401, body: { error: "invalid_token", error_description: "The access token was revoked" } },
    expired: { status: 401, body: { error: "invalid_token", error_description: "The access token expired" } },
    missing: { status: 401, body: { error: "invalid_token" } },
    scope: { status: 403, body: { error: "insufficient_scope" } },
  },
  apiFault: { fault: { status: 503, code: "temporarily_unavailable" }, expect: { status: 503, body: { error: "temporarily_unavailable" } } },
});
