import { describe, expect, it, vi } from "vitest";
import { AuthError, isAuthError } from "../src/auth-error.js";
import { createProviderClient, type CommonClientOptions, type ProviderClientConfig, type ProviderDefinition } from "../src/create-provider-client.js";
import { parseScopes } from "../src/parse-scopes.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike } from "../src/types.js";
import { InvalidOptionError } from "../src/validate-options.js";

const API = "https://api.acme.test";
const TOKEN_URL = "https://auth.acme.test/oauth/token";
const SECRET = "s3cr3t-value";

type AcmeScope = "things:read" | "things:write";

interface paths {
  "/v1/things": {
    get: {
      responses: {
        200: { content: { "application/json": { things: string[] } } };
        401: { content: { "application/json": { error: string } } };
      };
    };
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl, audience, scopes }) => ({
    url: tokenUrl,
    headers: { "x-acme-client": clientId },
    body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, audience, scope: scopes.join(" ") },
  }),
  parseGrant: (body) =>
    isRecord(body) && typeof body["access_token"] === "string" && typeof body["expires_in"] === "number"
      ? { accessToken: body["access_token"], expiresInSeconds: body["expires_in"], scopes: parseScopes(body["scope"]) }
      : { code: "invalid-response", message: "unexpected token body" },
  mapTokenError: ({ body }) =>
    isRecord(body) && body["error"] === "invalid_client"
      ? { code: "invalid-credentials", providerCode: "invalid_client", message: typeof body["error_description"] === "string" ? body["error_description"] : undefined }
      : undefined,
  isTokenRejected: ({ body }) => isRecord(body) && body["error"] === "invalid_token",
  apiHeaders: { "x-acme-version": "2026-01-01" },
};

const validOptions: CommonClientOptions = { clientId: "client-1", clientSecret: SECRET, fetch: async () => Response.json({}) };
const validConfig: ProviderClientConfig = { baseUrl: API, tokenUrl: TOKEN_URL };

describe("createProviderClient: option validation", () => {
  it.each<[string, Partial<CommonClientOptions> | Record<string, unknown>, Partial<ProviderClientConfig>, string, string]>([
    ["an empty clientId", { clientId: "" }, {}, "clientId", "must be a non-empty string"],
    ["a clientId that is not a string", { clientId: 42 }, {}, "clientId", "must be a non-empty string"],
    ["a clientId with surrounding white space", { clientId: " client-1 " }, {}, "clientId", "must not start or end with white space"],
    ["a whitespace-only clientSecret", { clientSecret: "   " }, {}, "clientSecret", "must be a non-empty string"],
    ["a missing clientSecret", { clientSecret: undefined }, {}, "clientSecret", "must be a non-empty string"],
    ["a malformed baseUrl", {}, { baseUrl: "not a url" }, "baseUrl", "must be an absolute http(s) URL"],
    ["an ftp: baseUrl", {}, { baseUrl: "ftp://api.acme.test" }, "baseUrl", "must be an absolute http(s) URL"],
    ["a relative baseUrl", {}, { baseUrl: "/v1" }, "baseUrl", "must be an absolute http(s) URL"],
    ["a tokenUrl with credentials", {}, { tokenUrl: "https://user:pass@auth.acme.test/token" }, "tokenUrl", "must not carry credentials"],
    ["an empty tokenUrl", {}, { tokenUrl: "" }, "tokenUrl", "must be an absolute http(s) URL"],
    ["a negative refreshWindowSeconds", { refreshWindowSeconds: -1 }, {}, "refreshWindowSeconds", "must be a finite number >= 0"],
    ["a NaN refreshWindowSeconds", { refreshWindowSeconds: Number.NaN }, {}, "refreshWindowSeconds", "must be a finite number >= 0"],
    ["a timeoutMs of 0", { timeoutMs: 0 }, {}, "timeoutMs", "must be a finite number > 0"],
    ["an infinite timeoutMs", { timeoutMs: Number.POSITIVE_INFINITY }, {}, "timeoutMs", "must be a finite number > 0"],
    ["a fetch that is not a function", { fetch: "https://example.test" }, {}, "fetch", "must be a function"],
    ["a tokenStore without methods", { tokenStore: { get: () => undefined } }, {}, "tokenStore", "must have get, set and delete methods"],
  ])("rejects %s, naming the option", (_, options, config, option, problem) => {
    const build = () =>
      createProviderClient(acme, { ...validOptions, ...options } as CommonClientOptions, { ...validConfig, ...config });
    expect(build).toThrow(InvalidOptionError);
    try {
      build();
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      expect((error as InvalidOptionError).option).toBe(option);
      expect((error as Error).message).toBe(`@payauth/acme: option \`${option}\` ${problem}`);
      expect((error as Error).message).not.toContain(SECRET);
    }
  });

  it("rejects options that are not an object", () => {
    expect(() => createProviderClient(acme, null as unknown as CommonClientOptions, validConfig)).toThrow(
      "@payauth/acme: option `options` must be an object",
    );
  });

  it("accepts a refreshWindowSeconds of 0 and a positive timeoutMs", () => {
    const client = createProviderClient(acme, { ...validOptions, refreshWindowSeconds: 0, timeoutMs: 1 }, validConfig);
    expect(typeof client.GET).toBe("function");
    expect(typeof client.auth.getToken).toBe("function");
  });
});

