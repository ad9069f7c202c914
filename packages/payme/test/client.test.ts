import { catchAuthError } from "@payauth/auth-core/testing";
import { inspect } from "node:util";
import type { ConformancePaths } from "@payauth/conformance";
import { beforeEach, describe, expect, it } from "vitest";
import { AuthError, createMemoryTokenStore, createPayMeClient, customScope, InvalidOptionError, isAuthError, type FetchLike, type PayMeClientOptions } from "../src/index.js";
import {
  createHandlersFetch,
  createManualClock,
  createPayMeFake,
  payMeFakeCredentials,
  type ManualClock,
  type PayMeFake,
  type PayMeFakeOptions,
} from "../src/testing/index.js";

const PING = "/payauth-conformance/ping" as const;
const PREPROD = { token: "https://auth.preprod.alignet.io/token", api: "https://api.preprod.alignet.io", audience: "https://api.preprod.alignet.io/" };
const PRODUCTION = { token: "https://auth.alignet.io/token", api: "https://api.alignet.io", audience: "https://api.alignet.io/" };

let clock: ManualClock;
let fake: PayMeFake;
let sent: Request[];
let fetch: FetchLike;

function useFake(options: PayMeFakeOptions = {}) {
  fake = createPayMeFake({ clock, ...options });
  const answer = createHandlersFetch(fake.handlers);
  sent = [];
  fetch = (request) => {
    sent.push(request.clone());
    return answer(request);
  };
}

beforeEach(() => {
  clock = createManualClock();
  useFake();
});

// These tests check one attempt each; retries are covered by auth-core and the conformance suite.
const once = { maxAttempts: 1 };

function client(overrides: Partial<PayMeClientOptions> = {}) {
  return createPayMeClient<ConformancePaths>({ environment: "preprod", ...payMeFakeCredentials, fetch, clock, retry: once, ...overrides });
}

const tokenRequests = () => sent.filter((r) => r.method === "POST");
const apiRequests = () => sent.filter((r) => r.method === "GET");

async function tokenBody(index = 0): Promise<Record<string, unknown>> {
  const request = tokenRequests()[index];
  if (request === undefined) throw new Error(`no token request #${index}`);
  return (await request.clone().json()) as Record<string, unknown>;
}


