import { describe, expect, it, vi } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createProviderClient, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike, StoredToken, TokenStore } from "../src/types.js";

// clientSecret as a function: a secret manager or a mounted file, rotated without a restart.
const TOKEN_URL = "https://auth.acme.test/token";
const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { clientId, clientSecret } }),
  parseGrant: (body) => ({ accessToken: (body as { t: string }).t, expiresInSeconds: 3600, scopes: [] }),
  mapTokenError: ({ status }) => (status === 401 ? { code: "invalid-credentials" } : undefined),
  isTokenRejected: ({ status }) => status === 401,
};

/** A provider that accepts one secret at a time; `rotate()` makes it accept only the next. */
function provider(initial: string) {
  let accepted = initial;
  let tokenRequests = 0;
  let refused = 0;
  const live = new Set<string>();
  const fetch: FetchLike = async (request) => {
    if (request.url === TOKEN_URL) {
      tokenRequests++;
      const { clientSecret } = (await request.json()) as { clientSecret: string };
      if (clientSecret !== accepted) {
        refused++;
        return Response.json({ error: "invalid_client", echo: clientSecret }, { status: 401 });
      }
      const t = `token-${tokenRequests}`;
      live.add(t);
      return Response.json({ t });
    }
    const bearer = request.headers.get("authorization")?.slice(7) ?? "";
    return live.has(bearer) ? Response.json({ ok: true }) : new Response(null, { status: 401 });
  };
  return { fetch, rotate: (next: string) => (accepted = next), stats: () => ({ tokenRequests, refused }), revokeAll: () => live.clear() };
}

function client(clientSecret: () => string | Promise<string>, fetch: FetchLike, extra: { tokenStore?: TokenStore } = {}) {
  const clock = createManualClock();
  return {
    clock,
    client: createProviderClient<{ "/ok": { get: { responses: { 200: { content: { "application/json": unknown } } } } } }, string>(
      acme,
      { clientId: "merchant-1", clientSecret, fetch, clock, ...extra },
      { baseUrl: "https://api.acme.test", tokenUrl: TOKEN_URL },
    ),
  };
}

describe("clientSecret as a supplier", () => {
  it("is called when a token request needs the secret, never on a warm call", async () => {
    const server = provider("secret-one");
    const supplier = vi.fn(() => "secret-one");
    const { client: c } = client(supplier, server.fetch);
    await c.GET("/ok");
    const coldCalls = supplier.mock.calls.length;
    expect(coldCalls).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) expect((await c.GET("/ok")).response.status).toBe(200);
    expect(supplier).toHaveBeenCalledTimes(coldCalls);
  });

  it.each([
    ["a supplier that already has the new secret", false, { tokenRequests: 2, refused: 0 }],
    ["a supplier that still returns the old secret once (a cache of its own)", true, { tokenRequests: 3, refused: 1 }],
  ] as const)("rotation without failed calls, %s: 1,000 calls, rotated in the middle: 0 failures, token requests the minimum", async (_, lags, expected) => {
    const server = provider("secret-one");
    let current = "secret-one";
    // A supplier with a cache of its own still returns the old secret for its next two calls (the cold store read's key, the request).
    let lag = 0;
    const supplier = async () => {
      if (lag > 0) {
        lag--;
        return "secret-one";
      }
      return current;
    };
    const { client: c } = client(supplier, server.fetch);
    let failed = 0;
    for (let i = 0; i < 1000; i++) {
      if (i === 500) {
        // Rotated at the provider (the old secret refused from now on, its tokens revoked) and in the secret manager.
        current = "secret-two";
        lag = lags ? 2 : 0;
        server.rotate("secret-two");
        server.revokeAll();
      }
      const { response } = await c.GET("/ok");
      if (response.status !== 200) failed++;
    }
    expect(failed).toBe(0);
    expect(server.stats()).toEqual(expected);
  }, 60_000); // 1,000 calls: a bound against hangs on a loaded machine

  it("a call with a still-valid token while the secret rotates is unaffected (no token request)", async () => {
    const server = provider("secret-one");
    let current = "secret-one";
    const { client: c } = client(() => current, server.fetch);
    await c.GET("/ok");
    current = "secret-two";
    server.rotate("secret-two");
    expect((await c.GET("/ok")).response.status).toBe(200);
    expect(server.stats().tokenRequests).toBe(1);
  });

  it.each<[string, () => unknown]>([
    ["throws", () => { throw new Error("vault unreachable"); }],
    ["rejects", () => Promise.reject(new Error("vault unreachable"))],
    ["returns a number", () => 12345],
    ["returns an empty string", () => ""],
    ["returns undefined", () => undefined],
  ])("a supplier that %s: invalid-credentials, nothing sent, no value echoed; the client works once it recovers", async (_, broken) => {
    const server = provider("secret-one");
    let healthy = false;
    const { client: c } = client((() => (healthy ? "secret-one" : broken())) as () => string, server.fetch);
    const error = await c.auth.getToken().catch((e: unknown) => e);
    expect(isAuthError(error, "invalid-credentials")).toBe(true);
    expect(String((error as Error).message)).not.toContain("12345");
    expect(server.stats().tokenRequests).toBe(0);
    healthy = true;
    expect((await c.auth.getToken()).accessToken).toBe("token-1");
  });

  it("the supplier's error is kept as the cause", async () => {
    const server = provider("secret-one");
    const reason = new Error("vault unreachable");
    const { client: c } = client(() => Promise.reject(reason), server.fetch);
    const error = (await c.auth.getToken().catch((e: unknown) => e)) as Error;
    expect(error.cause).toBe(reason);
  });

  it("the rotated token is stored under the new secret's key: a client still holding the old secret never gets it", async () => {
    const server = provider("secret-one");
    const store = createMemoryTokenStore();
    const written: [string, string][] = [];
    const spy: TokenStore = { get: store.get, set: (key, token: StoredToken, ttl) => (written.push([key, token.accessToken]), store.set(key, token, ttl)), delete: store.delete };
    let current = "secret-one";
    let lag = 0;
    const { client: rotating } = client(() => (lag > 0 ? (lag--, "secret-one") : current), server.fetch, { tokenStore: spy });
    await rotating.auth.getToken();
    current = "secret-two";
    lag = 2; // the key and the refused request still use the old secret
    server.rotate("secret-two");
    await rotating.auth.getToken({ forceRefresh: true });
    expect(written.map(([, t]) => t)).toEqual(["token-1", "token-3"]);
    expect(written[1]![0]).not.toBe(written[0]![0]);
    const { client: stale } = client(() => "secret-one", server.fetch, { tokenStore: spy });
    expect((await stale.auth.getToken()).accessToken).toBe("token-1");
  });
});
