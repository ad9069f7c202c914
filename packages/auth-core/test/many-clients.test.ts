import { describe, expect, it, vi } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createCacheKey } from "../src/create-cache-key.js";
import { createProviderClient, type CommonClientOptions, type ProviderDefinition } from "../src/create-provider-client.js";
import { createTokenManager } from "../src/create-token-manager.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike, TokenGrant } from "../src/types.js";

// Issue 14: what a client keeps was cut from about 11.8 kB to about 3 kB (packages/bench/src/tenants.mjs)
// by sharing what clients have in common and making the rest on first need. These are the
// behaviours that sharing and laziness must not change.

const API = "https://api.acme.test";
const TOKEN_URL = "https://auth.acme.test/token";
type Paths = {
  "/reports": { get: { responses: { 200: { content: { "application/json": unknown } } } } };
  "/open": { get: { responses: { 200: { content: { "application/json": unknown } } } } };
};

/** A provider whose token grants the scopes named after the client id's `+` (`t-1+reports:read`). */
const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { clientId, clientSecret } }),
  parseGrant: (body) => {
    const { t, scopes } = body as { t: string; scopes: string[] };
    return { accessToken: t, expiresInSeconds: 3600, scopes };
  },
  mapTokenError: ({ status }) => (status === 401 ? { code: "invalid-credentials" } : undefined),
  isTokenRejected: ({ status }) => status === 401,
};
const operationScopes = { "GET /reports": [["reports:read"]] };

function platform() {
  const tokenRequests = new Map<string, number>();
  const apiCalls: string[] = [];
  const fetch: FetchLike = async (request) => {
    if (request.url === TOKEN_URL) {
      const { clientId } = (await request.json()) as { clientId: string };
      const n = (tokenRequests.get(clientId) ?? 0) + 1;
      tokenRequests.set(clientId, n);
      return Response.json({ t: `token-of-${clientId}-${n}-${"x".repeat(40)}`, scopes: clientId.split("+").slice(1) });
    }
    apiCalls.push(request.headers.get("authorization") ?? "");
    return Response.json({ ok: true });
  };
  const client = (clientId: string, extra: Partial<CommonClientOptions> = {}) =>
    createProviderClient<Paths, string>(acme, { clientId, clientSecret: `secret-${clientId}`, fetch, ...extra }, { baseUrl: API, tokenUrl: TOKEN_URL, operationScopes });
  return { client, tokenRequests, apiCalls, fetch };
}

describe("many clients of one provider", () => {
  it("share the operation-scope index, yet each token is checked for its own scopes", async () => {
    const { client, apiCalls } = platform();
    const allowed = client("t-1+reports:read");
    const refused = client("t-2+other:scope");
    // Alternating: what one client's token was found sufficient for never lets the other's through.
    for (let i = 0; i < 3; i++) {
      expect((await allowed.GET("/reports")).response.status).toBe(200);
      const error = await refused.GET("/reports").catch((e: unknown) => e);
      expect(isAuthError(error, "insufficient-scope")).toBe(true);
      expect((await refused.GET("/open")).response.status).toBe(200);
    }
    expect(apiCalls.filter((a) => a.includes("t-2+other")).length).toBe(3);
    expect(apiCalls.filter((a) => a.includes("t-1+reports")).length).toBe(3);
  });

  it("send the token as the Authorization header and hand out the same characters as accessToken", async () => {
    const { client, apiCalls } = platform();
    const maxpay = client("t-1+reports:read");
    await maxpay.GET("/open");
    const token = await maxpay.auth.getToken();
    expect(apiCalls).toEqual([`Bearer ${token.accessToken}`]);
    expect(token.accessToken).toBe(`token-of-t-1+reports:read-1-${"x".repeat(40)}`);
    expect(JSON.stringify(token)).not.toContain(token.accessToken);
  });

  it("hand out frozen scope lists, one list per distinct grant", async () => {
    const { client } = platform();
    const a = await client("t-1+reports:read+x").auth.getToken();
    const b = await client("t-2+reports:read+x").auth.getToken();
    const c = await client("t-3+reports:read").auth.getToken();
    expect(a.scopes).toEqual(["reports:read", "x"]);
    expect(Object.isFrozen(a.scopes)).toBe(true);
    expect(b.scopes).toBe(a.scopes);
    expect(c.scopes).not.toBe(a.scopes);
  });

  it("reading a token another client put in a shared memory store reuses it (one copy of its characters)", async () => {
    const { client, tokenRequests } = platform();
    const tokenStore = createMemoryTokenStore();
    const first = await client("t-1+reports:read", { tokenStore }).auth.getToken();
    const again = await client("t-1+reports:read", { tokenStore }).auth.getToken();
    expect(again).toBe(first);
    expect(tokenRequests.get("t-1+reports:read")).toBe(1);
  });

  it("client.auth: made when first read, the same object after, enumerable, its methods usable alone", async () => {
    const { client, tokenRequests } = platform();
    const maxpay = client("t-1+reports:read");
    expect(Object.keys(maxpay)).toContain("auth");
    const auth = maxpay.auth;
    expect(maxpay.auth).toBe(auth);
    const { getToken, hasScope, invalidate } = auth;
    const token = await getToken();
    expect(hasScope("reports:read")).toBe(true);
    await invalidate(token.accessToken);
    expect((await getToken()).accessToken).not.toBe(token.accessToken);
    expect(tokenRequests.get("t-1+reports:read")).toBe(2);
  });

  it("a fixed secret's cache key is computed once, on the first cold call, and is the credential-bound key", async () => {
    const { fetch } = platform();
    const tokenStore = createMemoryTokenStore();
    const set = vi.spyOn(tokenStore, "set");
    const maxpay = createProviderClient<Paths, string>(acme, { clientId: "t-9", clientSecret: "secret-t-9", fetch, tokenStore }, { baseUrl: API, tokenUrl: TOKEN_URL });
    await maxpay.auth.getToken();
    await maxpay.auth.getToken({ forceRefresh: true });
    const expected = await createCacheKey({ provider: "acme", tokenUrl: TOKEN_URL, clientId: "t-9", clientSecret: "secret-t-9", scopes: [] });
    expect(set.mock.calls.map(([key]) => key)).toEqual([expected, expected]);
    expect(expected).toMatch(/^payauth:acme:[0-9a-f]{64}$/);
  });
});

