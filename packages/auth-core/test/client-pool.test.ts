import { describe, expect, it, vi } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createClientPool, type PoolEvent } from "../src/create-client-pool.js";
import { createProviderClient, type CommonClientOptions, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike } from "../src/types.js";
import { InvalidOptionError } from "../src/validate-options.js";

// A platform's merchants: one client per tenant, each with its own credentials.
const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { clientId, clientSecret } }),
  parseGrant: (body) => ({ accessToken: (body as { t: string }).t, expiresInSeconds: 3600, scopes: [] }),
  mapTokenError: ({ status }) => (status === 401 ? { code: "invalid-credentials" } : undefined),
  isTokenRejected: ({ status }) => status === 401,
};
type Paths = { "/ok": { get: { responses: { 200: { content: { "application/json": unknown } } } } } };
type Options = CommonClientOptions & { baseUrl: string };
const create = (o: Options) => createProviderClient<Paths, string>(acme, o, { baseUrl: o.baseUrl, tokenUrl: "https://auth.acme.test/token" });

/** Token endpoint and API for every tenant `t-N` (secret `secret-t-N`); `down` tenants' token requests fail with 503. */
function platform(down: ReadonlySet<string> = new Set()) {
  const tokenRequests = new Map<string, number>();
  const fetch: FetchLike = async (request) => {
    if (request.url.startsWith("https://auth.acme.test/")) {
      const { clientId, clientSecret } = (await request.json()) as { clientId: string; clientSecret: string };
      tokenRequests.set(clientId, (tokenRequests.get(clientId) ?? 0) + 1);
      if (down.has(clientId)) return new Response("unavailable", { status: 503 });
      if (clientSecret !== `secret-${clientId}`) return new Response("{}", { status: 401 });
      return Response.json({ t: `token-of-${clientId}` });
    }
    return Response.json({ ok: true });
  };
  const resolve = vi.fn(async (tenantId: string): Promise<Options> => ({ baseUrl: "https://api.acme.test", clientId: tenantId, clientSecret: `secret-${tenantId}`, fetch, retry: { maxAttempts: 2, baseDelayMs: 1 } }));
  return { fetch, resolve, tokenRequests };
}

