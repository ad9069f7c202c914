// A strict TypeScript consumer of the published @payauth/getpaid (release-check.sh step 5-7):
// the README example against the fake at FAKE_URL, then a wrong secret.
import { createGetpaidClient, isAuthError, type AuthError, type GetpaidClientOptions } from "@payauth/getpaid";

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

// The README's options; baseUrl and tokenUrl point at the fake (the audience stays sandbox's).
const options = (clientSecret: string): GetpaidClientOptions => ({
  environment: "sandbox", clientId: CLIENT_ID, clientSecret, scopes: ["invoices:read_write"],
  baseUrl: FAKE_URL, tokenUrl: `${FAKE_URL}/oauth/token`,
});
const getpaid = createGetpaidClient(options(CLIENT_SECRET));
const token = await getpaid.auth.getToken();
console.log(`ok getpaid ${new Date(token.expiresAt).toISOString()} ${token.scopes.length} scopes ${process.version}`);

try {
  await createGetpaidClient(options("not-the-secret")).auth.getToken();
  console.log("wrong secret accepted");
} catch (e) {
  if (!isAuthError(e)) throw e;
  console.log(`refused getpaid ${e.code}: ${explain(e)}`);
}
