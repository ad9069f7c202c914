// A strict TypeScript consumer of the published @payauth/maxpay (release-check.sh step 5-7):
// the README example against the fake at FAKE_URL, then a wrong secret.
import { createMaxPayClient, isAuthError, type AuthError } from "@payauth/maxpay";

const { FAKE_URL, CLIENT_ID, CLIENT_SECRET } = process.env;
if (!FAKE_URL || !CLIENT_ID || !CLIENT_SECRET) throw new Error("set FAKE_URL, CLIENT_ID and CLIENT_SECRET");

// Every AuthError code, exhaustively: a code added to the package breaks this build.
function explain(error: AuthError): string {
  switch (error.code) {
    case "invalid-credentials": return "check the client id and secret";
    case "insufficient-scope": return "the credential lacks a scope";
    case "token-expired": case "invalid-token": return "the token was refused";
    case "rate-limited": return `retry in ${error.retryAfterMs ?? "?"} ms`;
    case "invalid-request": case "invalid-response": return "the provider and client disagree";
    case "server-error": case "network-error": case "timeout": return "try again later";
    default: { const unreachable: never = error.code; return unreachable; }
  }
}

// tokenUrl defaults to `${baseUrl}/v1/auth/login`.
const maxpay = createMaxPayClient({ baseUrl: FAKE_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
const token = await maxpay.auth.getToken();
const { data, error } = await maxpay.GET("/v1/me");
if (!data) throw new Error(`GET /v1/me failed: ${JSON.stringify(error)}`);
const customerId: number = data.customer.id; // typed from specs/maxpay.yaml
console.log(`ok maxpay ${new Date(token.expiresAt).toISOString()} ${token.scopes.length} scopes customer=${customerId} ${process.version}`);

const wrong = createMaxPayClient({ baseUrl: FAKE_URL, clientId: CLIENT_ID, clientSecret: "not-the-secret" });
try {
  await wrong.auth.getToken();
  console.log("wrong secret accepted");
} catch (e) {
  if (!isAuthError(e)) throw e;
  console.log(`refused maxpay ${e.code}: ${explain(e)}`);
}
