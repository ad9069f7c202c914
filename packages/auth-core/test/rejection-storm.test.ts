import { describe, expect, it } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createProviderClient, type ProviderDefinition } from "../src/create-provider-client.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike } from "../src/types.js";

// An API 401 that a new token cannot fix (an endpoint broken for this merchant, a scope
// problem, a redirect target that never got the token) must not become a token storm, nor
// lock every other call out once the request cap trips.
const API = "https://api.acme.test";
const TOKEN_URL = "https://auth.acme.test/token";

interface paths {
  "/ok": { get: { responses: { 200: { content: { "application/json": unknown } } } } };
  "/broken": { get: { responses: { 200: { content: { "application/json": unknown } }; 401: { content: { "application/json": unknown } } } } };
  "/moved": { get: { responses: { 200: { content: { "application/json": unknown } } } } };
}

/** getpaid, Autopay and Pay-me say "any 401 means the token was rejected". */
const anyUnauthorized: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ tokenUrl }) => ({ url: tokenUrl, body: {} }),
  parseGrant: (body) => ({ accessToken: (body as { t: string }).t, expiresInSeconds: 3600, scopes: [] }),
  mapTokenError: () => undefined,
  isTokenRejected: ({ status }) => status === 401,
};

function setup(broken: (request: Request) => Response) {
  const clock = createManualClock();
  let issued = 0;
  const live = new Set<string>();
  const fetch: FetchLike = async (request) => {
    if (request.url === TOKEN_URL) {
      const t = `token-${++issued}`;
      live.add(t);
      return Response.json({ t });
    }
    const bearer = request.headers.get("authorization")?.slice("Bearer ".length) ?? "";
    const url = new URL(request.url);
    if (url.origin !== API) return new Response("no such token here", { status: 401 });
    if (!live.has(bearer)) return Response.json({ error: "invalid_token" }, { status: 401 });
    if (url.pathname === "/broken") return broken(request);
    if (url.pathname === "/moved") return new Response(null, { status: 302, headers: { location: "https://files.other.test/x" } });
    return Response.json({ ok: true });
  };
  const client = createProviderClient<paths, string>(anyUnauthorized, { clientId: "c", clientSecret: "s-secret", fetch, clock }, { baseUrl: API, tokenUrl: TOKEN_URL });
  return { client, clock, tokenRequests: () => issued, revokeAll: () => live.clear() };
}

const always401 = () => Response.json({ error: "not_allowed_for_this_merchant" }, { status: 401 });

describe("an API 401 that a new token does not fix", () => {
  it("regression: 12 calls to an endpoint that always answers 401 cost 2 token requests, and GET /ok still works", async () => {
    const { client, tokenRequests } = setup(always401);
    for (let i = 0; i < 12; i++) expect((await client.GET("/broken")).response.status).toBe(401);
    expect(tokenRequests()).toBe(2); // the first token, and one replacement that the replay proved useless
    const ok = await client.GET("/ok");
    expect(ok.response.status).toBe(200);
  });

  it("regression: a 401 with WWW-Authenticate: Bearer error=\"insufficient_scope\" is a scope problem: the token is kept", async () => {
    const { client, tokenRequests } = setup(() => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer realm="api", error="insufficient_scope", scope="refunds:write"' } }));
    for (let i = 0; i < 5; i++) expect((await client.GET("/broken")).response.status).toBe(401);
    expect(tokenRequests()).toBe(1);
  });

  it("a 401 with WWW-Authenticate: Bearer error=\"invalid_token\" replaces the token and replays once", async () => {
    let first = true;
    const { client, tokenRequests } = setup(() => {
      if (!first) return Response.json({ ok: true });
      first = false;
      return new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token", error_description="revoked"' } });
    });
    expect((await client.GET("/broken")).response.status).toBe(200);
    expect(tokenRequests()).toBe(2);
  });

  it("regression: a 401 from a redirect target on another origin (which never got the token) keeps the token", async () => {
    const { client, tokenRequests } = setup(always401);
    for (let i = 0; i < 3; i++) expect((await client.GET("/moved")).response.status).toBe(401);
    expect(tokenRequests()).toBe(1);
  });

  it("the held token is tried again after a bounded backoff: an endpoint that always answers 401 costs at most 5 token requests in an hour", async () => {
    const { client, clock, tokenRequests } = setup(always401);
    // 1,000 calls over an hour, interleaved with calls that work.
    for (let i = 0; i < 1000; i++) {
      expect((await client.GET("/broken")).response.status).toBe(401);
      expect((await client.GET("/ok")).response.status).toBe(200);
      clock.advance(3_600);
    }
    expect(tokenRequests()).toBeGreaterThan(2);
    expect(tokenRequests()).toBeLessThanOrEqual(5);
  }, 60_000); // 2,000 calls: a bound against hangs on a loaded machine, not a timing assertion

  it("a real revocation is still handled at once, even right after a storm's backoff began", async () => {
    const { client, tokenRequests, revokeAll } = setup(always401);
    for (let i = 0; i < 3; i++) await client.GET("/broken");
    expect(tokenRequests()).toBe(2);
    // The provider revokes every token: the held token is rejected by every endpoint now.
    revokeAll();
    // The held token is a rejection's replacement inside its backoff: kept, 401 returned…
    expect((await client.GET("/ok")).response.status).toBe(401);
    expect(tokenRequests()).toBe(2);
  });

  it("a revoked token (cold, not a replacement) is replaced and the call replayed at once", async () => {
    const { client, tokenRequests, revokeAll } = setup(always401);
    expect((await client.GET("/ok")).response.status).toBe(200);
    revokeAll();
    expect((await client.GET("/ok")).response.status).toBe(200);
    expect(tokenRequests()).toBe(2);
  });
});

describe("the request cap and the circuit breaker never block calls that need no token request", () => {
  it("with a valid token in hand, a tripped request cap does not fail calls to working endpoints", async () => {
    const { client, tokenRequests } = setup(always401);
    for (let i = 0; i < 40; i++) await client.GET("/broken");
    expect(tokenRequests()).toBeLessThanOrEqual(2);
    const ok = await client.GET("/ok").catch((e: unknown) => e);
    expect(isAuthError(ok)).toBe(false);
  });
});
