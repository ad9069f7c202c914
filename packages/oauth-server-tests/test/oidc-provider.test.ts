import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { inspect } from "node:util";
import { createProviderClient, isAuthError, type AuthEvent, type ClientAuthentication, type CommonClientOptions, type FetchLike } from "@payauth/auth-core";
import { decodeJwt } from "jose";
import type { ClientAuthMethod, ClientMetadata } from "oidc-provider";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MTLS_SUBJECT, pki, startAuthorizationServer, type AuthorizationServer } from "./support/authorization-server.js";
import { startResourceServer, type ResourceServer } from "./support/resource-server.js";
import { standardProvider } from "./support/standard-provider.js";

/** The API of the resource server, for openapi-fetch. */
interface Paths {
  "/payments": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": { clientId: string; aud: string } } } };
    };
  };
}

// Real HTTPS and a real server: each call is verified and introspected, so give a busy machine room.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const SCOPES = ["payments:read", "payments:write"];
/** Reserved characters and a space (oidc-provider takes VSCHAR secrets, RFC 6749 Appendix A.2): what RFC 6749 §2.3.1's form-encoding step is for. */
const BASIC_SECRET = "b@sic s3cret:+/%~";
const POST_SECRET = "p0st secret&=+%";
const SHORT_SECRET = "short-lived-secret-0123456789";
const RS_SECRET = "resource-server-secret-0123456789";
const SHORT_LIFETIME_SECONDS = 4;

const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const unknownKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const publicJwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: "jwk" }), kid, use: "sig" });

/** A fetch through `agent`: the test CA trusted, and a client certificate presented when it has one. */
const fetchThrough = (agent: Agent): FetchLike => (request) => fetch(request, { dispatcher: agent } as RequestInit);
const trusting = new Agent({ connect: { ca: pki.ca } });
const caFetch = fetchThrough(trusting);

let as: AuthorizationServer;
let rs: ResourceServer;

beforeAll(async () => {
  rs = await startResourceServer();
  const client = (client_id: string, token_endpoint_auth_method: ClientAuthMethod, extra: Partial<ClientMetadata> = {}): ClientMetadata => ({
    client_id,
    token_endpoint_auth_method,
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
    scope: SCOPES.join(" "),
    ...extra,
  });
  as = await startAuthorizationServer({
    resource: rs.url,
    scopes: SCOPES,
    tokenLifetime: (clientId) => (clientId === "short-lived-client" ? SHORT_LIFETIME_SECONDS : 3600),
    clients: [
      client("basic-client", "client_secret_basic", { client_secret: BASIC_SECRET }),
      client("post-client", "client_secret_post", { client_secret: POST_SECRET }),
      client("jwt-client", "private_key_jwt", { jwks: { keys: [publicJwk(ec.publicKey, "ec-1"), publicJwk(rsa.publicKey, "rsa-1")] } }),
      client("mtls-client", "tls_client_auth", { tls_client_auth_subject_dn: MTLS_SUBJECT }),
      client("short-lived-client", "client_secret_basic", { client_secret: SHORT_SECRET }),
      client("resource-server", "client_secret_basic", { client_secret: RS_SECRET, grant_types: [] }),
    ],
  });
  rs.connect({ authorizationServer: as, introspectionClient: { clientId: "resource-server", clientSecret: RS_SECRET }, fetch: caFetch });
});

afterAll(async () => {
  await Promise.all([as?.close(), rs?.close()]);
  await trusting.close();
});

type ClientOptions = Omit<CommonClientOptions, "clientSecret" | "clientAuthentication"> & { clientSecret?: string; clientAuthentication?: ClientAuthentication };
function createClient(options: ClientOptions) {
  return createProviderClient<Paths, string>(standardProvider, { fetch: caFetch, retry: { maxAttempts: 1 }, ...options } as CommonClientOptions, {
    baseUrl: rs.url,
    tokenUrl: as.tokenUrl,
    audience: rs.url,
    scopes: ["payments:read"],
  });
}

/** A fetch that keeps what was sent to the token endpoint. */
function recording(inner: FetchLike = caFetch) {
  const sent: { authorization: string | null; body: string }[] = [];
  const fetch: FetchLike = async (request) => {
    if (request.url === as.tokenUrl) sent.push({ authorization: request.headers.get("authorization"), body: await request.clone().text() });
    return inner(request);
  };
  return { sent, fetch };
}