describe("the request guard, made on first need", () => {
  const grants = () => {
    let n = 0;
    return vi.fn(async (): Promise<TokenGrant> => ({ accessToken: `t-${++n}`, expiresInSeconds: 3600, scopes: [] }));
  };

  it.each([1, 2, 3])("caps token requests at max %i per window, counting the ones made before it existed", async (max) => {
    const clock = createManualClock();
    const requestToken = grants();
    const manager = createTokenManager({ cacheKey: "k", requestToken, clock, tokenRequestLimit: { max, windowMs: 60_000 } });
    for (let i = 0; i < max; i++) await manager.getToken({ forceRefresh: true });
    const refused = await manager.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(isAuthError(refused, "rate-limited")).toBe(true);
    expect(requestToken).toHaveBeenCalledTimes(max);
    // A window later, the cap allows requests again.
    clock.advance(60_000);
    await manager.getToken({ forceRefresh: true });
    expect(requestToken).toHaveBeenCalledTimes(max + 1);
  });

  it("does not count a token request from an earlier window", async () => {
    const clock = createManualClock();
    const requestToken = grants();
    const manager = createTokenManager({ cacheKey: "k", requestToken, clock, tokenRequestLimit: { max: 1, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      await manager.getToken({ forceRefresh: true });
      clock.advance(60_000);
    }
    expect(requestToken).toHaveBeenCalledTimes(3);
  });

  it("the rejection backoff: made on the first rejection, and starting over after a token obtained for another reason", async () => {
    const clock = createManualClock();
    const requestToken = grants();
    const manager = createTokenManager({ cacheKey: "k", requestToken, clock, tokenRequestLimit: false });
    const first = await manager.getToken();
    expect(await manager.tokenRejected(first.accessToken)).toBe(true);
    // Its replacement, rejected too: kept for 5 minutes.
    const replacement = await manager.getToken();
    expect(await manager.tokenRejected(replacement.accessToken)).toBe(false);
    clock.advance(5 * 60_000);
    expect(await manager.tokenRejected(replacement.accessToken)).toBe(true);
    // The next replacement: 10 minutes.
    const second = await manager.getToken();
    clock.advance(5 * 60_000);
    expect(await manager.tokenRejected(second.accessToken)).toBe(false);
    clock.advance(5 * 60_000);
    expect(await manager.tokenRejected(second.accessToken)).toBe(true);
    await manager.getToken();
    // Renewed at expiry, not for a rejection: a rejection is honoured at once again.
    clock.advance(3600_000);
    const renewed = await manager.getToken();
    expect(await manager.tokenRejected(renewed.accessToken)).toBe(true);
    expect(requestToken).toHaveBeenCalledTimes(5);
  });
});
