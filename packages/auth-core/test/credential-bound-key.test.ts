import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createCacheKey } from "../src/create-cache-key.js";
import { createProviderClient, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import type { FetchLike, StoredToken, TokenStore } from "../src/types.js";
import { secretForms } from "./support/secret-forms.js";

// A token endpoint that knows one credential: the right id with the right secret gets a token.
const ID = "merchant-7";
const RIGHT = "right-secret-Qx8v2";
const tokenUrl = "https://auth.acme.test/oauth/token";

function provider(): ProviderDefinition {
  return {
    id: "acme",
    tokenRequest: ({ clientId, clientSecret, tokenUrl: url }) => ({ url, body: { clientId, clientSecret } }),
    parseGrant: (body) => ({ accessToken: (body as { token: string }).token, expiresInSeconds: 3600, scopes: [] }),
    mapTokenError: ({ status }) => (status === 401 ? { code: "invalid-credentials" } : undefined),
    isTokenRejected: () => false,
  };
}

function endpoint() {
  let issued = 0;
  const fetch: FetchLike = async (request) => {
    if (request.url !== tokenUrl) return new Response(JSON.stringify({ ok: true }), { status: 200 });
    const body = (await request.json()) as { clientId: string; clientSecret: string };
    if (body.clientId !== ID || body.clientSecret !== RIGHT) return new Response('{"error":"invalid_client"}', { status: 401 });
    return Response.json({ token: `token-for-${body.clientId}-${++issued}` });
  };
  return { fetch, issued: () => issued };
}

const client = (secret: string, tokenStore: TokenStore, fetch: FetchLike) =>
  createProviderClient(provider(), { clientId: ID, clientSecret: secret, tokenStore, fetch, retry: { maxAttempts: 1 } }, { baseUrl: "https://api.acme.test", tokenUrl });

describe("a shared token store never hands a token to other credentials", () => {
  it("regression: same client id, another secret, one shared store: invalid-credentials, not the other's token", async () => {
    const store = createMemoryTokenStore();
    const { fetch } = endpoint();
    const owner = client(RIGHT, store, fetch);
    expect((await owner.auth.getToken()).accessToken).toBe("token-for-merchant-7-1");

    const intruder = client("any-guess-at-all", store, fetch);
    const error = await intruder.auth.getToken().catch((e: unknown) => e);
    expect(isAuthError(error, "invalid-credentials")).toBe(true);
  });

  it("property: for any two secrets, the client with the other one never receives a token it did not obtain", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && s.trim() !== "" && s !== RIGHT), async (other) => {
        const store = createMemoryTokenStore();
        const { fetch } = endpoint();
        await client(RIGHT, store, fetch).auth.getToken();
        const result = await client(other, store, fetch).auth.getToken().then(
          () => "token",
          (e: unknown) => (isAuthError(e, "invalid-credentials") ? "refused" : String(e)),
        );
        expect(result).toBe("refused");
      }),
      { numRuns: 50 },
    );
  });

  it("the key holds no form of the secret, nor its unsalted hash", async () => {
    const key = await createCacheKey({ provider: "acme", tokenUrl, clientId: ID, clientSecret: RIGHT });
    for (const form of secretForms(RIGHT)) expect(key).not.toContain(form);
    expect(key).not.toContain(createHash("sha256").update(RIGHT).digest("hex"));
    // It is an HMAC keyed with the secret over the public parts: nobody can recompute it without the secret.
    expect(key).not.toBe(await createCacheKey({ provider: "acme", tokenUrl, clientId: ID }));
    expect(key).toMatch(/^payauth:acme:[0-9a-f]{64}$/);
    expect(key.slice("payauth:acme:".length)).not.toBe(createHmac("sha256", "").update(RIGHT).digest("hex"));
  });

  it("what a store sees (keys and values) holds no form of the secret", async () => {
    const seen: string[] = [];
    const memory = createMemoryTokenStore();
    const spy: TokenStore = {
      get: (key) => (seen.push(key), memory.get(key)),
      set: (key, token: StoredToken, ttl) => (seen.push(key, JSON.stringify(token)), memory.set(key, token, ttl)),
      delete: (key, accessToken) => (seen.push(key), memory.delete(key, accessToken)),
    };
    const { fetch } = endpoint();
    const owner = client(RIGHT, spy, fetch);
    await owner.auth.getToken();
    await owner.auth.invalidate();
    for (const form of secretForms(RIGHT)) for (const s of seen) expect(s).not.toContain(form);
  });
});
