import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createTokenManager, DEFAULT_REFRESH_WINDOW_SECONDS } from "../src/create-token-manager.js";
import { createManualClock, type ManualClock } from "../src/testing/create-manual-clock.js";
import type { StoredToken, TokenGrant, TokenStore } from "../src/types.js";

const KEY = "payauth:test:key";
const SECOND = 1000;

/** A `requestToken` stub: the n-th request grants `token-n`. */
function stubRequests(options: { lifetimeSeconds?: number; scopes?: string[]; onRequest?: () => void } = {}) {
  let count = 0;
  const requestToken = vi.fn(async (): Promise<TokenGrant> => {
    count += 1;
    options.onRequest?.();
    return { accessToken: `token-${count}`, expiresInSeconds: options.lifetimeSeconds ?? 3600, scopes: options.scopes ?? ["payments:read"] };
  });
  return requestToken;
}

/** A `requestToken` that stays pending until `release` is called, so concurrent callers pile up. */
function gatedRequests() {
  const releases: Array<(grant: TokenGrant) => void> = [];
  const rejections: Array<(error: unknown) => void> = [];
  const requestToken = vi.fn(
    () =>
      new Promise<TokenGrant>((resolve, reject) => {
        releases.push(resolve);
        rejections.push(reject);
      }),
  );
  return {
    requestToken,
    release(index: number, accessToken: string) {
      releases[index]?.({ accessToken, expiresInSeconds: 3600, scopes: [] });
    },
    reject(index: number, error: unknown) {
      rejections[index]?.(error);
    },
  };
}

