import { catchAuthError } from "../src/testing/index.js";
import createClient from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { AuthError, isAuthError } from "../src/auth-error.js";
import { createAuthMiddleware, missingScopes } from "../src/create-auth-middleware.js";
import { createProviderClient, type CommonClientOptions, type ProviderClientConfig, type ProviderDefinition } from "../src/create-provider-client.js";
import { createTokenManager } from "../src/create-token-manager.js";
import { parseScopes } from "../src/parse-scopes.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { OperationScopes } from "../src/types.js";
import { InvalidOptionError } from "../src/validate-options.js";

const API = "https://api.acme.test";
const TOKEN_URL = "https://auth.acme.test/oauth/token";
const SECRET = "s3cr3t-value";

interface paths {
  "/v1/things": {
    get: { responses: { 200: { content: { "application/json": { things: string[] } } } } };
    post: { requestBody: { content: { "application/json": { name: string } } }; responses: { 201: { content: { "application/json": { id: string } } } } };
  };
  "/v1/things/{id}": {
    delete: { parameters: { path: { id: string } }; responses: { 204: { content?: never } } };
  };
  "/v1/health": {
    get: { responses: { 200: { content: { "application/json": { ok: boolean } } } } };
  };
}

/** Acme's spec, as `scripts/generate.mjs` would write it from its `security`. */
const acmeOperationScopes = {
  "GET /v1/things": [["things:read"], ["things:admin"]],
  "POST /v1/things": [["things:read", "things:write"]],
  "DELETE /v1/things/{id}": [["things:admin"]],
  "GET /v1/health": [[]],
} as const satisfies OperationScopes;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl, scopes }) => ({
    url: tokenUrl,
    body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, ...(scopes.length === 0 ? {} : { scope: scopes.join(" ") }) },
  }),
  parseGrant: (body) =>
    isRecord(body) && typeof body["access_token"] === "string"
      ? { accessToken: body["access_token"], expiresInSeconds: 3600, scopes: parseScopes(body["scope"]) }
      : { code: "invalid-response", message: "unexpected token body" },
  mapTokenError: () => undefined,
  isTokenRejected: () => false,
};

/**
 * A client of Acme whose token endpoint grants `granted` (`undefined`: the response names no
 * scope), with a `fetch` that counts API requests.
 */
function setup(granted: string | undefined, options: Partial<CommonClientOptions> = {}, config: Partial<ProviderClientConfig> = {}) {
  const api: Request[] = [];
  const fetch = vi.fn(async (request: Request) => {
    if (request.url === TOKEN_URL) return Response.json({ access_token: "tok-1", ...(granted === undefined ? {} : { scope: granted }) });
    api.push(request);
    if (request.method === "DELETE") return new Response(null, { status: 204 });
    return Response.json(request.method === "POST" ? { id: "t1" } : { things: [], ok: true }, { status: request.method === "POST" ? 201 : 200 });
  });
  const client = createProviderClient<paths, string>(
    acme,
    { clientId: "client-1", clientSecret: SECRET, fetch, clock: createManualClock(), ...options },
    { baseUrl: API, tokenUrl: TOKEN_URL, operationScopes: acmeOperationScopes, ...config },
  );
  return { client, api, fetch };
}


describe("missingScopes", () => {
  it("is undefined when any one scope set is fully granted", () => {
    expect(missingScopes([["a"], ["b"]], ["b"])).toBeUndefined();
    expect(missingScopes([["a", "b"]], ["b", "a", "c"])).toBeUndefined();
    expect(missingScopes([[]], [])).toBeUndefined();
    expect(missingScopes([], [])).toBeUndefined();
  });

  it("names what the cheapest set lacks (the first on a tie)", () => {
    expect(missingScopes([["a", "b", "c"], ["d"]], ["a"])).toEqual(["d"]);
    expect(missingScopes([["a", "b", "c"], ["a", "d"]], ["a"])).toEqual(["d"]);
    expect(missingScopes([["x"], ["y"]], [])).toEqual(["x"]);
    expect(missingScopes([["a", "b"]], ["a"])).toEqual(["b"]);
  });
});

