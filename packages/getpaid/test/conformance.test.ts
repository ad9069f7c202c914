import { describeConformance, type ConformancePaths } from "@payauth/conformance";
import { createGetpaidClient } from "../src/index.js";
import { createGetpaidFake, getpaidFakeCredentials } from "../src/testing/index.js";

const invalidSecret = "not-the-getpaid-secret";

describeConformance({
  provider: "getpaid",
  invalidSecret,
  clientId: getpaidFakeCredentials.sandbox.clientId,
  createFake: (options) => createGetpaidFake(options),
  createClient: ({ origin, credentials, ...options }) =>
    createGetpaidClient<ConformancePaths>({
      environment: "sandbox",
      baseUrl: origin,
      tokenUrl: `${origin}/oauth/token`,
      ...getpaidFakeCredentials.sandbox,
      ...(credentials === "invalid" ? { clientSecret: invalidSecret } : {}),
      ...options,
    }),
  // getpaid documents no error codes: these are the OAuth 2.0 codes the spec assumes (OAuthErrorCode).
  tokenErrors: [
    { name: "400 invalid_request", fault: { status: 400, code: "invalid_request" }, code: "invalid-request", providerCode: "invalid_request" },
    { name: "401 invalid_client", fault: { status: 401, code: "invalid_client" }, code: "invalid-credentials", providerCode: "invalid_client" },
    { name: "400 invalid_grant", fault: { status: 400, code: "invalid_grant" }, code: "invalid-credentials", providerCode: "invalid_grant" },
    { name: "400 unauthorized_client", fault: { status: 400, code: "unauthorized_client" }, code: "invalid-credentials", providerCode: "unauthorized_client" },
    { name: "400 unsupported_grant_type", fault: { status: 400, code: "unsupported_grant_type" }, code: "invalid-request", providerCode: "unsupported_grant_type" },
    { name: "400 invalid_scope", fault: { status: 400, code: "invalid_scope" }, code: "insufficient-scope", providerCode: "invalid_scope" },
    { name: "401 access_denied (wrong secret)", fault: { status: 401, code: "access_denied" }, code: "invalid-credentials", providerCode: "access_denied" },
    { name: "403 access_denied (other environment's audience)", fault: { status: 403, code: "access_denied" }, code: "invalid-credentials", providerCode: "access_denied" },
    { name: "429 without a documented code", fault: { status: 429, body: "", retryAfterSeconds: 30 }, code: "rate-limited" },
    { name: "500 server_error", fault: { status: 500, code: "server_error" }, code: "server-error", providerCode: "server_error" },
    { name: "503 temporarily_unavailable", fault: { status: 503, code: "temporarily_unavailable", retryAfterSeconds: 5 }, code: "server-error", providerCode: "temporarily_unavailable" },
    { name: "502 non-JSON", fault: { status: 502, body: "<html>Bad Gateway</html>" }, code: "server-error" },
  ],
  apiTokenRejected: { status: 401, code: "invalid_token" },
  apiForbidden: { status: 403, code: "insufficient_scope" },
  // The fake answers as getpaid's authentication page does, without `scope`, and this client
  // requests none: the token says nothing of its scopes, so they are not checked.
  tokenNamesScopes: false,
});