describe("createPayMeClient: the token request", () => {
  it("posts the documented body and headers to the pre-production token URL", async () => {
    await client({ scopes: ["post:charges", "get:charges"] }).auth.getToken();
    expect(tokenRequests()).toHaveLength(1);
    const request = tokenRequests()[0]!;
    expect(request.url).toBe(PREPROD.token);
    expect(request.headers.get("alg-api-version")).toBe("1709847567");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("authorization")).toBeNull();
    expect(await tokenBody()).toStrictEqual({
      action: "authorize",
      grant_type: "client_credentials",
      audience: PREPROD.audience,
      client_id: payMeFakeCredentials.clientId,
      client_secret: payMeFakeCredentials.clientSecret,
      scope: "create:token post:charges get:charges",
    });
  });

  it("uses the production token URL and audience for environment production", async () => {
    useFake({ environment: "production" });
    const payme = client({ environment: "production" });
    const { response } = await payme.GET(PING);
    expect(response.status).toBe(200);
    expect(tokenRequests()[0]!.url).toBe(PRODUCTION.token);
    expect((await tokenBody()).audience).toBe(PRODUCTION.audience);
    expect(apiRequests()[0]!.url).toBe(`${PRODUCTION.api}${PING}`);
  });

  it.each<[string, PayMeClientOptions["scopes"], string]>([
    ["no scopes", undefined, "create:token"],
    ["an empty list", [], "create:token"],
    ["create:token listed last", ["get:charges", "create:token"], "create:token get:charges"],
    ["duplicates", ["get:charges", "create:token", "get:charges", "create:token"], "create:token get:charges"],
    ["all four", ["delete:charges", "get:charges", "post:charges"], "create:token delete:charges get:charges post:charges"],
    ["a custom scope", [customScope("refunds:create"), "post:charges"], "create:token refunds:create post:charges"],
  ])("always requests create:token first and once (%s)", async (_, scopes, expected) => {
    await client(scopes === undefined ? {} : { scopes }).auth.getToken();
    expect((await tokenBody()).scope).toBe(expected);
  });

  it("changes where requests go with baseUrl and tokenUrl, never the audience", async () => {
    useFake({ environment: "production" });
    const moved = client({ environment: "production", baseUrl: "https://gateway.test/payme/", tokenUrl: "https://login.test/oauth/token" });
    const { response } = await moved.GET(PING);
    expect(response.status).toBe(200);
    expect(tokenRequests()[0]!.url).toBe("https://login.test/oauth/token");
    expect((await tokenBody()).audience).toBe(PRODUCTION.audience);
    expect(apiRequests()[0]!.url).toBe(`https://gateway.test/payme${PING}`);
    expect(apiRequests()[0]!.headers.get("alg-api-version")).toBe("1709847567");
  });

  it("sends the audience option instead of the environment's", async () => {
    useFake({ audience: "https://api.custom.alignet.test/" });
    await client({ audience: "https://api.custom.alignet.test/" }).auth.getToken();
    expect((await tokenBody()).audience).toBe("https://api.custom.alignet.test/");
    expect(tokenRequests()[0]!.url).toBe(PREPROD.token);
  });

  it("shares a stored token between identical requests (create:token listed or not), not across audiences", async () => {
    const tokenStore = createMemoryTokenStore({ clock });
    await client({ tokenStore }).auth.getToken();
    await client({ tokenStore, scopes: ["create:token"] }).auth.getToken();
    expect(fake.stats.tokenRequests).toBe(1);
    await client({ tokenStore, audience: "https://other.test/" }).auth.getToken().catch(() => undefined);
    expect(fake.stats.tokenRequests).toBe(2);
    expect((await tokenBody(1)).audience).toBe("https://other.test/");
  });
});

describe("createPayMeClient: the token response", () => {
  it("returns a Bearer token that expires expires_in after the request was sent", async () => {
    const payme = client();
    const sentAt = clock.now();
    const token = await payme.auth.getToken();
    expect(token.tokenType).toBe("Bearer");
    expect(token.expiresAt).toBe(sentAt + 8_600_000);
    expect(token.scopes).toEqual(["create:token", "post:charges", "get:charges", "delete:charges"]);
  });

  it("parses the granted scopes, keeping ones outside the documented list (the documented example)", async () => {
    useFake({ clients: [{ ...payMeFakeCredentials, scopes: ["create:token", "api-test:create:token"] }] });
    const payme = client({ scopes: ["post:charges"] });
    const token = await payme.auth.getToken();
    expect(token.scopes).toEqual(["create:token", "api-test:create:token"]);
    expect(payme.auth.hasScope("create:token")).toBe(true);
    expect(payme.auth.hasScope(customScope("api-test:create:token"))).toBe(true);
    expect(payme.auth.hasScope("post:charges")).toBe(false);
  });

  it.each<[string, PayMeClientOptions["scopes"], string[]]>([
    ["some scopes", ["get:charges"], ["create:token", "get:charges"]],
    ["no scopes", undefined, ["create:token"]],
  ])("takes the requested scopes (with create:token) as granted when the response has no scope (%s)", async (_, scopes, granted) => {
    fake.failNext("token", { status: 200, body: JSON.stringify({ success: true, access_token: "abc.def.ghi", expires_in: 60, token_type: "bearer" }) });
    const token = await client(scopes === undefined ? {} : { scopes }).auth.getToken();
    expect(token.scopes).toEqual(granted);
    expect(token.accessToken).toBe("abc.def.ghi");
  });

  it.each([
    ["success missing", { access_token: "abc", expires_in: 60, token_type: "Bearer" }],
    ["success not a boolean", { success: "true", access_token: "abc", expires_in: 60, token_type: "Bearer" }],
    ["no access_token", { success: true, expires_in: 60, token_type: "Bearer" }],
    ["expires_in as text", { success: true, access_token: "abc", expires_in: "8600", token_type: "Bearer" }],
    ["a zero lifetime", { success: true, access_token: "abc", expires_in: 0, token_type: "Bearer" }],
    ["another token type", { success: true, access_token: "abc", expires_in: 60, token_type: "MAC" }],
    ["a malformed status code", { success: true, access_token: "abc", expires_in: 60, token_type: "Bearer", authorization: { meta: { status: { code: 0 } } } }],
  ])("maps a 200 with %s to invalid-response", async (_, body) => {
    fake.failNext("token", { status: 200, body: JSON.stringify(body) });
    const error = await catchAuthError(client().auth.getToken());
    expect(error.code).toBe("invalid-response");
    expect(error.status).toBe(200);
  });
});