/** A fake Acme: the token endpoint grants token-1, token-2, …; the API wants the latest token. */
function fakeAcme(options: { rejectFirstApiCall?: boolean; tokenError?: Response } = {}) {
  const tokenRequests: Array<{ headers: Headers; body: Record<string, unknown> }> = [];
  const apiRequests: Request[] = [];
  const fetch = vi.fn<FetchLike>(async (request) => {
    if (request.url === TOKEN_URL) {
      tokenRequests.push({ headers: request.headers, body: (await request.json()) as Record<string, unknown> });
      if (options.tokenError !== undefined) return options.tokenError;
      return Response.json({ access_token: `token-${tokenRequests.length}`, expires_in: 3600, scope: "things:read" });
    }
    apiRequests.push(request);
    if (options.rejectFirstApiCall === true && apiRequests.length === 1) {
      return Response.json({ error: "invalid_token" }, { status: 401 });
    }
    return Response.json({ things: ["a", "b"] });
  });
  return { fetch, tokenRequests, apiRequests };
}

describe("createProviderClient: end to end through client.GET", () => {
  const config: ProviderClientConfig = { baseUrl: `${API}/`, tokenUrl: TOKEN_URL, audience: API, scopes: ["things:read"] };

  it("fetches a token once, sends it with the provider headers and returns the data", async () => {
    const acmeFake = fakeAcme();
    const clock = createManualClock();
    const client = createProviderClient<paths, AcmeScope>(acme, { ...validOptions, fetch: acmeFake.fetch, clock }, config);

    expect(client.auth.hasScope("things:read")).toBe(false);
    for (let i = 0; i < 3; i++) {
      const { data, error } = await client.GET("/v1/things");
      expect(error).toBeUndefined();
      expect(data).toEqual({ things: ["a", "b"] });
    }

    expect(acmeFake.tokenRequests).toHaveLength(1);
    expect(acmeFake.tokenRequests[0]?.body).toEqual({
      grant_type: "client_credentials",
      client_id: "client-1",
      client_secret: SECRET,
      audience: API,
      scope: "things:read",
    });
    expect(acmeFake.tokenRequests[0]?.headers.get("x-acme-client")).toBe("client-1");
    expect(acmeFake.apiRequests).toHaveLength(3);
    expect(acmeFake.apiRequests[0]?.url).toBe(`${API}/v1/things`);
    expect(acmeFake.apiRequests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-1"]);
    expect(acmeFake.apiRequests[0]?.headers.get("x-acme-version")).toBe("2026-01-01");
    expect(client.auth.hasScope("things:read")).toBe(true);
    expect(client.auth.hasScope("things:write")).toBe(false);
  });

  it("renews the token on the injected clock", async () => {
    const acmeFake = fakeAcme();
    const clock = createManualClock();
    const client = createProviderClient<paths, AcmeScope>(acme, { ...validOptions, fetch: acmeFake.fetch, clock, refreshWindowSeconds: 60 }, config);

    await client.GET("/v1/things");
    clock.advance(3539_999);
    await client.GET("/v1/things");
    expect(acmeFake.tokenRequests).toHaveLength(1);
    clock.advance(1);
    await client.GET("/v1/things");
    expect(acmeFake.tokenRequests).toHaveLength(2);
    expect(acmeFake.apiRequests.at(-1)?.headers.get("authorization")).toBe("Bearer token-2");
  });

  it("replays a request whose token the API rejects", async () => {
    const acmeFake = fakeAcme({ rejectFirstApiCall: true });
    const client = createProviderClient<paths, AcmeScope>(acme, { ...validOptions, fetch: acmeFake.fetch, clock: createManualClock() }, config);

    const { data, response } = await client.GET("/v1/things");
    expect(response.status).toBe(200);
    expect(data).toEqual({ things: ["a", "b"] });
    expect(acmeFake.tokenRequests).toHaveLength(2);
    expect(acmeFake.apiRequests).toHaveLength(2);
  });

  it("rejects client.GET with a redacted AuthError when the token request fails", async () => {
    const acmeFake = fakeAcme({
      tokenError: Response.json({ error: "invalid_client", error_description: `client secret ${SECRET} is revoked` }, { status: 401 }),
    });
    const client = createProviderClient<paths, AcmeScope>(acme, { ...validOptions, fetch: acmeFake.fetch, clock: createManualClock() }, config);

    const error = await client.GET("/v1/things").then(
      () => expect.unreachable("expected client.GET to reject"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(isAuthError(error, "invalid-credentials")).toBe(true);
    expect((error as AuthError).message).toBe("@payauth/acme: token request failed with HTTP 401 (invalid_client): client secret [REDACTED] is revoked");
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(acmeFake.apiRequests).toHaveLength(0);
  });
});
