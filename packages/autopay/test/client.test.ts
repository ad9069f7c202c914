import { catchAuthError } from "@payauth/auth-core/testing";
import { inspect } from "node:util";
import type { ConformancePaths } from "@payauth/conformance";
import { beforeEach, describe, expect, it } from "vitest";
import { TokenRequestSchema } from "../src/generated/schemas.gen.js";
import {
  AUTOPAY_AUDIENCE,
  AUTOPAY_BASE_URL,
  AUTOPAY_TOKEN_URL,
  AuthError,
  createAutopayClient,
  createMemoryTokenStore,
  customScope,
  InvalidOptionError,
  isAuthError,
  mapAutopayError,
  type AutopayClientOptions,
  type FetchLike,
} from "../src/index.js";
import {
  autopayFakeCredentials,
  createAutopayFake,
  createHandlersFetch,
  createManualClock,
  type AutopayFake,
  type AutopayFakeOptions,
  type AutopayFault,
  type ManualClock,
} from "../src/testing/index.js";

const PING = "/payauth-conformance/ping" as const;
const DOCUMENTED_BODY = {
  client_id: autopayFakeCredentials.clientId,
  client_secret: autopayFakeCredentials.clientSecret,
  audience: "https://api.autopay.io",
  grant_type: "client_credentials",
};

let clock: ManualClock;
let fake: AutopayFake;
let sent: Request[];
let fetch: FetchLike;