describe("operation scopes: the check before sending", () => {
  it("sends a call whose operation the token has the scopes for", async () => {
    const { client, api } = setup("things:read things:write");
    expect((await client.GET("/v1/things")).response.status).toBe(200);
    expect((await client.POST("/v1/things", { body: { name: "x" } })).response.status).toBe(201);
    expect(api.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  it("fails fast with insufficient-scope naming the missing scopes, without an API request", async () => {
    const { client, api, fetch } = setup("things:read");
    const error = await catchAuthError(client.POST("/v1/things", { body: { name: "x" } }));
    expect(isAuthError(error, "insufficient-scope")).toBe(true);
    expect(error.provider).toBe("acme");
    expect(error.status).toBeUndefined();
    expect(error.message).toBe("@payauth/acme: POST /v1/things needs scope(s) things:write; the token has things:read. No request was sent; `scopeCheck: false` lets the API decide");
    expect(error.details).toEqual({
      operation: "POST /v1/things",
      missingScopes: ["things:write"],
      requiredScopes: [["things:read", "things:write"]],
      grantedScopes: ["things:read"],
    });
    expect(api).toHaveLength(0);
    expect(fetch).toHaveBeenCalledTimes(1); // the token request only
    expect(JSON.stringify(error)).not.toContain("tok-1");
    expect(error.message).not.toContain(SECRET);
  });

  it("accepts any one of an operation's scope sets, and names what the first lacks when none is granted", async () => {
    const { client, api } = setup("things:admin");
    expect((await client.GET("/v1/things")).response.status).toBe(200);
    expect((await client.DELETE("/v1/things/{id}", { params: { path: { id: "t1" } } })).response.status).toBe(204);

    const other = setup("things:write");
    const error = await catchAuthError(other.client.GET("/v1/things"));
    expect(error.message).toContain("GET /v1/things needs scope(s) things:read; the token has things:write.");
    expect(error.details).toMatchObject({ missingScopes: ["things:read"], requiredScopes: [["things:read"], ["things:admin"]] });
    expect(other.api).toHaveLength(0);
    expect(api).toHaveLength(2);
  });

  it("keys operations by the path template, not the URL", async () => {
    const { client, api } = setup("things:read");
    const error = await catchAuthError(client.DELETE("/v1/things/{id}", { params: { path: { id: "t 1" } } }));
    expect(error.details).toMatchObject({ operation: "DELETE /v1/things/{id}", missingScopes: ["things:admin"] });
    expect(api).toHaveLength(0);
  });

  it("does not check operations it does not list, nor those that need no scope", async () => {
    const { client, api } = setup("other:scope", {}, { operationScopes: { "GET /v1/health": [[]] } });
    expect((await client.GET("/v1/things")).response.status).toBe(200);
    expect((await client.GET("/v1/health")).response.status).toBe(200);
    expect(api).toHaveLength(2);
  });

  it("sends everything with scopeCheck: false, and lets the API decide", async () => {
    const { client, api } = setup("things:read", { scopeCheck: false });
    expect((await client.POST("/v1/things", { body: { name: "x" } })).response.status).toBe(201);
    expect((await client.DELETE("/v1/things/{id}", { params: { path: { id: "t1" } } })).response.status).toBe(204);
    expect(api).toHaveLength(2);
  });

  it("does not check a token that names no scopes when none were requested (the provider did not say)", async () => {
    const { client, api } = setup(undefined);
    expect((await client.auth.getToken()).scopes).toEqual([]);
    expect((await client.POST("/v1/things", { body: { name: "x" } })).response.status).toBe(201);
    expect(api).toHaveLength(1);
  });

  it("checks a token granted none of the scopes requested", async () => {
    const { client, api } = setup("", {}, { scopes: ["things:read"] });
    expect((await client.auth.getToken()).scopes).toEqual([]);
    const error = await catchAuthError(client.GET("/v1/things"));
    expect(error.message).toContain("the token has none.");
    expect(api).toHaveLength(0);
  });

  it("takes the requested scopes as granted when the response names none (RFC 6749 §5.1)", async () => {
    const { client, api } = setup(undefined, {}, { scopes: ["things:read"] });
    expect((await client.GET("/v1/things")).response.status).toBe(200);
    expect((await catchAuthError(client.POST("/v1/things", { body: { name: "x" } }))).details).toMatchObject({ missingScopes: ["things:write"] });
    expect(api).toHaveLength(1);
  });

  it("merges the caller's operationScopes over the provider's, the caller's winning", async () => {
    const { client, api } = setup("things:read", {
      operationScopes: { "POST /v1/things": [["things:read"]], "GET /v1/health": [["health:read"]], "GET /v1/things": undefined },
    });
    expect((await client.POST("/v1/things", { body: { name: "x" } })).response.status).toBe(201);
    expect((await catchAuthError(client.GET("/v1/health"))).details).toMatchObject({ operation: "GET /v1/health", missingScopes: ["health:read"] });
    // An `undefined` entry is left out: the provider's stays.
    expect((await client.GET("/v1/things")).response.status).toBe(200);
    expect((await catchAuthError(client.DELETE("/v1/things/{id}", { params: { path: { id: "t1" } } }))).details).toMatchObject({ missingScopes: ["things:admin"] });
    expect(api.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(["POST /v1/things", "GET /v1/things"]);
  });

  it("does not check requests for another origin (they get no token either)", async () => {
    const { client, api } = setup("things:read");
    const { response } = await client.POST("/v1/things", { baseUrl: "https://elsewhere.test", body: { name: "x" } });
    expect(response.status).toBe(201);
    expect(api[0]?.headers.get("authorization")).toBeNull();
  });

  it("fails every concurrent call alike, with one token request", async () => {
    const { client, api, fetch } = setup("things:read");
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => client.POST("/v1/things", { body: { name: "x" } })));
    expect(outcomes.every((o) => o.status === "rejected" && isAuthError(o.reason, "insufficient-scope"))).toBe(true);
    expect(api).toHaveLength(0);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe("operation scopes: options", () => {
  function optionError(fn: () => unknown, option: string): InvalidOptionError {
    let thrown: unknown;
    try {
      fn();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect((thrown as InvalidOptionError).option).toBe(option);
    return thrown as InvalidOptionError;
  }

  it.each<[string, unknown, string]>([
    ["an array", [["things:read"]], ""],
    ["a string", "GET /v1/things", ""],
    ["null", null, ""],
    ["a lower-case method", { "get /v1/things": [["things:read"]] }, ', not "get /v1/things"'],
    ["a key without a method", { "/v1/things": [["things:read"]] }, ', not "/v1/things"'],
    ["a key with a URL", { "GET https://api.acme.test/v1/things": [["things:read"]] }, ', not "GET https://api.acme.test/v1/things"'],
    ["a flat list of scopes", { "GET /v1/things": ["things:read"] }, ', not "GET /v1/things"'],
    ["a scope with white space", { "GET /v1/things": [["things:read things:write"]] }, ', not "GET /v1/things"'],
    ["an empty scope", { "GET /v1/things": [[""]] }, ', not "GET /v1/things"'],
    ["a scope that is not a string", { "GET /v1/things": [[42]] }, ', not "GET /v1/things"'],
  ])("refuses %s as operationScopes, naming the culprit", (_, operationScopes, culprit) => {
    const error = optionError(() => setup("x", { operationScopes } as Partial<CommonClientOptions>), "operationScopes");
    expect(error.message).toBe(`@payauth/acme: option \`operationScopes\` must map "<METHOD> <path>" to scope sets, e.g. { "GET /a/{id}": [["a:read"]] }${culprit}`);
  });

  it("refuses a scopeCheck that is not a boolean", () => {
    const error = optionError(() => setup("x", { scopeCheck: "no" } as unknown as Partial<CommonClientOptions>), "scopeCheck");
    expect(error.message).toBe("@payauth/acme: option `scopeCheck` must be true or false");
  });

  it("copies the map: changing it afterwards changes nothing", async () => {
    const mine: Record<string, string[][]> = { "GET /v1/health": [["health:read"]] };
    const { client } = setup("things:read", { operationScopes: mine });
    mine["GET /v1/health"]![0]!.length = 0;
    mine["GET /v1/things"] = [["nope"]];
    expect((await catchAuthError(client.GET("/v1/health"))).details).toMatchObject({ missingScopes: ["health:read"] });
    expect((await client.GET("/v1/things")).response.status).toBe(200);
  });
});

describe("createAuthMiddleware with operationScopes, on its own", () => {
  it("checks against the token manager's token, with the provider it is given (auth-core by default)", async () => {
    const auth = createTokenManager({ cacheKey: "payauth:acme:scopes", clock: createManualClock(), requestToken: async () => ({ accessToken: "t", expiresInSeconds: 60, scopes: ["things:read"] }) });
    const fetch = vi.fn(async () => Response.json({ things: [] }));
    const client = createClient<paths>({ baseUrl: API, fetch });
    client.use(createAuthMiddleware({ auth, apiOrigin: API, fetch, isTokenRejected: () => false, operationScopes: acmeOperationScopes }));
    expect((await client.GET("/v1/things")).response.status).toBe(200);
    const error = await catchAuthError(client.POST("/v1/things", { body: { name: "x" } }));
    expect(error.message.startsWith("@payauth/auth-core: POST /v1/things needs scope(s) things:write;")).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