describe("createClientPool", () => {
  it("concurrent gets of one tenant call resolve once and share one client", async () => {
    const { resolve } = platform();
    const pool = createClientPool(create, { resolve });
    const clients = await Promise.all(Array.from({ length: 20 }, () => pool.get("t-1")));
    expect(new Set(clients).size).toBe(1);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it("a failed resolve is not kept: the next get calls it again", async () => {
    const { resolve } = platform();
    resolve.mockRejectedValueOnce(new Error("tenant database down"));
    const pool = createClientPool(create, { resolve });
    await expect(pool.get("t-1")).rejects.toThrow("tenant database down");
    expect(pool.size).toBe(0);
    await expect(pool.get("t-1")).resolves.toBeDefined();
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  it("validates the options resolve gives as the factory does (and keeps nothing)", async () => {
    const pool = createClientPool(create, { resolve: async () => ({ baseUrl: "https://api.acme.test", clientId: "", clientSecret: "s-secret" }) });
    await expect(pool.get("t-1")).rejects.toBeInstanceOf(InvalidOptionError);
    expect(pool.size).toBe(0);
  });

  it("at maxClients drops the least recently used client and does not grow", async () => {
    const { resolve } = platform();
    const pool = createClientPool(create, { resolve, maxClients: 3 });
    const first = await pool.get("t-1");
    await pool.get("t-2");
    await pool.get("t-3");
    await pool.get("t-1"); // t-1 used again: t-2 is now the least recent
    await pool.get("t-4");
    expect(pool.size).toBe(3);
    expect(await pool.get("t-1")).toBe(first);
    await pool.get("t-2");
    expect(resolve.mock.calls.map(([t]) => t)).toEqual(["t-1", "t-2", "t-3", "t-4", "t-2"]);
    for (let i = 0; i < 100; i++) await pool.get(`t-${i}`);
    expect(pool.size).toBe(3);
  });

  it("drops a client idle longer than idleTimeoutMs (no timer: on the next use)", async () => {
    const { resolve } = platform();
    let now = 0;
    const pool = createClientPool(create, { resolve, idleTimeoutMs: 60_000, now: () => now });
    const first = await pool.get("t-1");
    now = 59_000;
    expect(await pool.get("t-1")).toBe(first);
    now = 120_000;
    expect(await pool.get("t-1")).not.toBe(first);
  });

  it("a dropped client's token stays in the shared store: coming back costs no token request", async () => {
    const { resolve, tokenRequests } = platform();
    const pool = createClientPool(create, { resolve, tokenStore: createMemoryTokenStore(), maxClients: 1 });
    await (await pool.get("t-1")).GET("/ok");
    await pool.delete("t-1");
    await (await pool.get("t-2")).GET("/ok");
    await (await pool.get("t-1")).GET("/ok");
    expect(tokenRequests.get("t-1")).toBe(1);
  });

  it("gives every event its tenantId", async () => {
    const { resolve } = platform();
    const events: PoolEvent[] = [];
    const pool = createClientPool(create, { resolve, onEvent: (e) => events.push(e) });
    await (await pool.get("t-7")).auth.getToken();
    expect(events.map((e) => [e.type, e.tenantId])).toEqual([["token-fetched", "t-7"]]);
  });

  it("isolates tenants: one whose token endpoint is down never delays or fails 100 healthy ones", async () => {
    const { resolve, tokenRequests } = platform(new Set(["t-down"]));
    const pool = createClientPool(create, { resolve, tokenStore: createMemoryTokenStore() });
    const down = await pool.get("t-down");
    // Trip its breaker and its request cap.
    for (let i = 0; i < 8; i++) await down.auth.getToken().catch(() => undefined);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const client = await pool.get(`t-${i}`);
        const [healthy, broken] = await Promise.all([client.GET("/ok"), down.auth.getToken().catch((e: unknown) => e)]);
        return { healthy: healthy.response.status, broken };
      }),
    );
    expect(outcomes.every((o) => o.healthy === 200)).toBe(true);
    expect(outcomes.every((o) => isAuthError(o.broken))).toBe(true);
    for (let i = 0; i < 100; i++) expect(tokenRequests.get(`t-${i}`)).toBe(1);
  });

  it("refuses bad pool options with InvalidOptionError naming them", () => {
    const { resolve } = platform();
    for (const [option, bad] of [["maxClients", { maxClients: 0 }], ["maxClients", { maxClients: 1.5 }], ["idleTimeoutMs", { idleTimeoutMs: -1 }], ["resolve", { resolve: "no" }]] as const) {
      const error = (() => {
        try {
          createClientPool(create, { resolve, ...bad } as never);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
    }
  });

  it("a clock-driven day for 1,000 tenants with 12-hour tokens and eviction pressure: 2 token requests per tenant (the minimum)", async () => {
    const clock = createManualClock();
    const tokenRequests = new Map<string, number>();
    const fetch: FetchLike = async (request) => {
      if (request.url.startsWith("https://auth.acme.test/")) {
        const { clientId } = (await request.json()) as { clientId: string };
        tokenRequests.set(clientId, (tokenRequests.get(clientId) ?? 0) + 1);
        return Response.json({ t: `token-of-${clientId}-${tokenRequests.get(clientId)}` });
      }
      return Response.json({ ok: true });
    };
    const twelveHours: ProviderDefinition = { ...acme, parseGrant: (body) => ({ accessToken: (body as { t: string }).t, expiresInSeconds: 43_200, scopes: [] }) };
    const pool = createClientPool((o: Options) => createProviderClient<Paths, string>(twelveHours, o, { baseUrl: o.baseUrl, tokenUrl: "https://auth.acme.test/token" }), {
      resolve: (tenantId) => ({ baseUrl: "https://api.acme.test", clientId: tenantId, clientSecret: `secret-${tenantId}`, fetch, clock }),
      maxClients: 100,
      tokenStore: createMemoryTokenStore({ clock }),
    });
    // Every tenant called once an hour for 24 hours.
    for (let hour = 0; hour < 24; hour++) {
      for (let t = 0; t < 1000; t++) expect((await (await pool.get(`t-${t}`)).GET("/ok")).response.status).toBe(200);
      clock.advance(3_600_000);
    }
    expect(pool.size).toBe(100);
    for (let t = 0; t < 1000; t++) expect(tokenRequests.get(`t-${t}`)).toBe(2);
  }, 120_000);
});
