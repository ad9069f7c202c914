// A strict TypeScript consumer of the published @payauth/autopay (release-check.sh step 5-7):
// the README example against the fake at FAKE_URL, then a wrong secret.
import { createAutopayClient, isAuthError, type AuthError, type AutopayClientOptions } from "@payauth/autopay";

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

// The README's options; baseUrl and tokenUrl point at the fake (the audience stays Autopay's).
const options = (clientSecret: string): AutopayClientOptions => ({
  clientId: CLIENT_ID, clientSecret, baseUrl: FAKE_URL, tokenUrl: `${FAKE_URL}/oauth/token`,
});
const autopay = createAutopayClient(options(CLIENT_SECRET));
const token = await autopay.auth.getToken();
console.log(`ok autopay ${new Date(token.expiresAt).toISOString()} ${token.scopes.length} scopes ${process.version}`);

try {
  await createAutopayClient(options("not-the-secret")).auth.getToken();
  console.log("wrong secret accepted");
} catch (e) {
  if (!isAuthError(e)) throw e;
  console.log(`refused autopay ${e.code}: ${explain(e)}`);
}
