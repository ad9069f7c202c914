// A strict TypeScript consumer of the published @payauth/payme (release-check.sh step 5-7):
// the README example against the fake at FAKE_URL, then a wrong secret.
import { createPayMeClient, isAuthError, type AuthError, type PayMeClientOptions } from "@payauth/payme";

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

// The README's options; baseUrl and tokenUrl point at the fake (the audience stays preprod's).
const options = (clientSecret: string): PayMeClientOptions => ({
  environment: "preprod", clientId: CLIENT_ID, clientSecret, scopes: ["post:charges", "get:charges"],
  baseUrl: FAKE_URL, tokenUrl: `${FAKE_URL}/token`,
});
const payme = createPayMeClient(options(CLIENT_SECRET));
const token = await payme.auth.getToken();
console.log(`ok payme ${new Date(token.expiresAt).toISOString()} ${token.scopes.length} scopes ${process.version}`);

try {
  await createPayMeClient(options("not-the-secret")).auth.getToken();
  console.log("wrong secret accepted");
} catch (e) {
  if (!isAuthError(e)) throw e;
  console.log(`refused payme ${e.code}: ${explain(e)}`);
}
