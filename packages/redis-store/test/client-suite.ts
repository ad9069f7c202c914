import { randomBytes } from "node:crypto";
import type { StoredToken, TokenStore } from "@payauth/auth-core";
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore, type RedisClient, type RedisTokenStoreOptions } from "../src/index.js";
import { close, isReady, makeClient, ready, type ClusterKind, type StandaloneKind } from "./clients.mjs";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let counter = 0;
export const newToken = (lifetimeMs = 3_600_000): StoredToken => {
  const obtainedAt = Date.now();
  return { accessToken: `eyJ.token-${++counter}.sig`, tokenType: "Bearer", obtainedAt, expiresAt: obtainedAt + lifetimeMs, scopes: [] };
};
const isFresh = (t: StoredToken) => t.expiresAt > Date.now();
type Coordinate = NonNullable<TokenStore["coordinate"]>;

/** A client with its `duplicate()` calls recorded (the store's subscriber connections). */
function watched(client: RedisClient) {
  const duplicates: RedisClient[] = [];
  const proxy = new Proxy(client, {
    get(target, property) {
      // node-redis keeps private fields: `this` must be the client itself, not the proxy.
      const value: unknown = Reflect.get(target, property, target);
      if (property === "duplicate") {
        return () => {
          const d = (value as () => RedisClient).call(target);
          duplicates.push(d);
          return d;
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { redis: proxy, duplicates };
}

const closed = (c: RedisClient) => {
  const x = c as unknown as { status?: string; isOpen?: boolean };
  return x.status === undefined ? x.isOpen === false : x.status === "end" || x.status === "close";
};

/**
 * The same tests for every client kind: `where` locates the server (one port, or the cluster's
 * ports) and `admin` is an ioredis client (or Cluster) to look at what the store wrote.
 */
export function clientSuite(kinds: readonly (StandaloneKind | ClusterKind)[], setup: () => Promise<{ where: { port?: number; ports?: number[] }; admin: () => Redis | Cluster }>) {
  describe.each(kinds)("%s", (kind) => {
    let where: { port?: number; ports?: number[] };
    let admin: Redis | Cluster;
    let client: RedisClient;
    const encryptionKey = randomBytes(32);
    const store = (options: Partial<RedisTokenStoreOptions> = {}, redis = client) => createRedisTokenStore({ redis, encryptionKey, ...options });

    beforeAll(async () => {
      const s = await setup();
      where = s.where;
      admin = s.admin();
      client = await ready(await makeClient(kind, where));
    });
    afterAll(() => close(client));

    it("stores an encrypted token under the credential's hash tag with its remaining life as TTL; conditional set and delete", async () => {
      const key = `payauth:maxpay:${kind}-basic`;
      const s = store({ keyPrefix: "app:" });
      const older = newToken();
      const newer = { ...newToken(), obtainedAt: older.obtainedAt + 1 };
      await s.set(key, newer, 60_000);
      await s.set(key, older, 60_000); // obtained earlier: kept out
      const raw = await admin.get(`app:{${key}}`);
      expect(raw).toMatch(/^v2:\d+:/);
      expect(raw).not.toContain("token-");
      expect(await admin.pttl(`app:{${key}}`)).toBeGreaterThan(59_000);
      expect(await s.get(key)).toEqual(newer);
      await s.delete(key, older.accessToken); // not the stored one: kept
      expect(await s.get(key)).toEqual(newer);
      await s.delete(key, newer.accessToken);
      expect(await s.get(key)).toBeUndefined();
    });

    it("a tampered value, one under another key, or one from another encryption key is a miss", async () => {
      const key = `payauth:maxpay:${kind}-tamper`;
      const s = store();
      await s.set(key, newToken(), 60_000);
      const raw = (await admin.get(`{${key}}`))!;
      await admin.set(`{${key}}`, raw.slice(0, -3) + (raw.endsWith("AAA") ? "BBB" : "AAA"));
      expect(await s.get(key)).toBeUndefined();
      await admin.set(`{${key}-other}`, raw);
      expect(await s.get(`${key}-other`)).toBeUndefined();
      await admin.set(`{${key}}`, raw);
      expect(await createRedisTokenStore({ redis: client, encryptionKey: randomBytes(32) }).get(key)).toBeUndefined();
    });

    it("one fetch for 4 processes × 5 concurrent waits; waiters are woken by the holder's token (pub/sub), not by polling", async () => {
      const key = `payauth:maxpay:${kind}-wake`;
      // A poll every 10 s (a safety net every 200 s): a waiter that returns quickly was woken.
      const stores = Array.from({ length: 4 }, () => store({ pollIntervalMs: 10_000 }));
      let fetches = 0;
      const started = performance.now();
      const fetch = (s: TokenStore) => async () => {
        fetches++;
        await sleep(300);
        const t = newToken();
        await s.set(key, t, 60_000);
        return t;
      };
      const results = await Promise.all(stores.flatMap((s) => Array.from({ length: 5 }, () => (s.coordinate as Coordinate)(key, fetch(s), { isFresh }))));
      const tookMs = performance.now() - started;
      expect(fetches).toBe(1);
      expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
      expect(tookMs).toBeLessThan(5_000);
      // Lock released, nothing left but the token.
      expect(await admin.exists(`{${key}}:lock`)).toBe(0);
    });

    it("a holder that fails wakes the waiters (its release is published): one takes over at once", async () => {
      const key = `payauth:maxpay:${kind}-fail`;
      const [a, b, c] = [store({ pollIntervalMs: 10_000 }), store({ pollIntervalMs: 10_000 }), store({ pollIntervalMs: 10_000 })];
      const outcomes: string[] = [];
      const fetchOf = (s: TokenStore, fail: boolean) => async () => {
        outcomes.push(fail ? "failed" : "fetched");
        await sleep(200);
        if (fail) throw new Error("token endpoint failed");
        const t = newToken();
        await s.set(key, t, 60_000);
        return t;
      };
      const started = performance.now();
      const holding = (a.coordinate as Coordinate)(key, fetchOf(a, true), { isFresh }).catch((e: Error) => e.message);
      while ((await admin.exists(`{${key}}:lock`)) === 0) await sleep(5);
      const [rb, rc] = await Promise.all([(b.coordinate as Coordinate)(key, fetchOf(b, false), { isFresh }), (c.coordinate as Coordinate)(key, fetchOf(c, false), { isFresh })]);
      expect(await holding).toBe("token endpoint failed");
      expect(outcomes).toEqual(["failed", "fetched"]);
      expect(rb).toEqual(rc);
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it("without pub/sub (no duplicate()), waiters poll every pollIntervalMs", async () => {
      const key = `payauth:maxpay:${kind}-poll`;
      const plain = new Proxy(client, {
        get: (target, property) => {
          if (property === "duplicate") return undefined;
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const [a, b] = [store({ pollIntervalMs: 20 }, plain), store({ pollIntervalMs: 20 }, plain)];
      const t = newToken();
      let fetches = 0;
      const holding = (a.coordinate as Coordinate)(key, async () => {
        fetches++;
        await sleep(200);
        await a.set(key, t, 60_000);
        return t;
      }, { isFresh });
      while ((await admin.exists(`{${key}}:lock`)) === 0) await sleep(5);
      expect(await (b.coordinate as Coordinate)(key, async () => (fetches++, t), { isFresh })).toEqual(t);
      await holding;
      expect(fetches).toBe(1);
    });

    it("the subscriber connection is made lazily, shared by a store's waiters, closed when none waits; no listener left on the client", async () => {
      const base = `payauth:maxpay:${kind}-sub`;
      const events = ["ready", "error", "message", "end", "connect"];
      const emitter = client as unknown as { listenerCount(e: string): number };
      const before = events.map((e) => emitter.listenerCount(e));
      const { redis, duplicates } = watched(client);
      const s = store({}, redis);
      const other = store();
      await s.get(base);
      await s.set(base, newToken(), 60_000);
      expect(duplicates).toHaveLength(0); // no waiter yet: no subscriber
      await s.delete(base);
      for (let round = 0; round < 2; round++) {
        // A credential per round: on a Cluster, the last round's message may still be crossing the
        // cluster bus to the node the new subscriber uses (this test is about the connection).
        const key = `${base}-${round}`;
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const t = newToken();
        const holding = (other.coordinate as Coordinate)(key, async () => {
          await gate;
          await other.set(key, t, 60_000);
          return t;
        }, { isFresh });
        while ((await admin.exists(`{${key}}:lock`)) === 0) await sleep(5);
        // Two waiters of one store: one subscriber connection.
        const waits = [
          (s.coordinate as Coordinate)(key, async () => t, { isFresh }),
          (s.coordinate as Coordinate)(key, async () => t, { isFresh }),
        ];
        await sleep(300);
        expect(duplicates).toHaveLength(round + 1);
        release();
        expect(await Promise.all(waits)).toEqual([t, t]);
        await holding;
        await sleep(100);
        expect(closed(duplicates[round]!)).toBe(true);
        await s.delete(key);
      }
      expect(events.map((e) => emitter.listenerCount(e))).toEqual(before);
    });

    it("remembers a provider's not-before for the wait, as a key with that TTL; a shorter one does not shorten it", async () => {
      const key = `payauth:maxpay:${kind}-nb`;
      const s = store();
      expect(await s.getNotBefore!(key)).toBeUndefined();
      const until = Date.now() + 3_000;
      await s.setNotBefore!(key, until);
      expect(await store().getNotBefore!(key)).toBe(until);
      const ttl = await admin.pttl(`{${key}}:not-before`);
      expect(ttl).toBeGreaterThan(2_000);
      expect(ttl).toBeLessThanOrEqual(3_000);
      await s.setNotBefore!(key, Date.now() + 1_000);
      expect(await s.getNotBefore!(key)).toBe(until);
      await s.setNotBefore!(key, Date.now() - 1); // past: nothing written
      expect(await s.getNotBefore!(key)).toBe(until);
    });

    it("a client still connecting is waited for (within operationTimeoutMs), not taken for an outage", async () => {
      const key = `payauth:maxpay:${kind}-early`;
      const fresh = await makeClient(kind, where);
      try {
        expect(isReady(fresh)).toBe(false);
        const s = store({ operationTimeoutMs: 5_000 }, fresh);
        const t = newToken();
        await s.set(key, t, 60_000);
        expect(await s.get(key)).toEqual(t);
      } finally {
        close(fresh);
      }
    });
  });
}
