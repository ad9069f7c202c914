import type { Clock, StoredToken, TokenStore } from "./types.js";

/**
 * The default token store: a `Map` in this process, entries dropped once expired. `set` keeps
 * a token obtained later than the one offered, and `delete(key, accessToken)` deletes only that
 * token, as the `TokenStore` contract asks (clients sharing one store cannot undo each other).
 */
export function createMemoryTokenStore(options: { clock?: Clock } = {}): TokenStore {
  const clock = options.clock ?? Date;
  const entries = new Map<string, { token: StoredToken; dropAt: number }>();
  /** A provider's "not before" per key (epoch ms), shared by every client of this store. */
  const notBefore = new Map<string, number>();
  function live(key: string): StoredToken | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (clock.now() >= entry.dropAt) {
      entries.delete(key);
      return undefined;
    }
    return entry.token;
  }
  return {
    async get(key) {
      return live(key);
    },
    async set(key, token, ttlMs) {
      const current = live(key);
      if (current !== undefined && current.obtainedAt > token.obtainedAt) return;
      entries.set(key, { token, dropAt: clock.now() + Math.max(0, ttlMs) });
    },
    async delete(key, accessToken) {
      if (accessToken === undefined || entries.get(key)?.token.accessToken === accessToken) entries.delete(key);
    },
    async getNotBefore(key) {
      const until = notBefore.get(key);
      if (until !== undefined && until <= clock.now()) notBefore.delete(key);
      return notBefore.get(key);
    },
    async setNotBefore(key, epochMs) {
      notBefore.set(key, Math.max(epochMs, notBefore.get(key) ?? 0));
    },
  };
}
