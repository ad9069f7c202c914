import { catchAuthError } from "@payauth/auth-core/testing";
import { inspect } from "node:util";
import type { ConformancePaths } from "@payauth/conformance";
import { beforeEach, describe, expect, it } from "vitest";
import {
  AuthError,
  createGetpaidClient,
  createMemoryTokenStore,
  customScope,
  GETPAID_AUDIENCES,
  GETPAID_TOKEN_URL,
  InvalidOptionError,
  isAuthError,
  type FetchLike,
  type GetpaidClientOptions,
} from "../src/index.js";
import {
  createGetpaidFake,
  createHandlersFetch,
  createManualClock,
  getpaidFakeCredentials,
  type GetpaidFake,
  type GetpaidFakeOptions,
  type ManualClock,
} from "../src/testing/index.js";

const PING = "/payauth-conformance/ping";
let clock: ManualClock;
let fake: GetpaidFake;
let sent: Request[];
let fetch: FetchLike;

function useFake(options: GetpaidFakeOptions = {}) {
  fake = createGetpaidFake({ clock, ...options });
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

type Overrides = Partial<GetpaidClientOptions>;

// These tests check one attempt each; retries are covered by auth-core and the conformance suite.
const once = { maxAttempts: 1 };

function sandbox(overrides: Overrides = {}) {
  return createGetpaidClient<ConformancePaths>({ environment: "sandbox", ...getpaidFakeCredentials.sandbox, fetch, clock, retry: once, ...overrides });
}

function live(overrides: Overrides = {}) {
  return createGetpaidClient<ConformancePaths>({ environment: "live", ...getpaidFakeCredentials.live, fetch, clock, retry: once, ...overrides });
}

const tokenRequests = () => sent.filter((r) => r.url.endsWith("/oauth/token"));

async function sentBody(index = 0): Promise<Record<string, unknown>> {
  const request = tokenRequests()[index];
  if (request === undefined) throw new Error(`no token request #${index}`);
  return (await request.json()) as Record<string, unknown>;
}


describe("createGetpaidClient: the token request", () => {
  it("live: POSTs the documented JSON body to auth.getpaid.io with the live audience, then calls api.getpaid.io", async () => {
    const getpaid = live({ scopes: ["invoices:read_write"] });
    const { response } = await getpaid.GET(PING);
    expect(response.status).toBe(200);
    const [token, api] = sent;
    expect(token!.method).toBe("POST");
    expect(token!.url).toBe("https://auth.getpaid.io/oauth/token");
    expect(token!.headers.get("content-type")).toBe("application/json");
    expect(await token!.json()).toStrictEqual({
      client_id: getpaidFakeCredentials.live.clientId,
      client_secret: getpaidFakeCredentials.live.clientSecret,
      audience: "https://api.getpaid.io",
      grant_type: "client_credentials",
      scope: "invoices:read_write",
    });
    expect(api!.url).toBe(`https://api.getpaid.io${PING}`);
    const { accessToken } = await getpaid.auth.getToken();
    expect(api!.headers.get("authorization")).toBe(`Bearer ${accessToken}`);
    expect(fake.stats.tokenRequests).toBe(1);
  });

  it("sandbox: the same token URL with the sandbox audience, then calls api.sandbox.getpaid.io", async () => {
    const getpaid = sandbox({ scopes: ["invoices:read_write"] });
    await getpaid.GET(PING);
    expect(sent[0]!.url).toBe(GETPAID_TOKEN_URL);
    expect(await sentBody()).toStrictEqual({
      client_id: getpaidFakeCredentials.sandbox.clientId,
      client_secret: getpaidFakeCredentials.sandbox.clientSecret,
      audience: "https://api.sandbox.getpaid.io",
      grant_type: "client_credentials",
      scope: "invoices:read_write",
    });
    expect(sent[1]!.url).toBe(`https://api.sandbox.getpaid.io${PING}`);
  });

  it("leaves `scope` out entirely when no scopes are requested", async () => {
    await sandbox().auth.getToken();
    await sandbox({ scopes: [] }).auth.getToken({ forceRefresh: true });
    for (const index of [0, 1]) {
      const body = await sentBody(index);
      expect(Object.keys(body).sort()).toEqual(["audience", "client_id", "client_secret", "grant_type"]);
      expect("scope" in body).toBe(false);
    }
  });

  it("joins several scopes with single spaces, in order, without duplicates, custom scopes included", async () => {
    useFake({ clients: [{ ...getpaidFakeCredentials.sandbox, environment: "sandbox", scopes: ["accounts:read_write", "invoices:read_write", "refunds:read"] }] });
    const getpaid = sandbox({ scopes: ["accounts:read_write", "invoices:read_write", "accounts:read_write", customScope("refunds:read")] });
    await getpaid.auth.getToken();
    expect((await sentBody()).scope).toBe("accounts:read_write invoices:read_write refunds:read");
  });

  it("sends the `audience` option instead of the environment's", async () => {
    useFake({ clients: [{ ...getpaidFakeCredentials.live, environment: "live", audience: "https://api.getpaid.io/v2" }] });
    const getpaid = live({ audience: "https://api.getpaid.io/v2" });
    const { response } = await getpaid.GET(PING);
    expect(response.status).toBe(200);
    expect((await sentBody()).audience).toBe("https://api.getpaid.io/v2");
    expect(sent[0]!.url).toBe(GETPAID_TOKEN_URL);
    expect(sent[1]!.url).toBe(`https://api.getpaid.io${PING}`); // the base URL stays the environment's
  });

  it("overriding baseUrl changes where API requests go, never the audience", async () => {
    const getpaid = sandbox({ baseUrl: "https://proxy.example.test/getpaid/" });
    await getpaid.GET(PING);
    expect((await sentBody()).audience).toBe(GETPAID_AUDIENCES.sandbox);
    expect(sent[0]!.url).toBe(GETPAID_TOKEN_URL);
    expect(sent[1]!.url).toBe(`https://proxy.example.test/getpaid${PING}`);
    expect(sent[1]!.headers.get("authorization")).toMatch(/^Bearer \S+$/);
  });

  it("overriding tokenUrl changes where token requests go, never the audience", async () => {
    const getpaid = live({ tokenUrl: "https://auth.proxy.example.test/oauth/token" });
    await getpaid.GET(PING);
    expect(sent[0]!.url).toBe("https://auth.proxy.example.test/oauth/token");
    expect((await sentBody()).audience).toBe(GETPAID_AUDIENCES.live);
    expect(sent[1]!.url).toBe(`https://api.getpaid.io${PING}`);
  });

  it("keeps live and sandbox tokens apart, even in one shared token store", async () => {
    const tokenStore = createMemoryTokenStore({ clock });
    const shared = { clientId: "same-id", clientSecret: "same-secret" };
    useFake({ clients: [{ ...shared, environment: "live" }, { ...shared, environment: "sandbox" }] });
    const a = await live({ ...shared, tokenStore }).auth.getToken();
    const b = await sandbox({ ...shared, tokenStore }).auth.getToken();
    expect(a.accessToken).not.toBe(b.accessToken);
    expect(fake.stats.tokensIssued).toBe(2);
    expect((await sentBody(0)).audience).toBe(GETPAID_AUDIENCES.live);
    expect((await sentBody(1)).audience).toBe(GETPAID_AUDIENCES.sandbox);
  });
});

describe("createGetpaidClient: the token response", () => {
  it("accepts the documented `token_type: \"bearer\"`, counts expiry from the request, and takes the requested scopes when `scope` is absent", async () => {
    const getpaid = sandbox({ scopes: ["invoices:read_write", "accounts:read"] });
    const before = clock.now();
    const token = await getpaid.auth.getToken();
    expect(token.tokenType).toBe("Bearer");
    expect(token.expiresAt).toBe(before + 3_600_000);
    expect(token.scopes).toEqual(["invoices:read_write", "accounts:read"]);
    expect(getpaid.auth.hasScope("invoices:read_write")).toBe(true);
    expect(getpaid.auth.hasScope("payments:read")).toBe(false);
  });

  it("has no scopes when none were requested and the response names none", async () => {
    const token = await sandbox().auth.getToken();
    expect(token.scopes).toEqual([]);
  });

  it("accepts `Bearer` with a `scope` (newer docs) and takes the granted scopes from it", async () => {
    useFake({ tokenType: "Bearer", includeScope: true });
    const getpaid = sandbox();
    const token = await getpaid.auth.getToken();
    expect(token.tokenType).toBe("Bearer");
    expect(token.scopes).toHaveLength(8);
    expect(getpaid.auth.hasScope("payments:read_write")).toBe(true);
  });

  it("prefers the granted `scope` over the requested scopes", async () => {
    fake.failNext("token", { status: 200, body: '{"access_token":"abc.def.ghi","token_type":"Bearer","expires_in":3600,"scope":"invoices:read"}' });
    const getpaid = sandbox({ scopes: ["invoices:read_write"] });
    const token = await getpaid.auth.getToken();
    expect(token.scopes).toEqual(["invoices:read"]);
    expect(getpaid.auth.hasScope("invoices:read_write")).toBe(false);
  });

  it.each(["bearer", "Bearer", "BEARER"])("compares token_type %s case-insensitively", async (tokenType) => {
    useFake({ tokenType });
    await expect(sandbox().auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it.each([
    ["another token type", '{"access_token":"abc","token_type":"mac","expires_in":3600}'],
    ["a missing token_type", '{"access_token":"abc","expires_in":3600}'],
    ["a missing access_token", '{"token_type":"bearer","expires_in":3600}'],
    ["a string expires_in", '{"access_token":"abc","token_type":"bearer","expires_in":"3600"}'],
    ["a zero lifetime", '{"access_token":"abc","token_type":"bearer","expires_in":0}'],
    ["not JSON", "<html>ok</html>"],
  ])("refuses a 200 with %s as invalid-response", async (_, body) => {
    fake.failNext("token", { status: 200, body });
    const error = await catchAuthError(sandbox().auth.getToken());
    expect(error.code).toBe("invalid-response");
    expect(error.provider).toBe("getpaid");
  });
});

describe("getpaid token errors", () => {
  it("maps a wrong secret (401 access_denied) to invalid-credentials with no secret anywhere", async () => {
    const secret = "wrong-but-secret-value";
    const error = await catchAuthError(sandbox({ clientSecret: secret }).auth.getToken());
    expect(error).toMatchObject({ code: "invalid-credentials", status: 401, provider: "getpaid", providerCode: "access_denied" });
    expect(error.message).toBe("@payauth/getpaid: token request failed with HTTP 401 (access_denied): Unauthorized");
    for (const text of [error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(secret);
    }
  });

  it("refuses a live credential with the sandbox audience (403 access_denied → invalid-credentials)", async () => {
    const error = await catchAuthError(createGetpaidClient({ environment: "sandbox", ...getpaidFakeCredentials.live, fetch, clock }).auth.getToken());
    expect((await sentBody()).audience).toBe(GETPAID_AUDIENCES.sandbox);
    expect(error).toMatchObject({ code: "invalid-credentials", status: 403, providerCode: "access_denied" });
    expect(error.message).toContain("https://api.sandbox.getpaid.io");
  });

  it("maps a scope the credential lacks (400 invalid_scope) to insufficient-scope", async () => {
    useFake({ clients: [{ ...getpaidFakeCredentials.sandbox, environment: "sandbox", scopes: ["invoices:read"] }] });
    const error = await catchAuthError(sandbox({ scopes: ["invoices:read", "payments:read_write"] }).auth.getToken());
    expect(error).toMatchObject({ code: "insufficient-scope", status: 400, providerCode: "invalid_scope" });
    expect(error.message).toContain("payments:read_write");
  });

  it.each([
    [401, "invalid_client", "invalid-credentials"],
    [401, "access_denied", "invalid-credentials"],
    [400, "invalid_request", "invalid-request"],
    [400, "invalid_scope", "insufficient-scope"],
    [400, "unsupported_grant_type", "invalid-request"],
    [500, "server_error", "server-error"],
  ] as const)("maps HTTP %i `%s` to %s and keeps the OAuth code and description", async (status, code, expected) => {
    fake.failNext("token", { status, code });
    const getpaid = sandbox();
    const error = await catchAuthError(getpaid.auth.getToken());
    expect(error).toMatchObject({ code: expected, status, providerCode: code });
    expect(error.message).toMatch(new RegExp(`^@payauth/getpaid: token request failed with HTTP ${status} \\(${code}\\): \\S`));
    await expect(getpaid.auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer" }); // not cached
  });

  it.each([
    ["an HTML 500", 500, "<html>Internal Server Error</html>", "server-error"],
    ["a plain-text 502", 502, "Bad Gateway", "server-error"],
    ["an empty 503", 503, "", "server-error"],
    ["a JSON 500 of another shape", 500, '{"message":"boom"}', "server-error"],
    ["an HTML 400", 400, "<html>Bad Request</html>", "invalid-request"],
    ["an empty 401", 401, "", "invalid-credentials"],
  ])("maps %s by its HTTP status", async (_, status, body, expected) => {
    fake.failNext("token", { status, body });
    const error = await catchAuthError(sandbox().auth.getToken());
    expect(error).toMatchObject({ code: expected, status, providerCode: undefined });
  });

  it("keeps a code the spec does not list as providerCode: an OAuth one by its meaning, others by HTTP status", async () => {
    const tooMany = new Response('{"error":"too_many_requests","error_description":"Slow down"}', { status: 429, headers: { "retry-after": "12" } });
    const weird = new Response('{"error":"quota_exhausted"}', { status: 403 });
    // Two clients: after the 429 the first one sends nothing until its Retry-After has passed.
    expect(await catchAuthError(sandbox({ fetch: async () => tooMany }).auth.getToken())).toMatchObject({ code: "rate-limited", providerCode: "too_many_requests", retryAfterMs: 12_000 });
    expect(await catchAuthError(sandbox({ fetch: async () => weird }).auth.getToken())).toMatchObject({ code: "insufficient-scope", providerCode: "quota_exhausted", status: 403 });
  });

  it("redacts the secret from an error_description that echoes it", async () => {
    const secret = getpaidFakeCredentials.sandbox.clientSecret;
    const echo = new Response(JSON.stringify({ error: "invalid_request", error_description: `bad client_secret ${secret}` }), { status: 400 });
    const error = await catchAuthError(sandbox({ fetch: async () => echo }).auth.getToken());
    expect(error.code).toBe("invalid-request");
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(error.message).not.toContain(secret);
  });
});

describe("createGetpaidClient: options", () => {
  it("requires `environment` to be \"live\" or \"sandbox\"", () => {
    const { environment: _, ...withoutEnvironment } = { environment: "live", ...getpaidFakeCredentials.live } as const;
    // @ts-expect-error: environment is required
    expect(() => createGetpaidClient(withoutEnvironment)).toThrow(InvalidOptionError);
    // @ts-expect-error: environment is required
    expect(() => createGetpaidClient(withoutEnvironment)).toThrow(/option `environment` must be "live" or "sandbox"/);
    // @ts-expect-error: not an environment
    expect(() => live({ environment: "production" })).toThrow(/option `environment`/);
    // @ts-expect-error: environments are lower case
    expect(() => live({ environment: "Sandbox" })).toThrow(/option `environment`/);
  });

  it("names the culprit of every other bad option", () => {
    const option = (thunk: () => unknown) => {
      try {
        thunk();
      } catch (error) {
        if (error instanceof InvalidOptionError) return error.option;
        throw error;
      }
      return undefined;
    };
    expect(option(() => live({ audience: "" }))).toBe("audience");
    expect(option(() => live({ audience: " https://api.getpaid.io" }))).toBe("audience");
    expect(option(() => live({ baseUrl: "not a url" }))).toBe("baseUrl");
    expect(option(() => live({ tokenUrl: "ftp://auth.getpaid.io/oauth/token" }))).toBe("tokenUrl");
    expect(option(() => live({ clientId: "" }))).toBe("clientId");
    expect(option(() => live({ clientSecret: "   " }))).toBe("clientSecret");
    expect(option(() => live({ scopes: [customScope("a:read"), "invoices:read write" as never] }))).toBe("scopes");
    expect(option(() => live({ refreshWindowSeconds: -1 }))).toBe("refreshWindowSeconds");
    expect(option(() => live({ timeoutMs: 0 }))).toBe("timeoutMs");
    expect(option(() => createGetpaidClient(null as never))).toBe("options");
    expect(option(() => live())).toBeUndefined();
  });
});

describe("createGetpaidFake", () => {
  const post = (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(new Request(GETPAID_TOKEN_URL, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }));
  const valid = { ...{ client_id: getpaidFakeCredentials.live.clientId, client_secret: getpaidFakeCredentials.live.clientSecret }, audience: GETPAID_AUDIENCES.live, grant_type: "client_credentials" };

  it("issues a token for the documented request, as the authentication page shows it", async () => {
    const response = await post({ ...valid, scope: "accounts:read_write invoices:read_write" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "token_type"]);
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it.each([
    ["no audience", { ...valid, audience: undefined }, 400, "invalid_request"],
    ["no client_secret", { ...valid, client_secret: undefined }, 400, "invalid_request"],
    ["another grant_type", { ...valid, grant_type: "password" }, 400, "unsupported_grant_type"],
    ["no grant_type", { ...valid, grant_type: undefined }, 400, "invalid_request"],
    ["a comma-separated scope", { ...valid, scope: "accounts:read,invoices:read" }, 400, "invalid_scope"],
    ["a scope with double spaces", { ...valid, scope: "accounts:read  invoices:read" }, 400, "invalid_request"],
    ["an empty scope", { ...valid, scope: "" }, 400, "invalid_request"],
    ["an unknown scope", { ...valid, scope: "refunds:read" }, 400, "invalid_scope"],
    ["a wrong secret", { ...valid, client_secret: "nope" }, 401, "access_denied"],
    ["the other environment's audience", { ...valid, audience: GETPAID_AUDIENCES.sandbox }, 403, "access_denied"],
    ["an unknown audience", { ...valid, audience: "https://api.getpaid.example" }, 403, "access_denied"],
  ])("refuses %s in the OAuth error form", async (_, body, status, error) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
    expect(fake.stats.tokensIssued).toBe(0);
  });

  it("refuses a body that is not JSON, as JSON", async () => {
    const form = await post("client_id=a&client_secret=b", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: "invalid_request" });
    const broken = await post("{not json");
    expect(broken.status).toBe(400);
  });

  it("serves only the given origins when told", async () => {
    useFake({ authOrigin: "https://auth.getpaid.io", apiOrigin: "https://api.getpaid.io" });
    await expect(live().GET(PING)).resolves.toMatchObject({ response: { status: 200 } });
    const elsewhere = await catchAuthError(live({ tokenUrl: "https://auth.elsewhere.test/oauth/token" }).auth.getToken());
    expect(elsewhere.status).toBe(404);
  });

  it("refuses a bad token on the API with RFC 6750 401, and a missing scope with 403", async () => {
    const missing = await fetch(new Request(`https://api.getpaid.io${PING}`));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    expect(await missing.json()).toMatchObject({ error: "invalid_token" });
    fake.failNext("api", { status: 403, code: "insufficient_scope" });
    const forbidden = await live().GET(PING);
    expect(forbidden.response.status).toBe(403);
    expect(fake.stats.tokensIssued).toBe(1);
  });

  it("reset() forgets tokens, faults and counts", async () => {
    const getpaid = live();
    await getpaid.GET(PING);
    fake.failNext("token", { status: 500, code: "server_error" });
    fake.reset();
    expect(fake.stats).toEqual({ tokenRequests: 0, tokensIssued: 0, apiCalls: 0 });
    const { response } = await getpaid.GET(PING); // the old token is unknown now: replaced once
    expect(response.status).toBe(200);
    expect(fake.stats.tokensIssued).toBe(1);
  });
});