function useFake(options: AutopayFakeOptions = {}) {
  fake = createAutopayFake({ clock, ...options });
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

function client(overrides: Partial<AutopayClientOptions> = {}) {
  return createAutopayClient<ConformancePaths>({ ...autopayFakeCredentials, fetch, clock, retry: once, ...overrides });
}

const tokenRequests = () => sent.filter((r) => r.url.endsWith("/oauth/token"));


describe("the token request", () => {
  it("is exactly the documented one, sent to the documented token URL", async () => {
    await client().auth.getToken();
    expect(sent).toHaveLength(1);
    const request = sent[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://api-auth.autopay.io/oauth/token");
    expect(request.headers.get("content-type")).toBe("application/json");
    const text = await request.text();
    // The four documented fields, in the docs' order, and nothing else (no `scope`).
    expect(text).toBe(JSON.stringify(DOCUMENTED_BODY));
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["client_id", "client_secret", "audience", "grant_type"]);
    expect(body).not.toHaveProperty("scope");
    expect(TokenRequestSchema.safeParse(body).success).toBe(true);
  });

  it("sends API requests to https://api.autopay.io with the token as Bearer", async () => {
    const autopay = client();
    const { response } = await autopay.GET(PING);
    expect(response.status).toBe(200);
    const api = sent[1]!;
    expect(api.url).toBe("https://api.autopay.io/payauth-conformance/ping");
    const token = await autopay.auth.getToken();
    expect(api.headers.get("authorization")).toBe(`Bearer ${token.accessToken}`);
    expect([AUTOPAY_BASE_URL, AUTOPAY_TOKEN_URL, AUTOPAY_AUDIENCE]).toEqual([
      "https://api.autopay.io",
      "https://api-auth.autopay.io/oauth/token",
      "https://api.autopay.io",
    ]);
  });

  it.each<[string, Partial<AutopayClientOptions>, string, string]>([
    ["baseUrl", { baseUrl: "https://autopay.test/" }, "https://api-auth.autopay.io/oauth/token", "https://autopay.test"],
    ["tokenUrl", { tokenUrl: "https://auth.autopay.test/oauth/token" }, "https://auth.autopay.test/oauth/token", "https://api.autopay.io"],
    [
      "baseUrl and tokenUrl",
      { baseUrl: "http://127.0.0.1:9999", tokenUrl: "http://127.0.0.1:9999/oauth/token" },
      "http://127.0.0.1:9999/oauth/token",
      "http://127.0.0.1:9999",
    ],
  ])("moves requests with %s overridden, never the audience", async (_, overrides, tokenUrl, apiOrigin) => {
    const autopay = client(overrides);
    expect((await autopay.GET(PING)).response.status).toBe(200);
    expect(sent[0]!.url).toBe(tokenUrl);
    expect(((await sent[0]!.json()) as { audience: string }).audience).toBe("https://api.autopay.io");
    expect(sent[1]!.url).toBe(`${apiOrigin}${PING}`);
  });

  it("changes the audience only through the audience option, which Autopay refuses", async () => {
    const error = await catchAuthError(client({ audience: "https://api.autopay.test" }).auth.getToken());
    expect(((await sent[0]!.json()) as { audience: string }).audience).toBe("https://api.autopay.test");
    expect(error).toMatchObject({ code: "invalid-request", status: 400, providerCode: "invalid_request" });
    expect(error.message).toContain("audience must always be https://api.autopay.io");
  });

  it("caches one token per audience", async () => {
    const store = createMemoryTokenStore({ clock });
    await client({ tokenStore: store }).auth.getToken();
    await client({ tokenStore: store }).auth.getToken();
    expect(tokenRequests()).toHaveLength(1);
    await catchAuthError(client({ tokenStore: store, audience: "https://other.audience.test" }).auth.getToken());
    expect(tokenRequests()).toHaveLength(2);
  });
});

describe("the token response", () => {
  it("gives a Bearer token that expires expires_in (86400) seconds after the request was sent, with the granted scope", async () => {
    const autopay = client();
    expect(autopay.auth.hasScope("customer_club")).toBe(false);
    const sentAt = clock.now();
    const token = await autopay.auth.getToken();
    expect(token.tokenType).toBe("Bearer");
    expect(token.expiresAt).toBe(sentAt + 86_400_000);
    expect(token.scopes).toEqual(["customer_club"]);
    expect(autopay.auth.hasScope("customer_club")).toBe(true);
    expect(JSON.stringify(token)).not.toContain(token.accessToken);
  });

  it("reports the scopes Autopay granted, also ones added after this package", async () => {
    useFake({ clients: [{ ...autopayFakeCredentials, scopes: ["customer_club", customScope("parking")] }] });
    const autopay = client();
    expect((await autopay.auth.getToken()).scopes).toEqual(["customer_club", "parking"]);
    expect(autopay.auth.hasScope(customScope("parking"))).toBe(true);
    expect(autopay.auth.hasScope(customScope("invoices"))).toBe(false);
  });

  it("reports no scopes when the response has no scope", async () => {
    fake.failNext("token", { status: 200, body: '{"access_token":"abc.def","expires_in":36000,"token_type":"Bearer"}' });
    const autopay = client();
    const token = await autopay.auth.getToken();
    expect(token.scopes).toEqual([]);
    expect(token.expiresAt).toBe(clock.now() + 36_000_000);
    expect(autopay.auth.hasScope("customer_club")).toBe(false);
  });

  it("accepts token_type in any case", async () => {
    fake.failNext("token", { status: 200, body: '{"access_token":"abc.def","scope":"customer_club","expires_in":60,"token_type":"bearer"}' });
    await expect(client().auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer", accessToken: "abc.def" });
  });

  it.each([
    ["the docs' misspelt expries_in instead of expires_in", '{"access_token":"abc","scope":"customer_club","expries_in":86400,"token_type":"Bearer"}'],
    ["expires_in as a string", '{"access_token":"abc","scope":"customer_club","expires_in":"86400","token_type":"Bearer"}'],
    ["a zero expires_in", '{"access_token":"abc","scope":"customer_club","expires_in":0,"token_type":"Bearer"}'],
    ["no access_token", '{"scope":"customer_club","expires_in":86400,"token_type":"Bearer"}'],
    ["a token type other than Bearer", '{"access_token":"abc","scope":"customer_club","expires_in":86400,"token_type":"MAC"}'],
    ["a scope that is not a string", '{"access_token":"abc","scope":["customer_club"],"expires_in":86400,"token_type":"Bearer"}'],
    ["not JSON", "<html>ok</html>"],
    ["an empty body", ""],
  ])("maps a 200 with %s to invalid-response", async (_, body) => {
    fake.failNext("token", { status: 200, body });
    const error = await catchAuthError(client().auth.getToken());
    expect(error.code).toBe("invalid-response");
  });
});

describe("token errors", () => {
  it("maps wrong credentials (the documented 401 access_denied) to invalid-credentials, with no secret anywhere", async () => {
    const secret = "wrong-but-secret-autopay-value";
    const error = await catchAuthError(client({ clientSecret: secret }).GET(PING));
    expect(isAuthError(error, "invalid-credentials")).toBe(true);
    expect(error).toMatchObject({ status: 401, provider: "autopay", providerCode: "access_denied" });
    expect(error.message).toBe("@payauth/autopay: token request failed with HTTP 401 (access_denied): Unauthorized");
    for (const text of [error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(secret);
    }
  });

  it.each<[string, AutopayFault | { status: number; json: unknown }, string, string | undefined]>([
    ["401 access_denied (documented)", { status: 401, code: "access_denied" }, "invalid-credentials", "access_denied"],
    ["403 access_denied", { status: 403, code: "access_denied" }, "invalid-credentials", "access_denied"],
    ["400 invalid_request", { status: 400, code: "invalid_request" }, "invalid-request", "invalid_request"],
    ["400 unsupported_grant_type", { status: 400, code: "unsupported_grant_type" }, "invalid-request", "unsupported_grant_type"],
    ["429 too_many_requests", { status: 429, code: "too_many_requests" }, "rate-limited", "too_many_requests"],
    ["500 server_error", { status: 500, code: "server_error" }, "server-error", "server_error"],
    ["503 temporarily_unavailable", { status: 503, code: "temporarily_unavailable" }, "server-error", "temporarily_unavailable"],
    ["400 invalid_client (RFC 6749)", { status: 400, json: { error: "invalid_client" } }, "invalid-credentials", "invalid_client"],
    ["403 unauthorized_client (RFC 6749)", { status: 403, json: { error: "unauthorized_client", error_description: "Grant type not allowed" } }, "invalid-credentials", "unauthorized_client"],
    ["403 with an unknown code: the status decides", { status: 403, json: { error: "something_new" } }, "insufficient-scope", "something_new"],
    ["400 with an unknown code: the status decides", { status: 400, json: { error: "something_new" } }, "invalid-request", "something_new"],
    ["401 that is not JSON", { status: 401, body: "<html>Unauthorized</html>" }, "invalid-credentials", undefined],
    ["401 without a body", { status: 401, body: "" }, "invalid-credentials", undefined],
    ["401 JSON without error", { status: 401, json: { message: "Unauthorized" } }, "invalid-credentials", undefined],
    ["400 without a body", { status: 400, body: "" }, "invalid-request", undefined],
    ["502 HTML page", { status: 502, body: "<html>Bad gateway</html>" }, "server-error", undefined],
  ])("maps %s", async (_, fault, code, providerCode) => {
    const answer = createHandlersFetch(fake.handlers);
    const fetchWith: FetchLike =
      "json" in fault ? async (request) => (request.url.endsWith("/oauth/token") ? Response.json(fault.json, { status: fault.status }) : answer(request)) : answer;
    if (!("json" in fault)) fake.failNext("token", fault);
    const autopay = client({ fetch: fetchWith });
    const error = await catchAuthError(autopay.auth.getToken());
    expect(error).toMatchObject({ code, status: fault.status, providerCode });
    // A failure is not cached.
    if (!("json" in fault)) await expect(autopay.auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("keeps Retry-After as retryAfterMs", async () => {
    fake.failNext("token", { status: 429, code: "too_many_requests", retryAfterSeconds: 120 });
    const error = await catchAuthError(client().auth.getToken());
    expect(error).toMatchObject({ code: "rate-limited", retryAfterMs: 120_000 });
  });

  describe("mapAutopayError", () => {
    const headers = new Headers();
    it.each<[string, number, unknown, "token" | "api", ReturnType<typeof mapAutopayError>]>([
      ["the documented body", 401, { error: "access_denied", error_description: "Unauthorized" }, "token", { code: "invalid-credentials", providerCode: "access_denied", message: "Unauthorized" }],
      ["a documented code without description", 401, { error: "access_denied" }, "token", { code: "invalid-credentials", providerCode: "access_denied", message: undefined }],
      ["an RFC 6749 code", 400, { error: "invalid_scope", error_description: "x" }, "token", { code: "insufficient-scope", providerCode: "invalid_scope", message: "x" }],
      ["an unknown code from the API", 401, { error: "strange" }, "api", { code: "invalid-token", providerCode: "strange", message: undefined }],
      ["no body", 401, undefined, "token", undefined],
      ["a string body", 401, "Unauthorized", "token", undefined],
      ["null", 401, null, "token", undefined],
      ["a non-string error", 401, { error: 401 }, "token", undefined],
      ["a non-string description", 401, { error: "access_denied", error_description: 5 }, "token", undefined],
    ])("maps %s", (_, status, body, endpoint, expected) => {
      expect(mapAutopayError({ status, body, headers }, endpoint)).toEqual(expected);
    });
  });
});

describe("excessive tokens (Autopay may terminate API access)", () => {
  it("costs one token for 1,000 concurrent calls and a day of hourly calls, within the fake's strictest limit", async () => {
    useFake({ excessiveTokens: { max: 1, refuse: "terminate" } });
    const autopay = client();
    const statuses = await Promise.all(Array.from({ length: 1000 }, () => autopay.GET(PING).then((r) => r.response.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (let hour = 1; hour <= 23; hour++) {
      clock.advance(3_600_000);
      expect((await autopay.GET(PING)).response.status).toBe(200);
    }
    expect(fake.stats).toMatchObject({ tokenRequests: 1, apiCalls: 1023 });
  });

  it("renews once a day over three days of calls, within a limit of two live tokens", async () => {
    useFake({ excessiveTokens: { max: 2, refuse: "terminate" } });
    const autopay = client();
    for (let minute = 0; minute <= 72 * 60; minute += 10) {
      expect((await autopay.GET(PING)).response.status).toBe(200);
      clock.advance(600_000);
    }
    // At 0 h, then 5 minutes before each expiry: 23:55, 47:50, 71:45.
    expect(fake.stats.tokenRequests).toBe(4);
    expect(fake.stats.apiCalls).toBe(72 * 6 + 1);
  });

  it("refuses a token per request (no cache) with 429 once the limit is reached", async () => {
    useFake({ excessiveTokens: { max: 2 } });
    // The anti-pattern: a new client (and cache) for every request.
    const once = () => client().auth.getToken();
    await once();
    clock.advance(1000);
    await once();
    const error = await catchAuthError(once());
    expect(error).toMatchObject({ code: "rate-limited", status: 429, providerCode: "too_many_requests", retryAfterMs: 86_399_000 });
    expect(fake.stats).toMatchObject({ tokenRequests: 3, tokensIssued: 2 });
    clock.advance(86_399_000);
    await expect(once()).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("with refuse: terminate, answers 403 access_denied from then on and revokes the client's tokens", async () => {
    const other = { clientId: "other-client", clientSecret: "other-secret" };
    useFake({ clients: [autopayFakeCredentials, other], excessiveTokens: { max: 2, refuse: "terminate" } });
    const cached = client();
    expect((await cached.GET(PING)).response.status).toBe(200);
    await client().auth.getToken();
    const error = await catchAuthError(client().auth.getToken());
    expect(error).toMatchObject({ code: "invalid-credentials", status: 403, providerCode: "access_denied" });
    expect(error.message).toContain("API access terminated");
    // The cached token was revoked: the API refuses it, and a new one is refused too.
    const refused = await catchAuthError(cached.GET(PING));
    expect(refused).toMatchObject({ code: "invalid-credentials", status: 403 });
    clock.advance(3 * 86_400_000);
    await expect(catchAuthError(client().auth.getToken())).resolves.toMatchObject({ status: 403 });
    // Other credentials are not affected, and reset() lifts it.
    await expect(client(other).auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer" });
    fake.reset();
    await expect(client().auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("lets clients that share a tokenStore (e.g. processes sharing one store) use one token", async () => {
    const tokenStore = createMemoryTokenStore({ clock });
    for (let process = 0; process < 5; process++) {
      expect((await client({ tokenStore }).GET(PING)).response.status).toBe(200);
    }
    expect(fake.stats.tokenRequests).toBe(1);
  });
});

describe("API requests", () => {
  it.each(["a bare 401", "a revoked token"] as const)("replace the token and replay once on any 401 (%s)", async (how) => {
    const autopay = client();
    await autopay.GET(PING);
    if (how === "a revoked token") fake.revokeToken();
    else fake.failNext("api", { status: 401, body: "" });
    expect((await autopay.GET(PING)).response.status).toBe(200);
    expect(fake.stats).toMatchObject({ tokenRequests: 2, apiCalls: 3 });
  });

  it("do not loop when the replay is refused too", async () => {
    const autopay = client();
    fake.failNext("api", { status: 401, code: "invalid_token" }, 2);
    expect((await autopay.GET(PING)).response.status).toBe(401);
    expect(fake.stats).toMatchObject({ tokenRequests: 2, apiCalls: 2 });
  });

  it("return a 403 without replaying", async () => {
    const autopay = client();
    fake.failNext("api", { status: 403, code: "insufficient_scope" });
    expect((await autopay.GET(PING)).response.status).toBe(403);
    expect(fake.stats).toMatchObject({ tokenRequests: 1, apiCalls: 1 });
  });

  it("carry the token only to the API's own origin", async () => {
    const autopay = client();
    await autopay.GET(PING, { baseUrl: "https://elsewhere.test" });
    const foreign = sent.find((r) => r.url.startsWith("https://elsewhere.test"));
    expect(foreign?.headers.get("authorization")).toBeNull();
  });

  it("renew refreshWindowSeconds before expiry", async () => {
    const autopay = client({ refreshWindowSeconds: 3600 });
    await autopay.GET(PING);
    clock.advance((86_400 - 3601) * 1000);
    await autopay.GET(PING);
    expect(fake.stats.tokenRequests).toBe(1);
    clock.advance(2000);
    await autopay.GET(PING);
    expect(fake.stats.tokenRequests).toBe(2);
  });
});

describe("options", () => {
  it.each<[string, unknown]>([
    ["clientId", { clientId: "" }],
    ["clientSecret", { clientSecret: "   " }],
    ["baseUrl", { baseUrl: "not a url" }],
    ["tokenUrl", { tokenUrl: "ftp://auth.autopay.io/oauth/token" }],
    ["audience", { audience: "" }],
    ["audience", { audience: " https://api.autopay.io" }],
    ["audience", { audience: 42 }],
    ["scopes", { scopes: ["customer_club"] }],
    ["scopes", { scopes: [] }],
    ["environment", { environment: "sandbox" }],
    ["refreshWindowSeconds", { refreshWindowSeconds: -1 }],
    ["timeoutMs", { timeoutMs: 0 }],
    ["fetch", { fetch: "fetch" }],
  ])("rejects a bad %s with an InvalidOptionError naming it", (option, overrides) => {
    const create = () => client(overrides as Partial<AutopayClientOptions>);
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(`option \`${option}\``);
    try {
      create();
    } catch (error) {
      expect((error as InvalidOptionError).option).toBe(option);
    }
  });

  it("explains why scopes and environment are not options", () => {
    expect(() => client({ scopes: ["customer_club"] } as never)).toThrow(/asks for no scopes/);
    expect(() => client({ environment: "sandbox" } as never)).toThrow(/one environment/);
  });

  it("rejects missing options", () => {
    expect(() => createAutopayClient(undefined as never)).toThrow(/option `options`/);
  });

  it("needs only clientId and clientSecret", async () => {
    const autopay = createAutopayClient<ConformancePaths>({ ...autopayFakeCredentials, fetch });
    expect((await autopay.GET(PING)).response.status).toBe(200);
    expect(sent.map((r) => new URL(r.url).origin)).toEqual(["https://api-auth.autopay.io", "https://api.autopay.io"]);
  });
});

describe("the fake", () => {
  const answer = () => createHandlersFetch(fake.handlers);
  const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }, url = AUTOPAY_TOKEN_URL) =>
    answer()(new Request(url, { method: "POST", headers, body }));

  it("answers the documented request with the documented response shape", async () => {
    const response = await post(JSON.stringify(DOCUMENTED_BODY));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect(body).toMatchObject({ scope: "customer_club", expires_in: 86_400, token_type: "Bearer" });
  });

  it("answers wrong or empty credentials with exactly the documented 401", async () => {
    for (const credentials of [{ client_secret: "wrong" }, { client_id: "nobody" }, { client_id: "" }, { client_secret: "" }]) {
      const response = await post(JSON.stringify({ ...DOCUMENTED_BODY, ...credentials }));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });
    }
  });

  it.each<[string, string, Record<string, string>, number, string]>([
    ["no Content-Type: application/json", JSON.stringify(DOCUMENTED_BODY), { "content-type": "text/plain" }, 400, "invalid_request"],
    ["a form-encoded body", new URLSearchParams(DOCUMENTED_BODY).toString(), { "content-type": "application/x-www-form-urlencoded" }, 400, "invalid_request"],
    ["a body that is not JSON", "client_id=x", { "content-type": "application/json" }, 400, "invalid_request"],
    ["a JSON array", "[]", { "content-type": "application/json" }, 400, "invalid_request"],
    ["a scope", JSON.stringify({ ...DOCUMENTED_BODY, scope: "customer_club" }), { "content-type": "application/json" }, 400, "invalid_request"],
    ["no audience", JSON.stringify({ ...DOCUMENTED_BODY, audience: undefined }), { "content-type": "application/json" }, 400, "invalid_request"],
    ["another audience", JSON.stringify({ ...DOCUMENTED_BODY, audience: "https://api.autopay.io/" }), { "content-type": "application/json" }, 400, "invalid_request"],
    ["no grant_type", JSON.stringify({ ...DOCUMENTED_BODY, grant_type: undefined }), { "content-type": "application/json" }, 400, "invalid_request"],
    ["another grant_type", JSON.stringify({ ...DOCUMENTED_BODY, grant_type: "password" }), { "content-type": "application/json" }, 400, "unsupported_grant_type"],
    ["a numeric client_id", JSON.stringify({ ...DOCUMENTED_BODY, client_id: 7 }), { "content-type": "application/json" }, 400, "invalid_request"],
  ])("refuses a request with %s", async (_, body, headers, status, error) => {
    const response = await post(body, headers);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error });
    expect(fake.stats).toMatchObject({ tokenRequests: 1, tokensIssued: 0 });
  });

  it("accepts Content-Type with a charset", async () => {
    expect((await post(JSON.stringify(DOCUMENTED_BODY), { "content-type": "application/json; charset=utf-8" })).status).toBe(200);
  });

  it("answers only on its configured origins", async () => {
    useFake({ tokenOrigin: "https://api-auth.autopay.io", apiOrigin: "https://api.autopay.io/" });
    expect((await client().GET(PING)).response.status).toBe(200);
    expect((await post(JSON.stringify(DOCUMENTED_BODY), undefined, "https://api.autopay.io/oauth/token")).status).toBe(404);
    expect((await client({ baseUrl: "https://api.autopay.test" }).GET(PING)).response.status).toBe(404);
  });

  it("refuses a missing or unknown bearer token with 401 invalid_token", async () => {
    const response = await answer()(new Request(`${AUTOPAY_BASE_URL}${PING}`));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(await response.json()).toMatchObject({ error: "invalid_token" });
  });

  it("counts token requests and forgets everything on reset()", async () => {
    const autopay = client();
    await autopay.auth.getToken();
    await autopay.auth.getToken({ forceRefresh: true });
    expect(fake.stats).toMatchObject({ tokenRequests: 2, tokensIssued: 2 });
    fake.reset();
    expect(fake.stats).toMatchObject({ tokenRequests: 0, tokensIssued: 0, apiCalls: 0 });
    // The cached token is unknown to the fake now: the client replaces it.
    expect((await autopay.GET(PING)).response.status).toBe(200);
    expect(fake.stats).toMatchObject({ tokenRequests: 1, apiCalls: 2 });
  });
});
