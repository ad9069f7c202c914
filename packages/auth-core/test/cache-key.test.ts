import { describe, expect, it, vi } from "vitest";
import { createCacheKey, type CacheKeyParts } from "../src/create-cache-key.js";
import { createProviderClient, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { TokenStore } from "../src/types.js";

// Contains characters outside [0-9a-f], so it cannot appear inside the hex digest by chance.
const CLIENT_ID = "client-id-xyz";
const SECRET = "s3cr3t-value-zz";

const base: CacheKeyParts = {
  provider: "acme",
  tokenUrl: "https://auth.acme.test/oauth/token",
  clientId: CLIENT_ID,
  audience: "https://api.acme.test",
  scopes: ["payments:read", "refunds:write"],
};

describe("createCacheKey", () => {
  it("is payauth:<provider>: followed by a sha256 hex digest", async () => {
    expect(await createCacheKey(base)).toMatch(/^payauth:acme:[0-9a-f]{64}$/);
    expect(await createCacheKey({ ...base, provider: "maxpay" })).toMatch(/^payauth:maxpay:[0-9a-f]{64}$/);
  });

  it("is stable for the same parts", async () => {
    expect(await createCacheKey({ ...base })).toBe(await createCacheKey(base));
  });

  it.each<[string, Partial<CacheKeyParts>]>([
    ["tokenUrl", { tokenUrl: "https://auth.acme.test/oauth/token2" }],
    ["clientId", { clientId: "client-id-other" }],
    ["audience", { audience: "https://sandbox.acme.test" }],
    ["audience absent", { audience: undefined }],
    ["scopes", { scopes: ["payments:read"] }],
    ["scopes absent", { scopes: undefined }],
  ])("differs when %s differs", async (_, change) => {
    expect(await createCacheKey({ ...base, ...change })).not.toBe(await createCacheKey(base));
  });

  it("ignores scope order and duplicates", async () => {
    const key = await createCacheKey(base);
    expect(await createCacheKey({ ...base, scopes: ["refunds:write", "payments:read"] })).toBe(key);
    expect(await createCacheKey({ ...base, scopes: ["refunds:write", "payments:read", "refunds:write"] })).toBe(key);
  });

  it("treats no scopes and an empty list alike", async () => {
    expect(await createCacheKey({ ...base, scopes: [] })).toBe(await createCacheKey({ ...base, scopes: undefined }));
  });

  it("does not contain the client id", async () => {
    expect(await createCacheKey(base)).not.toContain(CLIENT_ID);
    expect(await createCacheKey(base)).not.toContain("client-id");
  });
});

describe("the cache key a provider client uses", () => {
  const acme: ProviderDefinition = {
    id: "acme",
    tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { clientId, clientSecret } }),
    parseGrant: () => ({ accessToken: "tok", expiresInSeconds: 3600, scopes: [] }),
    mapTokenError: () => undefined,
    isTokenRejected: () => false,
  };

  /** The key a client built with `clientSecret` stores its token under. */
  async function keyFor(clientSecret: string): Promise<string> {
    const clock = createManualClock();
    const memory = createMemoryTokenStore({ clock });
    const store: TokenStore = { get: memory.get, set: vi.fn(memory.set), delete: memory.delete };
    const client = createProviderClient(
      acme,
      { clientId: CLIENT_ID, clientSecret, clock, tokenStore: store, fetch: async () => Response.json({}) },
      { baseUrl: "https://api.acme.test", tokenUrl: base.tokenUrl, audience: "https://api.acme.test", scopes: ["refunds:write", "payments:read"] },
    );
    await client.auth.getToken();
    const key = vi.mocked(store.set).mock.calls[0]?.[0];
    if (key === undefined) throw new Error("the token was not stored");
    return key;
  }

  it("contains neither the client id nor the secret, and is bound to the secret (another secret, another key)", async () => {
    const key = await keyFor(SECRET);
    expect(key).toBe(await createCacheKey({ ...base, clientSecret: SECRET }));
    expect(key).not.toBe(await createCacheKey(base));
    expect(key).not.toContain(CLIENT_ID);
    expect(key).not.toContain(SECRET);
    expect(key).not.toContain("s3cr3t");
    expect(await keyFor("another-secret-zz")).not.toBe(key);
  });
});
