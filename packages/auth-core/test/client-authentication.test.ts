import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { inspect } from "node:util";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { AuthError } from "../src/auth-error.js";
import { clientSecretBasic, clientSecretPost, privateKeyJwt, tlsClientAuth, type ClientAuthentication } from "../src/client-authentication.js";
import { createProviderClient, type CommonClientOptions, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { authenticateClient, type FakeClient } from "../src/testing/authenticate-client.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike, TokenStore } from "../src/types.js";
import { InvalidOptionError } from "../src/validate-options.js";

const TOKEN_URL = "https://auth.acme.test/oauth/token";
const CLIENT_ID = "client:1 é";
const SECRET = "s p@ss:wörd+%/=";

/** An RFC 6749 provider: a form body, its credential added by the chosen method. */
const rfcProvider: ProviderDefinition = {
  id: "acme",
  clientAuthentication: [clientSecretBasic, clientSecretPost, privateKeyJwt, tlsClientAuth],
  tokenRequest: ({ tokenUrl, audience, scopes }) => ({
    url: tokenUrl,
    encoding: "form",
    body: { grant_type: "client_credentials", scope: scopes.length === 0 ? undefined : scopes.join(" "), resource: audience },
  }),
  parseGrant: (body) => ({ accessToken: String((body as { access_token: unknown }).access_token), expiresInSeconds: 3600, scopes: [] }),
  mapTokenError: ({ body }) => ((body as { error?: unknown } | undefined)?.error === "invalid_client" ? { code: "invalid-credentials", providerCode: "invalid_client", message: (body as { error_description?: string }).error_description } : undefined),
  isTokenRejected: () => false,
};

/** A documented provider that puts the secret in its own JSON body, and lists no methods. */
const jsonProvider: ProviderDefinition = {
  id: "jsonpay",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { clientId, clientSecret } }),
  parseGrant: () => ({ accessToken: "json-token", expiresInSeconds: 3600, scopes: [] }),
  mapTokenError: () => undefined,
  isTokenRejected: () => false,
};

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A fetch that records token requests and answers them with `answer` (default: a token). */
function recorder(answer: (request: Request, body: string) => Response | Promise<Response> = () => Response.json({ access_token: "tok-123", token_type: "Bearer", expires_in: 3600 })) {
  const requests: Captured[] = [];
  const fetch: FetchLike = async (request) => {
    const body = await request.clone().text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    requests.push({ method: request.method, url: request.url, headers, body });
    return answer(request, body);
  };
  return { requests, fetch };
}

type Options = Omit<CommonClientOptions, "clientSecret" | "clientAuthentication"> & { clientSecret?: unknown; clientAuthentication?: ClientAuthentication | undefined };
function client(options: Options, provider = rfcProvider) {
  return createProviderClient(provider, options as CommonClientOptions, { baseUrl: "https://api.acme.test", tokenUrl: TOKEN_URL, audience: "https://api.acme.test", scopes: ["read", "write"] });
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const otherEc = generateKeyPairSync("ec", { namedCurve: "P-256" });
const pkcs8 = (key: KeyObject) => key.export({ format: "pem", type: "pkcs8" }) as string;

describe("client_secret_basic (RFC 6749 §2.3.1)", () => {
  it("form-encodes the id and the secret before base64, and sends a form body without them (the default method)", async () => {
    const { requests, fetch } = recorder();
    await client({ clientId: CLIENT_ID, clientSecret: SECRET, fetch }).auth.getToken();
    const [sent] = requests;
    const expected = Buffer.from("client%3A1+%C3%A9:s+p%40ss%3Aw%C3%B6rd%2B%25%2F%3D").toString("base64");
    expect(sent?.headers["authorization"]).toBe(`Basic ${expected}`);
    expect(sent?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(sent?.body).toBe("grant_type=client_credentials&scope=read+write&resource=https%3A%2F%2Fapi.acme.test");
  });

  it("is accepted by an RFC 6749 server, which form-decodes after base64", async () => {
    const clients: FakeClient[] = [{ clientId: CLIENT_ID, clientSecret: SECRET }];
    const { requests, fetch } = recorder(async (request, body) => {
      const check = await authenticateClient(request, new URLSearchParams(body), clients);
      return check.ok ? Response.json({ access_token: `tok-${check.method}` }) : Response.json({ error: check.error }, { status: check.status });
    });
    expect((await client({ clientId: CLIENT_ID, clientSecret: SECRET, fetch }).auth.getToken()).tokenType).toBe("Bearer");
    expect(requests).toHaveLength(1);
  });
});

describe("client_secret_post", () => {
  it("puts client_id and client_secret in the form body", async () => {
    const { requests, fetch } = recorder();
    await client({ clientId: CLIENT_ID, clientSecret: SECRET, clientAuthentication: "client_secret_post", fetch }).auth.getToken();
    const [sent] = requests;
    expect(sent?.headers["authorization"]).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(sent?.body))).toEqual({
      grant_type: "client_credentials",
      scope: "read write",
      resource: "https://api.acme.test",
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });
  });
});