describe("createPayMeClient: success: false", () => {
  const refusal = {
    action: "authorize",
    success: false,
    authorization: {
      meta: {
        status: {
          code: "E101",
          message_ilgn: [
            { locale: "es_PE", value: "Credenciales no válidas" },
            { locale: "en_US", value: "Invalid credentials" },
            { locale: 5 },
          ],
        },
      },
    },
  };

  it("is an invalid-request AuthError with the status code and the message_ilgn texts, and is not cached", async () => {
    fake.failNext("token", { status: 200, body: JSON.stringify(refusal) });
    const payme = client();
    const error = await catchAuthError(payme.GET(PING));
    expect(error).toMatchObject({ code: "invalid-request", status: 200, provider: "payme", providerCode: "E101" });
    expect(error.details).toStrictEqual({
      messages: [
        { locale: "es_PE", value: "Credenciales no válidas" },
        { locale: "en_US", value: "Invalid credentials" },
      ],
    });
    expect(error.message).toBe("@payauth/payme: token request was refused (E101): Credenciales no válidas / Invalid credentials");
    expect(apiRequests()).toHaveLength(0);
    const { response } = await payme.GET(PING);
    expect(response.status).toBe(200);
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it("wins over an access_token in the same body", async () => {
    fake.failNext("token", { status: 200, body: JSON.stringify({ ...refusal, access_token: "abc", expires_in: 60, token_type: "Bearer" }) });
    expect((await catchAuthError(client().auth.getToken())).code).toBe("invalid-request");
  });

  it("is invalid-request without providerCode or details when the body says nothing more", async () => {
    fake.failNext("token", { status: 200, body: '{"success":false}' });
    const error = await catchAuthError(client().auth.getToken());
    expect(error).toMatchObject({ code: "invalid-request", providerCode: undefined, details: undefined });
    expect(error.message).toBe("@payauth/payme: token request was refused: Pay-me answered success: false");
  });

  it("takes the code from a known OAuth error in the body", async () => {
    fake.failNext("token", { status: 200, body: '{"success":false,"error":"invalid_client","error_description":"Unknown client"}' });
    const error = await catchAuthError(client().auth.getToken());
    expect(error).toMatchObject({ code: "invalid-credentials", providerCode: "invalid_client" });
    expect(error.message).toContain("Unknown client");
  });

  it("never shows the client secret, even when Pay-me echoes it", async () => {
    const secret = "s3cret-echoed-by-payme";
    fake.failNext("token", {
      status: 200,
      body: JSON.stringify({ success: false, authorization: { meta: { status: { code: secret, message_ilgn: [{ locale: "es_PE", value: `secreto ${secret} inválido` }] } } } }),
    });
    const error = await catchAuthError(client({ clientSecret: secret }).auth.getToken());
    expect(error.code).toBe("invalid-request");
    for (const text of [error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(secret);
    }
    expect(error.details).toStrictEqual({ messages: [{ locale: "es_PE", value: "secreto [REDACTED] inválido" }] });
  });
});

describe("createPayMeClient: token endpoint errors", () => {
  it("maps the fake's 401 for a wrong secret to invalid-credentials without printing the secret", async () => {
    const secret = "wrong-but-secret-value";
    const error = await catchAuthError(client({ clientSecret: secret }).GET(PING));
    expect(error).toMatchObject({ code: "invalid-credentials", status: 401, providerCode: "401" });
    expect(error.details).toStrictEqual({ messages: [{ locale: "es_PE", value: "Credenciales inválidas" }] });
    for (const text of [error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(secret);
    }
  });

  it.each<[string, number, string, string, string | undefined, string | undefined]>([
    ["a 401 OAuth body", 401, '{"error":"access_denied","error_description":"Unauthorized"}', "invalid-credentials", "access_denied", "Unauthorized"],
    ["a 401 OAuth invalid_token body (the status decides)", 401, '{"error":"invalid_token"}', "invalid-credentials", "invalid_token", undefined],
    ["a 401 { message }", 401, '{"message":"Unauthorized"}', "invalid-credentials", undefined, "Unauthorized"],
    ["a 401 without a body", 401, "", "invalid-credentials", undefined, undefined],
    ["a 401 HTML page", 401, "<html>401</html>", "invalid-credentials", undefined, undefined],
    ["a 403 OAuth access_denied (the status decides)", 403, '{"error":"access_denied","error_description":"Client has not been granted scopes: delete:charges"}', "insufficient-scope", "access_denied", "Client has not been granted scopes: delete:charges"],
    ["a 403 { message }", 403, '{"message":"Forbidden"}', "insufficient-scope", undefined, "Forbidden"],
    ["a 400 OAuth invalid_scope", 400, '{"error":"invalid_scope"}', "insufficient-scope", "invalid_scope", undefined],
    ["a 400 OAuth invalid_client", 400, '{"error":"invalid_client"}', "invalid-credentials", "invalid_client", undefined],
    ["a 400 unknown OAuth error", 400, '{"error":"constructor"}', "invalid-request", "constructor", undefined],
    ["a 400 Pay-me envelope", 400, '{"success":false,"authorization":{"meta":{"status":{"code":"E2","message_ilgn":[{"locale":"es_PE","value":"Falta audience"}]}}}}', "invalid-request", "E2", "Falta audience"],
    ["a 500 Pay-me envelope with a numeric code", 500, '{"authorization":{"meta":{"status":{"code":99}}}}', "server-error", "99", undefined],
  ])("maps %s", async (_, status, body, code, providerCode, message) => {
    fake.failNext("token", { status, body });
    const error = await catchAuthError(client().auth.getToken());
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.providerCode).toBe(providerCode);
    if (message === undefined) expect(error.message).toMatch(/HTTP \d{3}( \([^)]*\))?$/);
    else expect(error.message.endsWith(`: ${message}`)).toBe(true);
  });

  it("maps a 429 with Retry-After to rate-limited", async () => {
    fake.failNext("token", { status: 429, code: "429", retryAfterSeconds: 30 });
    const error = await catchAuthError(client().auth.getToken());
    expect(error).toMatchObject({ code: "rate-limited", providerCode: "429", retryAfterMs: 30_000 });
  });
});

describe("createPayMeClient: API requests", () => {
  it("sends ALG-API-VERSION and the bearer token on every API request, to the pre-production API by default", async () => {
    const payme = client();
    const { response } = await payme.GET(PING);
    expect(response.status).toBe(200);
    const token = await payme.auth.getToken();
    const api = apiRequests()[0]!;
    expect(api.url).toBe(`${PREPROD.api}${PING}`);
    expect(api.headers.get("alg-api-version")).toBe("1709847567");
    expect(api.headers.get("authorization")).toBe(`Bearer ${token.accessToken}`);
    await payme.GET(PING);
    expect(apiRequests().map((r) => r.headers.get("alg-api-version"))).toEqual(["1709847567", "1709847567"]);
    expect(fake.stats.tokenRequests).toBe(1);
  });

  it("replaces the token after an API 401 and replays once, with ALG-API-VERSION again", async () => {
    const payme = client();
    await payme.GET(PING);
    const first = await payme.auth.getToken();
    fake.failNext("api", { status: 401, body: '{"message":"Unauthorized"}' });
    const { response } = await payme.GET(PING);
    expect(response.status).toBe(200);
    const second = await payme.auth.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    const [, rejected, replayed] = apiRequests();
    expect(rejected!.headers.get("authorization")).toBe(`Bearer ${first.accessToken}`);
    expect(replayed!.headers.get("authorization")).toBe(`Bearer ${second.accessToken}`);
    expect(replayed!.headers.get("alg-api-version")).toBe("1709847567");
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it("replays after a 401 whatever its body, and only once", async () => {
    const payme = client();
    fake.failNext("api", { status: 401, body: "" }, 2);
    const { response } = await payme.GET(PING);
    expect(response.status).toBe(401);
    expect(fake.stats.apiCalls).toBe(2);
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it("returns a 403 without replaying or renewing", async () => {
    const payme = client();
    fake.failNext("api", { status: 403, code: "403" });
    const { response, error } = await payme.GET(PING);
    expect(response.status).toBe(403);
    expect(error).toBeDefined();
    expect(fake.stats.apiCalls).toBe(1);
    expect(fake.stats.tokenRequests).toBe(1);
  });
});

describe("createPayMeClient: options", () => {
  it.each<[string, unknown]>([
    ["missing", undefined],
    ["a typo", "prod"],
    ["the display name", "Production"],
    ["not a string", 1],
    ["an inherited key", "toString"],
  ])("refuses an environment that is %s", (_, environment) => {
    const make = () => createPayMeClient({ ...payMeFakeCredentials, environment } as unknown as PayMeClientOptions);
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(/option `environment` must be "preprod" or "production"/);
    try {
      make();
    } catch (error) {
      expect((error as InvalidOptionError).option).toBe("environment");
    }
  });

  it("refuses malformed options, naming each", () => {
    expect(() => createPayMeClient(null as unknown as PayMeClientOptions)).toThrow(/option `options`/);
    expect(() => client({ audience: "" })).toThrow(/option `audience`/);
    expect(() => client({ audience: " https://api.alignet.io/" })).toThrow(/option `audience`/);
    expect(() => client({ audience: 5 as unknown as string })).toThrow(/option `audience`/);
    expect(() => client({ scopes: "post:charges" as unknown as [] })).toThrow(/option `scopes`/);
    expect(() => client({ scopes: [customScope("a"), "b c" as "post:charges"] })).toThrow(/option `scopes`/);
    expect(() => client({ scopes: [5 as unknown as "post:charges"] })).toThrow(/option `scopes`/);
    expect(() => client({ baseUrl: "not a url" })).toThrow(/option `baseUrl`/);
    expect(() => client({ tokenUrl: "ftp://auth.alignet.io/token" })).toThrow(/option `tokenUrl`/);
    expect(() => client({ clientId: "" })).toThrow(/option `clientId`/);
    expect(() => client({ clientSecret: "  " })).toThrow(/option `clientSecret`/);
    expect(() => client({ timeoutMs: 0 })).toThrow(/option `timeoutMs`/);
  });

  it("makes no request at construction", () => {
    client();
    expect(sent).toHaveLength(0);
  });
});

describe("createPayMeFake", () => {
  const answer = () => createHandlersFetch(fake.handlers);
  const validBody = {
    action: "authorize",
    grant_type: "client_credentials",
    audience: PREPROD.audience,
    client_id: payMeFakeCredentials.clientId,
    client_secret: payMeFakeCredentials.clientSecret,
    scope: "create:token get:charges",
  };
  async function post(body: unknown, headers: Record<string, string> = { "content-type": "application/json", "alg-api-version": "1709847567" }) {
    const response = await answer()(new Request(PREPROD.token, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }));
    return { status: response.status, body: (await response.json()) as { success?: boolean; authorization?: { meta: { status: { code: string } } } } };
  }

  it("issues a token in Pay-me's documented shape", async () => {
    const { status, body } = await post(validBody);
    expect(status).toBe(200);
    expect(body).toMatchObject({ action: "authorize", success: true, token_type: "Bearer", expires_in: 8600, authorization: { meta: { status: { code: "00" } } } });
  });

  it.each<[string, unknown, Record<string, string> | undefined, number]>([
    ["no ALG-API-VERSION", validBody, { "content-type": "application/json" }, 400],
    ["another ALG-API-VERSION", validBody, { "content-type": "application/json", "alg-api-version": "1" }, 400],
    ["a form body", "grant_type=client_credentials", { "content-type": "application/x-www-form-urlencoded", "alg-api-version": "1709847567" }, 400],
    ["no action", { ...validBody, action: undefined }, undefined, 400],
    ["another action", { ...validBody, action: "token" }, undefined, 400],
    ["another grant_type", { ...validBody, grant_type: "password" }, undefined, 400],
    ["no audience", { ...validBody, audience: undefined }, undefined, 400],
    ["the production audience", { ...validBody, audience: PRODUCTION.audience }, undefined, 400],
    ["the audience without its trailing slash", { ...validBody, audience: PREPROD.api }, undefined, 400],
    ["no scope", { ...validBody, scope: undefined }, undefined, 400],
    ["a wrong secret", { ...validBody, client_secret: "nope" }, undefined, 401],
    ["a scope without create:token", { ...validBody, scope: "get:charges" }, undefined, 403],
  ])("refuses a token request with %s in Pay-me's envelope", async (_, body, headers, status) => {
    const answered = await post(body, headers);
    expect(answered.status).toBe(status);
    expect(answered.body.success).toBe(false);
    expect(answered.body.authorization?.meta.status.code).toBe(String(status));
    expect(fake.stats.tokensIssued).toBe(0);
  });

  it("refuses an API request without ALG-API-VERSION, then one without a valid token", async () => {
    const { body } = await post(validBody);
    const token = (body as unknown as { access_token: string }).access_token;
    const ping = (headers: Record<string, string>) => answer()(new Request(`${PREPROD.api}${PING}`, { headers }));
    expect((await ping({ authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await ping({ "alg-api-version": "1709847567" })).status).toBe(401);
    expect((await ping({ "alg-api-version": "1709847567", authorization: `Bearer ${token}` })).status).toBe(200);
    fake.revokeToken(token);
    expect((await ping({ "alg-api-version": "1709847567", authorization: `Bearer ${token}` })).status).toBe(401);
    expect(fake.stats.apiCalls).toBe(4);
  });

  it("answers only its own origins when given", async () => {
    useFake({ authOrigin: "https://auth.preprod.alignet.io", apiOrigin: "https://api.preprod.alignet.io" });
    const { response } = await client().GET(PING);
    expect(response.status).toBe(200);
    const elsewhere = await client({ tokenUrl: "https://auth.elsewhere.test/token" }).auth.getToken().catch((e: unknown) => e);
    expect(isAuthError(elsewhere, "invalid-request")).toBe(true);
    expect((elsewhere as AuthError).status).toBe(404);
  });

  it("reset() forgets tokens, faults and counts", async () => {
    const payme = client();
    await payme.GET(PING);
    fake.failNext("token", { status: 500, body: "" });
    fake.reset();
    expect(fake.stats).toEqual({ tokenRequests: 0, tokensIssued: 0, apiCalls: 0 });
    // The cached token is unknown to the reset fake: the API refuses it and the replay gets a new one.
    const { response } = await payme.GET(PING);
    expect(response.status).toBe(200);
    expect(fake.stats).toEqual({ tokenRequests: 1, tokensIssued: 1, apiCalls: 2 });
  });

  it("refuses an unknown environment", () => {
    expect(() => createPayMeFake({ environment: "staging" as "preprod" })).toThrow(TypeError);
  });
});
