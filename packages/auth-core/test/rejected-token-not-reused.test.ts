import { describe, expect, it } from "vitest";
import { createTokenManager } from "../src/create-token-manager.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { CoordinateOptions, StoredToken, TokenGrant, TokenStore } from "../src/types.js";

// A token the API rejected is never handed out again by this manager, whatever the shared store
// still holds: its `delete` may fail (a store that is briefly away, a Durable Object call that
// throws under load) or lose a race with another process. Seen in pnpm test:runtimes, once, as 11
// of 60 Workers requests answered 401 after a revocation: the replay had taken the rejected token
// back from the store, since a read of the store made it "fresh" again.

function grants(): { requestToken: () => Promise<TokenGrant>; issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    requestToken: async () => {
      const accessToken = `token-${issued.length + 1}`;
      issued.push(accessToken);
      return { accessToken, expiresInSeconds: 3600, scopes: undefined };
    },
  };
}

/** A shared store (not the manager's own) whose deletes fail while `failing` is set. */
function flakyStore(options: { coordinate?: boolean } = {}): TokenStore & { failing: boolean; stored: () => Promise<StoredToken | undefined> } {
  const inner = createMemoryTokenStore();
  const store = {
    failing: false,
    stored: () => inner.get("k"),
    get: (key: string) => inner.get(key),
    set: (key: string, token: StoredToken, ttlMs: number) => inner.set(key, token, ttlMs),
    delete: async (key: string, accessToken?: string) => {
      if (store.failing) throw new Error("store away");
      return inner.delete(key, accessToken);
    },
  };
  if (!options.coordinate) return store;
  // A store that coordinates: answers what it holds when fresh, else fetches (one process here).
  return Object.assign(store, {
    async coordinate(key: string, fetch: () => Promise<StoredToken>, { isFresh }: CoordinateOptions) {
      const held = await inner.get(key);
      return held !== undefined && isFresh(held) ? held : fetch();
    },
  });
}

describe("a rejected token is not taken back from the store", () => {
  it.each([
    ["a store without coordinate()", false],
    ["a store with coordinate()", true],
  ])("%s whose delete fails: the replay gets a new token, not the rejected one", async (_, coordinate) => {
    const { requestToken, issued } = grants();
    const store = flakyStore({ coordinate });
    const manager = createTokenManager({ cacheKey: "k", requestToken, store, clock: createManualClock() });
    const first = await manager.getToken();
    expect(first.accessToken).toBe("token-1");
    store.failing = true;
    expect(await manager.tokenRejected("token-1")).toBe(true);
    expect((await store.stored())?.accessToken).toBe("token-1"); // the delete failed: still there
    const replay = await manager.getToken();
    expect(replay.accessToken).toBe("token-2");
    expect(issued).toEqual(["token-1", "token-2"]);
    // And later calls keep the new one.
    store.failing = false;
    expect((await manager.getToken()).accessToken).toBe("token-2");
  });

  it("another manager on the same store, which never saw the 401, still reads what the store holds", async () => {
    const { requestToken } = grants();
    const store = flakyStore();
    const a = createTokenManager({ cacheKey: "k", requestToken, store, clock: createManualClock() });
    const b = createTokenManager({ cacheKey: "k", requestToken, store, clock: createManualClock() });
    await a.getToken();
    store.failing = true;
    await a.tokenRejected("token-1");
    expect((await a.getToken()).accessToken).toBe("token-2");
    expect((await b.getToken()).accessToken).toBe("token-2");
  });
});

// The class: whichever of a shared store's operations fail around a rejection, alone or together,
// with or without coordinate(), the token the API rejected is never handed out again, and the next
// token is the one request's worth that replaced it.
describe("a rejected token is never handed out again, whatever store operations fail", () => {
  type Op = "get" | "set" | "delete" | "coordinate";
  const OPS: Op[] = ["get", "set", "delete", "coordinate"];
  const subsets = Array.from({ length: 1 << OPS.length }, (_, mask) => OPS.filter((_, i) => mask & (1 << i)));
  const cases = subsets.flatMap((failing) => [true, false].map((coordinate) => [failing.join("+") || "none", coordinate, failing] as const));

  it.each(cases)("failing: %s, coordinate(): %s", async (_, coordinate, failing) => {
    const { requestToken, issued } = grants();
    const inner = createMemoryTokenStore();
    let broken = false;
    const fail = (op: Op) => {
      if (broken && failing.includes(op)) throw new Error(`store ${op} away`);
    };
    const store: TokenStore = {
      get: async (key) => (fail("get"), inner.get(key)),
      set: async (key, token, ttlMs) => (fail("set"), inner.set(key, token, ttlMs)),
      delete: async (key, accessToken) => (fail("delete"), inner.delete(key, accessToken)),
      ...(coordinate
        ? {
            async coordinate(key: string, fetch: () => Promise<StoredToken>, { isFresh }: CoordinateOptions) {
              fail("coordinate");
              const held = await inner.get(key);
              return held !== undefined && isFresh(held) ? held : fetch();
            },
          }
        : {}),
    };
    const manager = createTokenManager({ cacheKey: "k", requestToken, store, clock: createManualClock() });
    expect((await manager.getToken()).accessToken).toBe("token-1");
    broken = true;
    expect(await manager.tokenRejected("token-1")).toBe(true);
    for (let i = 0; i < 3; i++) expect((await manager.getToken()).accessToken).toBe("token-2");
    broken = false;
    expect((await manager.getToken()).accessToken).toBe("token-2");
    expect(issued).toEqual(["token-1", "token-2"]);
  });
});