describe("tls_client_auth (RFC 8705 §2.1)", () => {
  it("sends client_id alone through the given fetch, and needs no secret", async () => {
    const { requests, fetch } = recorder();
    await client({ clientId: CLIENT_ID, clientAuthentication: "tls_client_auth", fetch }).auth.getToken();
    expect(requests[0]?.headers["authorization"]).toBeUndefined();
    expect(new URLSearchParams(requests[0]?.body).get("client_id")).toBe(CLIENT_ID);
    expect(new URLSearchParams(requests[0]?.body).has("client_secret")).toBe(false);
  });
});

describe("private_key_jwt (RFC 7523)", () => {
  it.each([
    ["an RSA KeyObject, RS256 by default", rsa.privateKey, undefined, "RS256", rsa.publicKey],
    ["an RSA PEM with PS256", pkcs8(rsa.privateKey), "PS256", "PS256", rsa.publicKey],
    ["a PKCS #1 RSA PEM", rsa.privateKey.export({ format: "pem", type: "pkcs1" }) as string, undefined, "RS256", rsa.publicKey],
    ["a P-256 JWK, ES256 by default", ec.privateKey.export({ format: "jwk" }), undefined, "ES256", ec.publicKey],
    ["a SEC 1 EC PEM", ec.privateKey.export({ format: "pem", type: "sec1" }) as string, undefined, "ES256", ec.publicKey],
    ["an Ed25519 KeyObject, EdDSA", ed.privateKey, undefined, "EdDSA", ed.publicKey],
  ] as const)("signs a client assertion from %s", async (_, privateKey, algorithm, alg, publicKey) => {
    const { requests, fetch } = recorder();
    const acme = client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: privateKey as KeyObject, algorithm, keyId: "key-1" }, fetch, tokenRequestLimit: false });
    await acme.auth.getToken();
    await acme.auth.invalidate();
    await acme.auth.getToken();
    const bodies = requests.map((r) => new URLSearchParams(r.body));
    expect(bodies[0]?.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    expect(bodies[0]?.get("client_id")).toBe(CLIENT_ID);
    expect(bodies[0]?.has("client_secret")).toBe(false);
    expect(requests[0]?.headers["authorization"]).toBeUndefined();
    const assertions = bodies.map((b) => b.get("client_assertion") ?? "");
    expect(decodeProtectedHeader(assertions[0] ?? "")).toEqual({ alg, kid: "key-1" });
    const { payload } = await jwtVerify(assertions[0] ?? "", publicKey, { issuer: CLIENT_ID, subject: CLIENT_ID, audience: TOKEN_URL, algorithms: [alg] });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(typeof payload.jti).toBe("string");
    // Each token request has its own assertion and jti.
    expect(decodeJwt(assertions[1] ?? "").jti).not.toBe(payload.jti);
  });

  it("dates the assertion by the client's clock", async () => {
    const clock = createManualClock(Date.UTC(2030, 0, 1));
    const { requests, fetch } = recorder();
    await client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: ec.privateKey }, fetch, clock }).auth.getToken();
    expect(decodeJwt(new URLSearchParams(requests[0]?.body).get("client_assertion") ?? "").iat).toBe(Date.UTC(2030, 0, 1) / 1000);
  });

  it("binds the store key to the private key: the same key in any form shares tokens, another key does not", async () => {
    const store: TokenStore = createMemoryTokenStore();
    const { requests, fetch } = recorder();
    const withKey = (privateKey: unknown) => client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: privateKey as KeyObject }, fetch, tokenStore: store });
    await withKey(ec.privateKey).auth.getToken();
    await withKey(pkcs8(ec.privateKey)).auth.getToken();
    await withKey(ec.privateKey.export({ format: "jwk" })).auth.getToken();
    expect(requests).toHaveLength(1);
    await withKey(otherEc.privateKey).auth.getToken();
    expect(requests).toHaveLength(2);
  });

  it.each<[string, unknown]>([
    ["a public key", ec.publicKey],
    ["a public JWK", ec.publicKey.export({ format: "jwk" })],
    ["a public PEM", ec.publicKey.export({ format: "pem", type: "spki" })],
    ["no key", undefined],
    ["a string that is not a PEM", "not a key"],
  ])("refuses %s when the client is created", (_, privateKey) => {
    const create = () => client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: privateKey as KeyObject } });
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow("@payauth/acme: option `clientAuthentication` must be { method: \"private_key_jwt\", privateKey }");
  });

  it("refuses an unknown algorithm, an empty keyId, and a clientSecret beside the key", () => {
    const key = { method: "private_key_jwt", privateKey: ec.privateKey } as const;
    expect(() => client({ clientId: CLIENT_ID, clientAuthentication: { ...key, algorithm: "HS256" as "ES256" } })).toThrow("option `clientAuthentication.algorithm` must be one of RS256");
    expect(() => client({ clientId: CLIENT_ID, clientAuthentication: { ...key, keyId: " " } })).toThrow("option `clientAuthentication.keyId`");
    expect(() => client({ clientId: CLIENT_ID, clientSecret: SECRET, clientAuthentication: key })).toThrow("option `clientSecret` is not used with private_key_jwt");
    expect(() => client({ clientId: CLIENT_ID, clientSecret: SECRET, clientAuthentication: "tls_client_auth" })).toThrow("option `clientSecret` is not used with tls_client_auth");
  });

  it("fails the token request, sending nothing, when the key cannot sign the algorithm", async () => {
    const { requests, fetch } = recorder();
    const acme = client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: ec.privateKey, algorithm: "RS256" }, fetch, retry: { maxAttempts: 1 } });
    const error = await acme.auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: "invalid-credentials", message: "@payauth/acme: private_key_jwt: the private key cannot sign RS256; no token request was sent" });
    expect(requests).toHaveLength(0);
  });
});

