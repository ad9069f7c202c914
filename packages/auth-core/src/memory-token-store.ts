import type { Clock, StoredToken, TokenStore } from "./types.js";

/** The default token store: a `Map` in this process, entries dropped once expired. */
export function createMemoryTokenStore(options: { clock?: Clock } = {}): TokenStore {
  const clock = options.clock ?? Date;
  const entries = new Map<string, { token: StoredToken; dropAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (clock.now() >= entry.dropAt) {
        entries.delete(key);
        return undefined;
      }
      return entry.token;
    },
    async set(key, token, ttlMs) {
      entries.set(key, { token, dropAt: clock.now() + Math.max(0, ttlMs) });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