/** Lets every queued promise callback run (a macrotask boundary; no time passes). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function manager(requestToken: () => Promise<TokenGrant>, clock: ManualClock, extra: { refreshWindowSeconds?: number; store?: TokenStore } = {}) {
  return createTokenManager({ cacheKey: KEY, requestToken, clock, ...extra });
}

describe("createTokenManager: caching", () => {
  it("requests a token on first use and reuses it while fresh", async () => {
    const clock = createManualClock();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock);
    expect(requestToken).toHaveBeenCalledTimes(0);

    const tokens = [];
    for (let i = 0; i < 50; i++) {
      tokens.push(await auth.getToken());
      clock.advance(60 * SECOND);
    }
    // 50 calls spread over 49 minutes of a 60-minute token: still the first one.
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(["token-1"]));
    expect(tokens[0]).toMatchObject({ tokenType: "Bearer", expiresAt: Date.UTC(2026, 0, 1) + 3600 * SECOND, scopes: ["payments:read"] });
  });

  it("defaults to a 300 s refresh window", () => {
    expect(DEFAULT_REFRESH_WINDOW_SECONDS).toBe(300);
  });

  it("renews a 3600 s token 300 s before expiry: cached at +3299 s, renewed at +3300 s", async () => {
    const clock = createManualClock();
    const start = clock.now();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock);
    await auth.getToken();

    clock.set(start + 3299 * SECOND);
    expect((await auth.getToken()).accessToken).toBe("token-1");
    clock.set(start + 3300 * SECOND - 1);
    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect(requestToken).toHaveBeenCalledTimes(1);

    clock.set(start + 3300 * SECOND);
    const renewed = await auth.getToken();
    expect(renewed.accessToken).toBe("token-2");
    expect(renewed.expiresAt).toBe(start + (3300 + 3600) * SECOND);
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("honours a custom refreshWindowSeconds", async () => {
    const clock = createManualClock();
    const start = clock.now();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock, { refreshWindowSeconds: 60 });
    await auth.getToken();

    clock.set(start + 3540 * SECOND - 1);
    expect((await auth.getToken()).accessToken).toBe("token-1");
    clock.set(start + 3540 * SECOND);
    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("with refreshWindowSeconds 0 keeps the token until it expires", async () => {
    const clock = createManualClock();
    const start = clock.now();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock, { refreshWindowSeconds: 0 });
    await auth.getToken();

    clock.set(start + 3600 * SECOND - 1);
    expect((await auth.getToken()).accessToken).toBe("token-1");
    clock.set(start + 3600 * SECOND);
    expect((await auth.getToken()).accessToken).toBe("token-2");
  });

  it("clamps the window to half the lifetime: a 60 s token is renewed after 30 s, not on every call", async () => {
    const clock = createManualClock();
    const start = clock.now();
    const requestToken = stubRequests({ lifetimeSeconds: 60 });
    const auth = manager(requestToken, clock);

    for (let i = 0; i < 100; i++) {
      expect((await auth.getToken()).accessToken).toBe("token-1");
      clock.advance(290); // 100 calls within the first 29 s
    }
    clock.set(start + 30 * SECOND - 1);
    await auth.getToken();
    expect(requestToken).toHaveBeenCalledTimes(1);

    clock.set(start + 30 * SECOND);
    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("measures expiresAt from when the request was sent, not when it answered", async () => {
    const clock = createManualClock();
    const sentAt = clock.now();
    const requestToken = stubRequests({ onRequest: () => clock.advance(5 * SECOND) });
    const auth = manager(requestToken, clock);

    const token = await auth.getToken();
    expect(clock.now()).toBe(sentAt + 5 * SECOND);
    expect(token.expiresAt).toBe(sentAt + 3600 * SECOND);

    // Renewal is due 300 s before that expiry, i.e. at sentAt + 3300 s.
    clock.set(sentAt + 3300 * SECOND - 1);
    expect((await auth.getToken()).accessToken).toBe("token-1");
    clock.set(sentAt + 3300 * SECOND);
    expect((await auth.getToken()).accessToken).toBe("token-2");
  });
});

describe("createTokenManager: single-flight", () => {
  it("makes exactly one request for 1,000 concurrent callers on a cold cache", async () => {
    const clock = createManualClock();
    const gate = gatedRequests();
    const auth = manager(gate.requestToken, clock);

    const calls = Array.from({ length: 1000 }, () => auth.getToken());
    await settle();
    expect(gate.requestToken).toHaveBeenCalledTimes(1);
    gate.release(0, "token-A");
    const tokens = await Promise.all(calls);

    expect(gate.requestToken).toHaveBeenCalledTimes(1);
    expect(tokens).toHaveLength(1000);
    expect(tokens.every((t) => t.accessToken === "token-A")).toBe(true);
  });

  it("makes exactly one request for 1,000 concurrent callers with an immediately-answering provider", async () => {
    const clock = createManualClock();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock);

    const tokens = await Promise.all(Array.from({ length: 1000 }, () => auth.getToken()));
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(["token-1"]));
  });

  it("makes exactly one more request for 1,000 concurrent callers when the token is due for renewal", async () => {
    const clock = createManualClock();
    const start = clock.now();
    const gate = gatedRequests();
    const auth = manager(gate.requestToken, clock);

    const first = auth.getToken();
    await settle();
    gate.release(0, "token-A");
    expect((await first).accessToken).toBe("token-A");

    clock.set(start + 3300 * SECOND);
    const calls = Array.from({ length: 1000 }, () => auth.getToken());
    await settle();
    expect(gate.requestToken).toHaveBeenCalledTimes(2);
    gate.release(1, "token-B");
    const tokens = await Promise.all(calls);

    expect(gate.requestToken).toHaveBeenCalledTimes(2);
    expect(tokens.every((t) => t.accessToken === "token-B")).toBe(true);
  });

  it("rejects every concurrent waiter with the same error and does not poison the cache", async () => {
    const clock = createManualClock();
    const gate = gatedRequests();
    const auth = manager(gate.requestToken, clock);
    const failure = new Error("provider is down");

    const calls = Array.from({ length: 1000 }, () => auth.getToken());
    await settle();
    gate.reject(0, failure);
    const results = await Promise.allSettled(calls);

    expect(gate.requestToken).toHaveBeenCalledTimes(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1000);
    expect(results.every((r) => r.status === "rejected" && r.reason === failure)).toBe(true);
    expect(auth.hasScope("anything")).toBe(false);

    const retry = auth.getToken();
    await settle();
    expect(gate.requestToken).toHaveBeenCalledTimes(2);
    gate.release(1, "token-after-failure");
    expect((await retry).accessToken).toBe("token-after-failure");
  });
});

describe("createTokenManager: invalidate, forceRefresh, hasScope", () => {
  it("invalidate() makes the next call fetch a new token", async () => {
    const clock = createManualClock();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock);

    expect((await auth.getToken()).accessToken).toBe("token-1");
    await auth.invalidate();
    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("invalidate(token) drops that token when it is still the cached one", async () => {
    const clock = createManualClock();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock);

    const first = await auth.getToken();
    await auth.invalidate(first.accessToken);
    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("invalidate(oldToken) does not delete a newer token", async () => {
    const clock = createManualClock();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock);

    const old = await auth.getToken();
    expect((await auth.getToken({ forceRefresh: true })).accessToken).toBe("token-2");
    await auth.invalidate(old.accessToken);

    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  // BUG (see report): when the store no longer holds the token (evicted by a shared store, or
  // deleted by another manager using the same key), `getToken()` keeps serving the manager's
  // in-memory copy, but `invalidate(thatToken)` returns early and leaves that copy in place, so
  // the next call hands out the very token that was just invalidated.
  it("invalidate(token) drops the token even when the store has already lost it", async () => {
    const clock = createManualClock();
    const store = createMemoryTokenStore({ clock });
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock, { store });

    const first = await auth.getToken();
    await store.delete(KEY); // evicted, or deleted by another process sharing the store
    await auth.invalidate(first.accessToken);

    const next = await auth.getToken();
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("forceRefresh fetches a new token even while the cached one is fresh, and caches it", async () => {
    const clock = createManualClock();
    const requestToken = stubRequests();
    const auth = manager(requestToken, clock);

    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect((await auth.getToken({ forceRefresh: true })).accessToken).toBe("token-2");
    expect((await auth.getToken()).accessToken).toBe("token-2");
    expect((await auth.getToken({ forceRefresh: false })).accessToken).toBe("token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("hasScope is false before the first token, then reflects the granted scopes", async () => {
    const clock = createManualClock();
    const auth = createTokenManager<"payments:read" | "payments:write" | "refunds:write">({
      cacheKey: KEY,
      clock,
      requestToken: stubRequests({ scopes: ["payments:read", "refunds:write"] }),
    });

    expect(auth.hasScope("payments:read")).toBe(false);
    await auth.getToken();
    expect(auth.hasScope("payments:read")).toBe(true);
    expect(auth.hasScope("refunds:write")).toBe(true);
    expect(auth.hasScope("payments:write")).toBe(false);
  });
});

describe("createTokenManager: the returned token", () => {
  it("keeps accessToken readable but out of JSON.stringify and util.inspect", async () => {
    const clock = createManualClock();
    const secretToken = "eyJhbGciOi.tok_9f8e7d6c5b4a";
    const auth = manager(async () => ({ accessToken: secretToken, expiresInSeconds: 3600, scopes: ["payments:read"] }), clock);
    const token = await auth.getToken();

    expect(token.accessToken).toBe(secretToken);
    expect(`Bearer ${token.accessToken}`).toBe(`Bearer ${secretToken}`);

    const json = JSON.stringify(token);
    expect(json).not.toContain(secretToken);
    expect(JSON.parse(json)).toEqual({ accessToken: "[REDACTED]", tokenType: "Bearer", expiresAt: token.expiresAt, scopes: ["payments:read"] });
    expect(JSON.stringify({ nested: { token } })).not.toContain(secretToken);

    const shown = inspect(token);
    expect(shown).not.toContain(secretToken);
    expect(shown).toContain("[REDACTED]");
    expect(inspect({ nested: { token } }, { depth: 10 })).not.toContain(secretToken);
  });

  it("is frozen", async () => {
    const clock = createManualClock();
    const token = await manager(stubRequests(), clock).getToken();
    expect(Object.isFrozen(token)).toBe(true);
    expect(Object.isFrozen(token.scopes)).toBe(true);
  });
});

describe("createTokenManager: custom TokenStore", () => {
  function spyStore() {
    const map = new Map<string, StoredToken>();
    const store = {
      get: vi.fn(async (key: string) => map.get(key)),
      set: vi.fn(async (key: string, token: StoredToken, _ttlMs: number) => {
        map.set(key, token);
      }),
      delete: vi.fn(async (key: string) => {
        map.delete(key);
      }),
    } satisfies TokenStore;
    return { store, map };
  }

  it("reads and writes the token under the cache key with a ttl of the token's lifetime", async () => {
    const clock = createManualClock();
    const sentAt = clock.now();
    const { store, map } = spyStore();
    const auth = manager(stubRequests(), clock, { store });

    const token = await auth.getToken();
    expect(store.get).toHaveBeenCalledWith(KEY, { onUndecryptable: expect.any(Function) });
    expect(store.set).toHaveBeenCalledTimes(1);
    expect(store.set).toHaveBeenCalledWith(
      KEY,
      { accessToken: "token-1", tokenType: "Bearer", obtainedAt: sentAt, expiresAt: sentAt + 3600 * SECOND, scopes: ["payments:read"] },
      3600 * SECOND,
    );
    expect(map.get(KEY)?.accessToken).toBe(token.accessToken);

    await auth.invalidate();
    expect(store.delete).toHaveBeenCalledWith(KEY);
    expect(map.has(KEY)).toBe(false);
  });

  it("passes the remaining lifetime as ttl when the request took time", async () => {
    const clock = createManualClock();
    const { store } = spyStore();
    const auth = manager(stubRequests({ onRequest: () => clock.advance(5 * SECOND) }), clock, { store });

    await auth.getToken();
    expect(store.set.mock.calls[0]?.[2]).toBe(3595 * SECOND);
  });

  it("serves a token another manager put in a shared store without requesting one", async () => {
    const clock = createManualClock();
    const { store } = spyStore();
    const firstRequests = stubRequests({ scopes: ["payments:write"] });
    const secondRequests = stubRequests();
    const first = manager(firstRequests, clock, { store });
    const second = manager(secondRequests, clock, { store });

    const a = await first.getToken();
    const b = await second.getToken();
    expect(b.accessToken).toBe(a.accessToken);
    expect(firstRequests).toHaveBeenCalledTimes(1);
    expect(secondRequests).toHaveBeenCalledTimes(0);
    expect(second.hasScope("payments:write")).toBe(true);
  });
});
