import createClient from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { createAuthMiddleware } from "../src/create-auth-middleware.js";
import { createProviderClient } from "../src/create-provider-client.js";
import { createTokenManager } from "../src/create-token-manager.js";
import { builtFromUrl, callerRedirect, followedSignal, manualRedirectRequest, type NotedRequest } from "../src/manual-redirect-request.js";

const ManualRedirectRequest = manualRedirectRequest();
import { createManualClock } from "../src/testing/create-manual-clock.js";
import { acmeProvider } from "./support/acme-provider.js";
import type { TokenGrant } from "../src/types.js";

// What a call on a warm token skips: waiting on getToken() (peekToken answers at once) and
// copying the request to change its redirect mode (ManualRedirectRequest is built that way).

const API = "https://api.acme.test";

interface paths {
  "/v1/me": { get: { responses: { 200: { content: { "application/json": { id: number } } } } } };
}

function manager(clock = createManualClock()) {
  let n = 0;
  const requestToken = vi.fn(async (): Promise<TokenGrant> => ({ accessToken: `token-${++n}`, expiresInSeconds: 600, scopes: ["me:read"] }));
  return { auth: createTokenManager({ cacheKey: "payauth:acme:fast", requestToken, clock, refreshWindowSeconds: 60 }), requestToken, clock };
}

/** The middleware's request hook called directly, as openapi-fetch calls it for `GET /v1/me`. */
function callOnRequest(middleware: ReturnType<typeof createAuthMiddleware>, request: Request) {
  return middleware.onRequest!({ request, schemaPath: "/v1/me", params: {}, options: {} as never, id: "1" });
}

describe("ManualRedirectRequest", () => {
  it.each([
    ["no redirect option", {}, "manual", "follow"],
    ["redirect: follow", { redirect: "follow" }, "manual", "follow"],
    ["redirect: manual", { redirect: "manual" }, "manual", "manual"],
    ["redirect: error", { redirect: "error" }, "error", "error"],
  ] as const)("with %s, is sent as %s and remembers %s", (_, init, sent, asked) => {
    const request = new ManualRedirectRequest(`${API}/v1/me`, init);
    expect(request.redirect).toBe(sent);
    expect(request[callerRedirect]).toBe(asked);
  });

  it("takes the mode of a Request it copies when init names none", () => {
    const request = new ManualRedirectRequest(new Request(`${API}/v1/me`, { redirect: "error" }));
    expect([request.redirect, request[callerRedirect]]).toEqual(["error", "error"]);
  });

  it("keeps follow when built asIs, for requests fetch should follow itself", () => {
    const request = new ManualRedirectRequest(`${API}/v1/me`, { redirect: "follow" }, true);
    expect([request.redirect, request[callerRedirect]]).toEqual(["follow", "follow"]);
  });

  it("records the URL string and the signal it was built with, for the middleware's checks", () => {
    const signal = new AbortController().signal;
    // The fields are internal: seen through the type the middleware uses.
    const fromString: NotedRequest = new ManualRedirectRequest(`${API}/v1/me`);
    const withSignal: NotedRequest = new ManualRedirectRequest(`${API}/v1/me`, { signal });
    const fromRequest: NotedRequest = new ManualRedirectRequest(new Request(`${API}/v1/me`));
    const fromUrl: NotedRequest = new ManualRedirectRequest(new URL(`${API}/v1/me`));
    expect([fromString[builtFromUrl], fromString[followedSignal]]).toEqual([`${API}/v1/me`, null]);
    expect([withSignal[builtFromUrl], withSignal[followedSignal]]).toEqual([`${API}/v1/me`, signal]);
    // Built from a Request or a URL: nothing recorded, the middleware asks the request itself.
    expect([fromRequest[builtFromUrl], fromRequest[followedSignal]]).toEqual([undefined, undefined]);
    expect([fromUrl[builtFromUrl], fromUrl[followedSignal]]).toEqual([undefined, undefined]);
  });

  it("keeps the method, headers and body it is given", async () => {
    const request = new ManualRedirectRequest(`${API}/v1/me`, { method: "POST", headers: { "x-a": "1" }, body: "hi" });
    expect([request.method, request.headers.get("x-a"), await request.text()]).toEqual(["POST", "1", "hi"]);
  });
});

describe("token manager peekToken", () => {
  it("is undefined before the first token and never requests one", () => {
    const { auth, requestToken } = manager();
    expect(auth.peekToken()).toBeUndefined();
    expect(requestToken).not.toHaveBeenCalled();
  });

  it("returns what getToken returned while it is fresh, and undefined from the renewal time on", async () => {
    const { auth, clock } = manager();
    const token = await auth.getToken();
    expect(auth.peekToken()).toBe(token);
    clock.advance(539_999); // 600 s token, renewed 60 s before expiry
    expect(auth.peekToken()).toBe(token);
    clock.advance(1);
    expect(auth.peekToken()).toBeUndefined();
    expect((await auth.getToken()).accessToken).toBe("token-2");
  });

  it("is undefined after invalidate()", async () => {
    const { auth } = manager();
    await auth.getToken();
    await auth.invalidate();
    expect(auth.peekToken()).toBeUndefined();
  });
});

