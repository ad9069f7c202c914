import { describeConformance, type ConformancePaths } from "@payauth/conformance";
import { createAutopayClient } from "../src/index.js";
import { autopayFakeCredentials, createAutopayFake } from "../src/testing/index.js";

const invalidSecret = "not-the-autopay-secret";

describeConformance({
  provider: "autopay",
  invalidSecret,
  clientId: autopayFakeCredentials.clientId,
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
    // The one error Autopay documents.
    { name: "401 access_denied (documented)", fault: { status: 401, code: "access_denied" }, code: "invalid-credentials", providerCode: "access_denied" },
    // Not documented: what the fake answers where the docs are silent (RFC 6749 §5.2 codes).
    { name: "403 access_denied (assumed: access terminated)", fault: { status: 403, code: "access_denied" }, code: "invalid-credentials", providerCode: "access_denied" },
    { name: "429 too_many_requests (assumed)", fault: { status: 429, code: "too_many_requests", retryAfterSeconds: 60 }, code: "rate-limited", providerCode: "too_many_requests" },
    { name: "400 invalid_request (assumed)", fault: { status: 400, code: "invalid_request" }, code: "invalid-request", providerCode: "invalid_request" },
    { name: "400 unsupported_grant_type (assumed)", fault: { status: 400, code: "unsupported_grant_type" }, code: "invalid-request", providerCode: "unsupported_grant_type" },
    { name: "503 temporarily_unavailable (assumed)", fault: { status: 503, code: "temporarily_unavailable", retryAfterSeconds: 5 }, code: "server-error", providerCode: "temporarily_unavailable" },
  ],
  // Autopay does not document its API errors: the fake answers RFC 6750 bodies, and the client
  // replaces the token on any 401.
  apiTokenRejected: { status: 401, code: "invalid_token" },
  apiForbidden: { status: 403, code: "insufficient_scope" },
});