describe("choosing a method", () => {
  it("refuses a method the provider does not list, and any method for a provider that lists none", () => {
    const basicOnly: ProviderDefinition = { ...rfcProvider, clientAuthentication: [clientSecretBasic] };
    expect(() => client({ clientId: "id", clientSecret: SECRET, clientAuthentication: "client_secret_post" }, basicOnly)).toThrow("option `clientAuthentication` must be one of client_secret_basic");
    expect(() => client({ clientId: "id", clientSecret: SECRET, clientAuthentication: "client_secret_basic" }, jsonProvider)).toThrow("@payauth/jsonpay: option `clientAuthentication` is not supported by this provider");
  });

  it("requires clientSecret for the secret methods", () => {
    for (const clientAuthentication of [undefined, "client_secret_basic", "client_secret_post"] as const) {
      const create = () => client({ clientId: "id", clientAuthentication });
      expect(create).toThrow(InvalidOptionError);
      expect(create).toThrow("option `clientSecret` must be a non-empty string");
    }
  });

  it("leaves a provider without methods byte-for-byte as it was: its JSON body, no Authorization header", async () => {
    const { requests, fetch } = recorder();
    await client({ clientId: "client-1", clientSecret: "s3cr3t-value", fetch }, jsonProvider).auth.getToken();
    expect(requests).toEqual([
      { method: "POST", url: TOKEN_URL, headers: { accept: "application/json", "content-type": "application/json" }, body: '{"clientId":"client-1","clientSecret":"s3cr3t-value"}' },
    ]);
  });
});

