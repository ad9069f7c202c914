import { randomBytes } from "node:crypto";
import type { StoredToken, TokenStore } from "@payauth/auth-core";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore } from "../src/index.js";
import { startRedis, type RedisServer } from "./redis-server.js";

// A platform's merchants: 10,000 credentials in one Redis.
const CREDENTIALS = 10_000;
let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = await server.client();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const token = (i: number, lifetimeMs: number): StoredToken => {
  const obtainedAt = Date.now();
  return { accessToken: `eyJhbGciOiJSUzI1NiJ9.${randomBytes(120).toString("base64url")}.${i}`, tokenType: "Bearer", obtainedAt, expiresAt: obtainedAt + lifetimeMs, scopes: ["clients:read", "payments:write"] };
};
const credential = (i: number) => `payauth:maxpay:${i.toString(16).padStart(64, "0")}`;

async function inBatches(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += 500) await Promise.all(Array.from({ length: Math.min(500, count - start) }, (_, j) => work(start + j)));
}

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "COUNT", 1_000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys;
}

describe(`${CREDENTIALS.toLocaleString("en")} credentials in one Redis (issue 15, item 4)`, () => {
  it("every key has a TTL (a token its remaining life, a lock its lease, a not-before its wait), nothing accumulates, and a credential costs under 1 KB", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey: randomBytes(32), lockTtlMs: 60_000, operationTimeoutMs: 30_000 });
    const coordinate = store.coordinate as NonNullable<TokenStore["coordinate"]>;
    const baseline = Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]);
    // Each credential cold-starts through the lock (taken, then released), its token living a minute.
    await inBatches(CREDENTIALS, (i) =>
      coordinate(credential(i), async () => {
        const t = token(i, 60_000);
        await store.set(credential(i), t, 60_000);
        return t;
      }, { isFresh: (t) => t.expiresAt > Date.now() }),
    );
    // A tenth of them were told by their provider to wait 3 s, and 100 locks are held right now.
    await inBatches(CREDENTIALS / 10, (i) => store.setNotBefore!(credential(i * 10), Date.now() + 3_000));
    const holders = Array.from({ length: 100 }, (_, i) => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const done = coordinate(`payauth:maxpay:held-${i}`, async () => {
        await held;
        return token(i, 60_000);
      }, { isFresh: () => false });
      return { release, done };
    });
    while ((await redis.keys("*:lock")).length < 100) await sleep(10);

    const keys = await allKeys();
    const ttls = await redis.pipeline(keys.map((k) => ["pttl", k])).exec();
    const ttl = new Map(keys.map((k, i) => [k, ttls![i]![1] as number]));
    const kind = (suffix: string) => keys.filter((k) => k.endsWith(suffix));
    expect(kind("}")).toHaveLength(CREDENTIALS);
    expect(kind(":lock")).toHaveLength(100);
    // (A not-before whose 3 s ran out before this look is already gone: that is the point.)
    expect(kind(":not-before").length).toBeLessThanOrEqual(CREDENTIALS / 10);
    expect(keys.length).toBe(CREDENTIALS + 100 + kind(":not-before").length);
    // PTTL -1: no TTL. (-2: gone since the SCAN.)
    expect(keys.filter((k) => ttl.get(k) === -1)).toEqual([]);
    expect(Math.max(...kind("}").map((k) => ttl.get(k)!))).toBeLessThanOrEqual(60_000);
    expect(Math.max(...kind(":lock").map((k) => ttl.get(k)!))).toBeLessThanOrEqual(60_000);
    expect(Math.max(...kind(":not-before").map((k) => ttl.get(k)!), 0)).toBeLessThanOrEqual(3_000);

    // Memory: the tokens' keys as Redis counts them (MEMORY USAGE), and the server's growth.
    const usage = await redis.pipeline(kind("}").map((k) => ["memory", "usage", k])).exec();
    const perToken = usage!.reduce((sum, [, bytes]) => sum + (bytes as number), 0) / CREDENTIALS;
    const grown = Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]) - baseline;
    console.log(`MEMORY USAGE per token key: ${Math.round(perToken)} B; used_memory growth per credential: ${Math.round(grown / CREDENTIALS)} B`);
    expect(perToken).toBeLessThan(1_024);
    expect(grown / CREDENTIALS).toBeLessThan(1_024);

    // Renewed once (tokens that live 2 s this time): the same keys are replaced, none added, no lock left.
    for (const h of holders) h.release();
    await Promise.all(holders.map((h) => h.done));
    await inBatches(CREDENTIALS, (i) => store.set(credential(i), token(i, 2_000), 2_000));
    const after = await allKeys();
    expect(after.filter((k) => k.endsWith("}"))).toHaveLength(CREDENTIALS);
    expect(after.filter((k) => k.endsWith(":lock"))).toEqual([]);
    // And when their lives end, nothing is left.
    const deadline = Date.now() + 20_000;
    while ((await redis.dbsize()) > 0 && Date.now() < deadline) await sleep(250);
    expect(await redis.dbsize()).toBe(0);
  });
});