describe("auth middleware on a warm token", () => {
  function setup() {
    const { auth, requestToken } = manager();
    const getToken = vi.spyOn(auth, "getToken");
    const fetch = vi.fn(async (_request: Request) => Response.json({ id: 1 }));
    const client = createClient<paths>({ baseUrl: API, fetch, Request: ManualRedirectRequest });
    client.use(createAuthMiddleware({ auth, peekToken: auth.peekToken, apiOrigin: API, fetch, isTokenRejected: () => false }));
    return { client, fetch, getToken, requestToken };
  }

  it("asks getToken only while there is no fresh token to peek at", async () => {
    const { client, fetch, getToken } = setup();
    for (let i = 0; i < 3; i++) expect((await client.GET("/v1/me")).data).toEqual({ id: 1 });
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls.map(([request]) => request.headers.get("authorization"))).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-1"]);
  });

  it("sends the very request openapi-fetch built: no copy, redirect manual", async () => {
    const { client, fetch } = setup();
    await client.GET("/v1/me");
    const request = fetch.mock.calls[0]?.[0];
    expect(request).toBeInstanceOf(ManualRedirectRequest);
    expect(request?.redirect).toBe("manual");
  });

  it("still refuses an aborted signal without sending anything", async () => {
    const { client, fetch } = setup();
    await client.GET("/v1/me");
    const reason = new Error("caller gave up");
    await expect(client.GET("/v1/me", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("refuses an aborted signal that came with a Request rather than in the options", async () => {
    const { auth } = manager();
    await auth.getToken();
    const middleware = createAuthMiddleware({ auth, peekToken: auth.peekToken, apiOrigin: API, fetch: vi.fn(), isTokenRejected: () => false });
    const reason = new Error("caller gave up");
    for (const request of [new ManualRedirectRequest(new Request(`${API}/v1/me`, { signal: AbortSignal.abort(reason) })), new Request(`${API}/v1/me`, { signal: AbortSignal.abort(reason) })]) {
      expect(() => callOnRequest(middleware, request)).toThrow(reason);
    }
  });

  it.each([
    ["written differently from the API's origin", "HTTPS://API.ACME.TEST:443", "Bearer token-1"],
    ["on a host that only starts like the API's", "https://api.acme.test.example", null],
  ])("judges a per-call baseUrl %s by its parsed origin", async (_, baseUrl, authorization) => {
    const { client, fetch } = setup();
    await client.GET("/v1/me", { baseUrl });
    expect(fetch.mock.calls[0]?.[0].headers.get("authorization")).toBe(authorization);
  });

  it("hands a request for another origin to fetch with the redirect mode its caller asked for", async () => {
    const { client, fetch } = setup();
    await client.GET("/v1/me", { baseUrl: "https://other.test" });
    const request = fetch.mock.calls[0]?.[0];
    expect([request?.url, request?.redirect, request?.headers.get("authorization")]).toEqual(["https://other.test/v1/me", "follow", null]);
  });
});

describe("scope check on warm calls", () => {
  it("checks an operation again for each new token: allowed for one, refused for the next with fewer scopes", async () => {
    const grants = [["me:read"], ["other:read"]];
    let n = 0;
    const auth = createTokenManager({ cacheKey: "payauth:acme:scopes", requestToken: async () => ({ accessToken: `token-${n + 1}`, expiresInSeconds: 600, scopes: grants[n++] ?? [] }), clock: createManualClock() });
    const fetch = vi.fn(async (_request: Request) => Response.json({ id: 1 }));
    const client = createClient<paths>({ baseUrl: API, fetch, Request: ManualRedirectRequest });
    client.use(createAuthMiddleware({ auth, peekToken: auth.peekToken, apiOrigin: API, fetch, isTokenRejected: () => false, operationScopes: { "GET /v1/me": [["me:read"]] } }));
    await client.GET("/v1/me");
    await client.GET("/v1/me");
    expect(fetch).toHaveBeenCalledTimes(2);
    await auth.invalidate();
    await expect(client.GET("/v1/me")).rejects.toMatchObject({ code: "insufficient-scope", details: { missingScopes: ["me:read"] } });
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

describe("scope check by method", () => {
  it("finds the operation of a method written in lower case", async () => {
    const { auth } = manager();
    const middleware = createAuthMiddleware({ auth, peekToken: auth.peekToken, apiOrigin: API, fetch: vi.fn(), isTokenRejected: () => false, operationScopes: { "PATCH /v1/me": [["me:write"]] } });
    await auth.getToken();
    const request = new Request(`${API}/v1/me`, { method: "patch", body: "{}" });
    expect(request.method).toBe("patch"); // fetch upper-cases only its six standard methods
    expect(() => callOnRequest(middleware, request)).toThrow(expect.objectContaining({ code: "insufficient-scope", details: expect.objectContaining({ operation: "PATCH /v1/me", missingScopes: ["me:write"] }) }));
  });
});

describe("createProviderClient", () => {
  it("exposes getToken, hasScope and invalidate on auth, and not the middleware's peekToken", () => {
    const client = createProviderClient<paths, string>(acmeProvider, { clientId: "id", clientSecret: "secret", fetch: async () => Response.json({}) }, { baseUrl: API, tokenUrl: `${API}/token` });
    expect(Object.keys(client.auth).sort()).toEqual(["getToken", "hasScope", "invalidate"]);
  });

  it("builds its requests as ManualRedirectRequest, so the middleware never copies a bodyless call", async () => {
    const fetch = vi.fn(async (request: Request) => (request.url.endsWith("/token") ? Response.json({}) : Response.json({ id: 1 })));
    const client = createProviderClient<paths, string>(acmeProvider, { clientId: "id", clientSecret: "secret", fetch }, { baseUrl: API, tokenUrl: `${API}/token` });
    await client.GET("/v1/me");
    const apiRequest = fetch.mock.calls.map(([request]) => request).find((request) => request.url === `${API}/v1/me`);
    expect(apiRequest).toBeInstanceOf(ManualRedirectRequest);
    expect(apiRequest?.headers.get("authorization")).toBe("Bearer provider-token");
  });
});