async function payments(client: ReturnType<typeof createClient>) {
  const { data, response } = await client.GET("/payments");
  return { status: response.status, clientId: data?.clientId, aud: data?.aud };
}

describe("oidc-provider: a token obtained and accepted with each client authentication method", () => {
  it("client_secret_basic, with a secret of reserved characters form-encoded before base64 (RFC 6749 §2.3.1)", async () => {
    const { sent, fetch } = recording();
    const client = createClient({ clientId: "basic-client", clientSecret: BASIC_SECRET, fetch });
    expect(await payments(client)).toEqual({ status: 200, clientId: "basic-client", aud: rs.url });
    expect(sent[0]?.authorization).toBe(`Basic ${Buffer.from("basic-client:b%40sic+s3cret%3A%2B%2F%25%7E").toString("base64")}`);
    expect(new URLSearchParams(sent[0]?.body).get("resource")).toBe(rs.url);
  });

  it("client_secret_post", async () => {
    const client = createClient({ clientId: "post-client", clientSecret: POST_SECRET, clientAuthentication: "client_secret_post" });
    expect(await payments(client)).toEqual({ status: 200, clientId: "post-client", aud: rs.url });
  });

  it.each<[string, ClientAuthentication]>([
    ["ES256 from a KeyObject", { method: "private_key_jwt", privateKey: ec.privateKey, keyId: "ec-1" }],
    ["RS256 from a PEM", { method: "private_key_jwt", privateKey: rsa.privateKey.export({ format: "pem", type: "pkcs8" }) as string, keyId: "rsa-1" }],
    ["PS256 from a JWK", { method: "private_key_jwt", privateKey: rsa.privateKey.export({ format: "jwk" }), keyId: "rsa-1", algorithm: "PS256" }],
  ])("private_key_jwt, %s (RFC 7523)", async (_, clientAuthentication) => {
    const { sent, fetch } = recording();
    const client = createClient({ clientId: "jwt-client", clientAuthentication, fetch });
    expect(await payments(client)).toEqual({ status: 200, clientId: "jwt-client", aud: rs.url });
    const assertion = decodeJwt(new URLSearchParams(sent[0]?.body).get("client_assertion") ?? "");
    expect(assertion).toMatchObject({ iss: "jwt-client", sub: "jwt-client", aud: as.tokenUrl });
  });

  it("tls_client_auth, the certificate presented by undici's Agent (connect: { cert, key }) given as fetch (RFC 8705)", async () => {
    const agent = new Agent({ connect: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    try {
      const client = createClient({ clientId: "mtls-client", clientAuthentication: "tls_client_auth", fetch: fetchThrough(agent) });
      expect(await payments(client)).toEqual({ status: 200, clientId: "mtls-client", aud: rs.url });
    } finally {
      await agent.close();
    }
  });
});

describe("oidc-provider: the token lifecycle against a real server", () => {
  it("caches: one token request for 100 calls, 50 of them concurrent", async () => {
    const before = { ...as.stats };
    const client = createClient({ clientId: "basic-client", clientSecret: BASIC_SECRET });
    const concurrent = await Promise.all(Array.from({ length: 50 }, () => payments(client)));
    const sequential = [];
    for (let i = 0; i < 50; i++) sequential.push(await payments(client));
    expect([...concurrent, ...sequential].every((r) => r.status === 200)).toBe(true);
    expect(as.stats.tokenRequests - before.tokenRequests).toBe(1);
    expect(as.stats.tokensIssued - before.tokensIssued).toBe(1);
  });

  it(`renews a ${SHORT_LIFETIME_SECONDS} s token half-way, before it expires`, async () => {
    const before = as.stats.tokenRequests;
    const client = createClient({ clientId: "short-lived-client", clientSecret: SHORT_SECRET });
    expect((await payments(client)).status).toBe(200);
    const first = rs.acceptedTokens.at(-1) ?? "";
    const firstExpiresAt = (decodeJwt(first).exp ?? 0) * 1000;
    expect((await payments(client)).status).toBe(200);
    expect(as.stats.tokenRequests - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, (SHORT_LIFETIME_SECONDS / 2) * 1000 + 300));
    expect((await payments(client)).status).toBe(200);
    const renewedAt = Date.now();
    expect(as.stats.tokenRequests - before).toBe(2);
    expect(rs.acceptedTokens.at(-1)).not.toBe(first);
    expect(renewedAt).toBeLessThan(firstExpiresAt);
  });

  it("replaces a token revoked at the server (the resource server introspects) and replays the call once", async () => {
    const before = { ...as.stats, ...rs.stats };
    const client = createClient({ clientId: "basic-client", clientSecret: BASIC_SECRET, tokenStore: undefined });
    expect((await payments(client)).status).toBe(200);
    const revoked = rs.acceptedTokens.at(-1) ?? "";
    const revocation = await caFetch(
      new Request(as.revocationUrl, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`basic-client:${encodeURIComponent(BASIC_SECRET)}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: revoked, token_type_hint: "access_token" }),
      }),
    );
    expect(revocation.status).toBe(200);
    expect(await payments(client)).toMatchObject({ status: 200, clientId: "basic-client" });
    expect(rs.acceptedTokens.at(-1)).not.toBe(revoked);
    expect(as.stats.tokensIssued - before.tokensIssued).toBe(2);
    expect(rs.stats.refused - before.refused).toBe(1);
    expect(rs.stats.accepted - before.accepted).toBe(2);
  });
});

describe("oidc-provider: wrong credentials are invalid-credentials, with no secret in any output", () => {
  /** Every rendering of the error and of the events, and whatever reached the console meanwhile. */
  async function failure(options: ClientOptions) {
    const events: AuthEvent[] = [];
    const { sent, fetch } = recording(options.fetch);
    const consoleOutput: unknown[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args) => void consoleOutput.push(args)));
    const errorEventsBefore = as.errorEvents.length;
    let error: unknown;
    try {
      error = await createClient({ ...options, fetch, onEvent: (event) => events.push(event) }).auth.getToken().catch((e: unknown) => e);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(isAuthError(error, "invalid-credentials"), String(error)).toBe(true);
    const e = error as Error;
    const outputs = [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 }), JSON.stringify(events), inspect(consoleOutput, { depth: 10 }), ...as.errorEvents.slice(errorEventsBefore)];
    return { error, outputs: outputs.join("\n"), sent };
  }

  it("a wrong secret (client_secret_basic and client_secret_post)", async () => {
    const wrong = "wr0ng s3cret:+/%~";
    for (const clientAuthentication of ["client_secret_basic", "client_secret_post"] as const) {
      const clientId = clientAuthentication === "client_secret_basic" ? "basic-client" : "post-client";
      const { error, outputs, sent } = await failure({ clientId, clientSecret: wrong, clientAuthentication });
      expect(error).toMatchObject({ status: 401, providerCode: "invalid_client" });
      for (const form of [wrong, encodeURIComponent(wrong), new URLSearchParams([["", wrong]]).toString().slice(1)]) expect(outputs).not.toContain(form);
      if (sent[0]?.authorization) expect(outputs).not.toContain(sent[0].authorization.slice("Basic ".length));
    }
  });

  it("a key the server does not know (private_key_jwt)", async () => {
    const { error, outputs, sent } = await failure({ clientId: "jwt-client", clientAuthentication: { method: "private_key_jwt", privateKey: unknownKey.privateKey, keyId: "ec-1" } });
    expect(error).toMatchObject({ status: 401, providerCode: "invalid_client" });
    const assertion = new URLSearchParams(sent[0]?.body).get("client_assertion") ?? "";
    expect(assertion).not.toBe("");
    expect(outputs).not.toContain(assertion);
    expect(outputs).not.toContain(assertion.split(".")[2]);
    expect(outputs).not.toContain(unknownKey.privateKey.export({ format: "jwk" }).d);
  });

  it.each([
    ["no client certificate", { ca: pki.ca }],
    ["a certificate with the right subject from another CA", { ca: pki.ca, cert: pki.rogueCert, key: pki.rogueKey }],
  ])("tls_client_auth with %s", async (_, connect) => {
    const agent = new Agent({ connect });
    try {
      const { error } = await failure({ clientId: "mtls-client", clientAuthentication: "tls_client_auth", fetch: fetchThrough(agent) });
      expect(error).toMatchObject({ status: 401, providerCode: "invalid_client" });
    } finally {
      await agent.close();
    }
  });
});