describe("form bodies", () => {
  it("repeats a field given as an array (RFC 8707 resources) and leaves undefined fields out", async () => {
    const provider: ProviderDefinition = {
      ...rfcProvider,
      tokenRequest: ({ tokenUrl }) => ({ url: tokenUrl, encoding: "form", body: { grant_type: "client_credentials", resource: ["https://a.test", "https://b.test"], audience: undefined } }),
    };
    const { requests, fetch } = recorder();
    await client({ clientId: "id", clientSecret: SECRET, clientAuthentication: "client_secret_post", fetch }, provider).auth.getToken();
    expect(requests[0]?.body).toBe("grant_type=client_credentials&resource=https%3A%2F%2Fa.test&resource=https%3A%2F%2Fb.test&client_id=id&client_secret=s+p%40ss%3Aw%C3%B6rd%2B%25%2F%3D");
  });
});

describe("secrets stay out of every output", () => {
  /** An authorization server that echoes what it received into its error (the worst case). */
  const echo = recorder((request, body) =>
    Response.json({ error: "invalid_client", error_description: `refused ${request.headers.get("authorization") ?? ""} ${body}` }, { status: 401 }),
  );

  function outputs(error: unknown): string[] {
    const e = error as AuthError;
    return [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 }), String(e.providerCode), JSON.stringify(e.details ?? null)];
  }

  it.each<[string, ClientAuthentication]>([
    ["client_secret_basic", "client_secret_basic"],
    ["client_secret_post", "client_secret_post"],
  ])("%s: neither the secret nor the Basic credentials", async (_, clientAuthentication) => {
    echo.requests.length = 0;
    const error = await client({ clientId: CLIENT_ID, clientSecret: SECRET, clientAuthentication, fetch: echo.fetch }).auth.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid-credentials", providerCode: "invalid_client" });
    const basic = echo.requests[0]?.headers["authorization"]?.slice("Basic ".length);
    for (const text of outputs(error)) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encodeURIComponent(SECRET));
      expect(text).not.toContain(new URLSearchParams([["", SECRET]]).toString().slice(1));
      if (basic !== undefined) expect(text).not.toContain(basic);
    }
  });

  it("private_key_jwt: neither the assertion nor the private key", async () => {
    echo.requests.length = 0;
    const jwk = ec.privateKey.export({ format: "jwk" });
    const error = await client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: jwk }, fetch: echo.fetch }).auth.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid-credentials" });
    const assertion = new URLSearchParams(echo.requests[0]?.body).get("client_assertion") ?? "";
    expect(assertion.length).toBeGreaterThan(100);
    for (const text of outputs(error)) {
      expect(text).not.toContain(assertion);
      expect(text).not.toContain(assertion.split(".")[2]);
      expect(text).not.toContain(jwk.d);
    }
  });

  it("a key the server does not know is invalid-credentials, checked by an RFC 7523 verifier", async () => {
    const clients: FakeClient[] = [{ clientId: CLIENT_ID, publicKey: ec.publicKey }];
    const seenAssertions = new Set<string>();
    const { fetch } = recorder(async (request, body) => {
      const check = await authenticateClient(request, new URLSearchParams(body), clients, { seenAssertions });
      return check.ok ? Response.json({ access_token: "tok" }) : Response.json({ error: check.error, error_description: check.description }, { status: check.status });
    });
    const good = client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: ec.privateKey }, fetch });
    expect((await good.auth.getToken()).tokenType).toBe("Bearer");
    const wrong = client({ clientId: CLIENT_ID, clientAuthentication: { method: "private_key_jwt", privateKey: otherEc.privateKey }, fetch });
    await expect(wrong.auth.getToken()).rejects.toMatchObject({ code: "invalid-credentials", providerCode: "invalid_client" });
  });
});
