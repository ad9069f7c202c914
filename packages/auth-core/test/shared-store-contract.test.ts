import { describe, expect, it } from "vitest";
import { createTokenManager } from "../src/create-token-manager.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import type { CoordinateOptions, StoredToken, TokenStore } from "../src/types.js";
import { scripted } from "./support/resilience.js";

/**
 * A store that coordinates as the Redis store does: the holder of the (in-memory) lock looks at
 * the store first and returns a token it finds fresh, else fetches. What it was asked is kept.
 */
function coordinatingStore() {
  const memory = createMemoryTokenStore();
  const asked: CoordinateOptions[] = [];
  const deletes: [string, string | undefined][] = [];
  const store: TokenStore = {
    get: (key) => memory.get(key),
    set: (key, token, ttl) => memory.set(key, token, ttl),
    delete: (key, accessToken) => {
      deletes.push([key, accessToken]);
      return memory.delete(key, accessToken);
    },
    async coordinate(key: string, fetch: () => Promise<StoredToken>, options: CoordinateOptions) {
      asked.push(options);
      const current = await memory.get(key);
      if (current !== undefined && options.isFresh(current)) return current;
      return fetch();
    },
  };
  return { store, asked, deletes, memory };
}

describe("a token manager on a coordinating (fleet) store", () => {
  it("regression: forceRefresh fetches a new token even though the lock holder finds a fresh one stored", async () => {
    const { store } = coordinatingStore();
    const requestToken = scripted();
    const auth = createTokenManager({ cacheKey: "k", store, requestToken });
    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect((await auth.getToken({ forceRefresh: true })).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("a waiter of a forced refresh takes a token fetched since the force, not the one it was replacing", async () => {
    const { store, asked } = coordinatingStore();
    const auth = createTokenManager({ cacheKey: "k", store, requestToken: scripted() });
    await auth.getToken();
    const before = Date.now();
    await auth.getToken({ forceRefresh: true });
    const isFresh = asked.at(-1)!.isFresh;
    const stored = (obtainedAt: number): StoredToken => ({ accessToken: "x", tokenType: "Bearer", obtainedAt, expiresAt: obtainedAt + 3_600_000, scopes: [] });
    expect(isFresh(stored(before - 10_000))).toBe(false);
    expect(isFresh(stored(Date.now() + 1))).toBe(true);
  });

  it("tells the store the holder's worst case: maxElapsedMs plus one attempt's time limit", async () => {
    const { store, asked } = coordinatingStore();
    const auth = createTokenManager({ cacheKey: "k", store, requestToken: scripted(), retry: { maxElapsedMs: 30_000 }, attemptTimeoutMs: 10_000 });
    await auth.getToken();
    expect(asked[0]!.maxFetchMs).toBe(40_000);
  });

  it("invalidate(token) asks the store to delete only that token", async () => {
    const { store, deletes } = coordinatingStore();
    const auth = createTokenManager({ cacheKey: "k", store, requestToken: scripted() });
    const { accessToken } = await auth.getToken();
    await auth.invalidate(accessToken);
    expect(deletes).toEqual([["k", accessToken]]);
  });
});
