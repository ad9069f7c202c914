import { generateKeyPairSync } from "node:crypto";
import {
  clientSecretBasic,
  clientSecretPost,
  createProviderClient,
  grantFromOAuth,
  mapOAuthError,
  privateKeyJwt,
  statusToCode,
  type ClientAuthentication,
  type CommonClientOptions,
  type ProviderDefinition,
} from "@payauth/auth-core";
import { describe, expect, it } from "vitest";
import { Tally } from "./ledger.js";

// The secret search of the fault suite, for the client authentication methods an RFC 6749
// provider uses: a token endpoint echoes the credential it received (the secret, the Basic
// credentials, the client assertion) in every encoding and in every place, and no rendering of
// the outcome may hold any wire form (wireForms in ledger.ts) of the secret, the Basic
// credentials, the assertion or the private key.

const SECRETS = ["fault-suite-secret-7f3a9c", 'fault "suite" \\ s3cr3t+1 &=%2B/é✓😀\t:7f3a9c'];
const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
const d = key.export({ format: "jwk" }).d ?? "";

const rfcProvider: ProviderDefinition = {
  id: "rfc6749",
  clientAuthentication: [clientSecretBasic, clientSecretPost, privateKeyJwt],
  tokenRequest: ({ tokenUrl, scopes }) => ({ url: tokenUrl, encoding: "form", body: { grant_type: "client_credentials", scope: scopes.join(" ") || undefined } }),
  parseGrant: (body) => {
    const b = body as Record<string, unknown>;
    return typeof b["access_token"] === "string" && typeof b["token_type"] === "string" && typeof b["expires_in"] === "number"
      ? grantFromOAuth({ access_token: b["access_token"], token_type: b["token_type"], expires_in: b["expires_in"] })
      : { code: "invalid-response", message: "not an RFC 6749 token response" };
  },
  mapTokenError: ({ status, body }) => {
    const error = (body as { error?: unknown } | undefined)?.error;
    return typeof error === "string" ? mapOAuthError({ error, error_description: String((body as { error_description?: unknown }).error_description) }, statusToCode(status, "token")) : undefined;
  },
  isTokenRejected: ({ status }) => status === 401,
};

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const formEncode = (text: string) => new URLSearchParams([["", text]]).toString().slice(1);

/** The credential as a server may echo it, in each encoding. */
const ECHOES: Record<string, (credential: string) => string> = {
  literal: (s) => s,
  "JSON-escaped": (s) => JSON.stringify(s).slice(1, -1),
  "form-urlencoded": (s) => formEncode(s),
  "percent-encoded": (s) => encodeURIComponent(s),
  "percent-encoded, lower-case hex": (s) => lowerHex(encodeURIComponent(s)),
};

/** Where a token endpoint puts the echo. */
const SHAPES: Record<string, (echo: string) => Response> = {
  message: (v) => Response.json({ error: "invalid_client", error_description: `unknown client ${v}` }, { status: 401 }),
  code: (v) => Response.json({ error: v, error_description: "bad request" }, { status: 400 }),
  "header-like dump": (v) => Response.json({ error: "invalid_request", error_description: `POST /token HTTP/1.1\r\nx-echo: ${v}\r\n\r\n${v}` }, { status: 400 }),
  "plain text": (v) => new Response(`credential=${v}`, { status: 401, headers: { "content-type": "text/plain" } }),
  "200 refusal": (v) => Response.json({ error: "invalid_client", error_description: `refused: ${v}` }, { status: 200 }),
};

const METHODS: readonly { name: string; options: (secret: string) => { clientSecret?: string; clientAuthentication: ClientAuthentication } }[] = [
  { name: "client_secret_basic", options: (clientSecret) => ({ clientSecret, clientAuthentication: "client_secret_basic" }) },
  { name: "client_secret_post", options: (clientSecret) => ({ clientSecret, clientAuthentication: "client_secret_post" }) },
  { name: "private_key_jwt", options: () => ({ clientAuthentication: { method: "private_key_jwt", privateKey: key } }) },
];

describe.each(METHODS)("$name: a token endpoint that echoes the credential", (method) => {
  // What the endpoint received, each piece echoed: the whole Authorization header value, the whole body, and each credential field.
  const pieces = (request: Request, body: string) => {
    const form = new URLSearchParams(body);
    return [request.headers.get("authorization"), body, form.get("client_secret"), form.get("client_assertion")].filter((p): p is string => p !== null && p !== "");
  };
  const secrets = method.name === "private_key_jwt" ? [SECRETS[0] as string] : SECRETS;
  const cases = secrets.length * Object.keys(ECHOES).length * Object.keys(SHAPES).length;

  it(`shows no form of the secret, the Basic credentials, the assertion or the key in ${cases} cases`, async () => {
    const sent: string[] = [];
    const tally = new Tally("rfc6749", `${method.name}: the token endpoint echoes the credential`, () => [...sent, ...(method.name === "private_key_jwt" ? [d] : secrets)]);
    for (const secret of secrets) {
      for (const echo of Object.values(ECHOES)) {
        for (const shape of Object.values(SHAPES)) {
          const client = createProviderClient(
            rfcProvider,
            {
              clientId: "fault-client",
              ...method.options(secret),
              retry: { maxAttempts: 1 },
              fetch: async (request) => {
                const body = await request.text();
                const echoed = pieces(request, body);
                // The credentials on the wire are secrets too: the Basic value, the assertion.
                for (const piece of echoed) if (piece !== body) sent.push(piece.replace(/^Basic /, ""));
                return shape(echoed.map(echo).join(" "));
              },
            } as CommonClientOptions,
            { baseUrl: "https://api.faults.test", tokenUrl: "https://auth.faults.test/token", scopes: ["read"] },
          );
          tally.row.faults++;
          await tally.call(() => client.auth.getToken());
          tally.row.tokenRequests++;
          tally.row.minimumTokenRequests++;
        }
      }
    }
    expect(tally.row.calls).toBe(cases);
    expect(tally.row.succeeded).toBe(0);
    expect(tally.row.untyped).toBe(0);
    expect(tally.row.secretsSeen).toBe(0);
  });
});
