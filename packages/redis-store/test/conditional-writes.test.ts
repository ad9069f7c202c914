import { createCipheriv, createHash, randomBytes } from "node:crypto";
import type { StoredToken } from "@payauth/auth-core";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore } from "../src/index.js";
import { interleaving, pausing } from "./intercept.js";
import { startRedis, type RedisServer } from "./redis-server.js";

const encryptionKey = randomBytes(32);
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
afterEach(async () => {
  await redis.flushall();
});

const NOW = Date.now();
const token = (name: string, obtainedAt: number): StoredToken => ({
  accessToken: `eyJ.${name}.sig`,
  tokenType: "Bearer",
  obtainedAt,
  expiresAt: obtainedAt + 3_600_000,
  scopes: [],
});
const older = token("older", NOW - 1_000);
const newer = token("newer", NOW);

describe("conditional set and delete (issue 12, item 3)", () => {
  it("a paused holder's late set of an older token does not overwrite a newer one", async () => {
    const holder = createRedisTokenStore({ redis, encryptionKey });
    const other = createRedisTokenStore({ redis, encryptionKey });
    // The holder sent its token request first (older obtainedAt), then paused; the other process stored a newer token meanwhile.
    await other.set("k", newer, 60_000);
    await holder.set("k", older, 60_000);
    expect(await other.get("k")).toEqual(newer);
    // A later token still replaces it, and so does one obtained in the same millisecond.
    const later = token("later", NOW + 1);
    await holder.set("k", later, 60_000);
    expect(await other.get("k")).toEqual(later);
    const sameTime = token("same-time", NOW + 1);
    await other.set("k", sameTime, 60_000);
    expect(await holder.get("k")).toEqual(sameTime);
  });

  it("delete(key, accessToken) deletes only while the stored token is that one", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey });
    await store.set("k", newer, 60_000);
    await store.delete("k", older.accessToken);
    expect(await store.get("k")).toEqual(newer);
    await store.delete("k", newer.accessToken);
    expect(await store.get("k")).toBeUndefined();
    // Without accessToken: whatever is there.
    await store.set("k", newer, 60_000);
    await store.delete("k");
    expect(await redis.exists("{k}")).toBe(0);
  });

  it("delete(key, oldToken) racing a set of a new token never deletes the new token", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey });
    // As auth-core's invalidate() did: look, then delete. The deleting process reads the old token and
    // pauses before it deletes; another process stores the new token meanwhile.
    await store.set("k", older, 60_000);
    let paused = pausing(redis, "get");
    let deleter = createRedisTokenStore({ redis: paused.redis, encryptionKey });
    const invalidating = (async () => {
      if ((await deleter.get("k"))?.accessToken === older.accessToken) await deleter.delete("k", older.accessToken);
    })();
    await paused.reached;
    await store.set("k", newer, 60_000);
    paused.resume();
    await invalidating;
    expect(await store.get("k")).toEqual(newer);

    // The pause inside delete() itself: between its read and its compare-and-delete.
    await redis.flushall();
    await store.set("k", older, 60_000);
    paused = pausing(redis, "get");
    deleter = createRedisTokenStore({ redis: paused.redis, encryptionKey });
    const deleting = deleter.delete("k", older.accessToken);
    await Promise.race([paused.reached, deleting]);
    await store.set("k", newer, 60_000);
    paused.resume();
    await deleting;
    expect(await store.get("k")).toEqual(newer);
  });

  it("keeps the ttl it is given, and the obtainedAt it compares is bound to the value (altering it makes a miss)", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey });
    await store.set("k", older, 60_000);
    expect(await redis.pttl("{k}")).toBeGreaterThan(59_000);
    const raw = (await redis.get("{k}"))!;
    expect(raw.startsWith(`v2:${older.obtainedAt}:`)).toBe(true);
    expect(raw).not.toContain("older");
    await redis.set("{k}", raw.replace(`v2:${older.obtainedAt}:`, `v2:${older.obtainedAt + 10_000_000}:`));
    expect(await store.get("k")).toBeUndefined();
  });

  it("a value in the pre-release v1 format (no clear obtainedAt) is a miss, and any set replaces it", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey });
    await redis.set("{k}", encryptV1(older, "{k}"));
    expect(await store.get("k")).toBeUndefined();
    await store.delete("k", older.accessToken); // not readable, so not known to be that token: kept
    expect(await redis.exists("{k}")).toBe(1);
    await store.set("k", token("any", 0), 60_000);
    expect((await store.get("k"))?.accessToken).toBe("eyJ.any.sig");
    await redis.set("{k}", encryptV1(older, "{k}"));
    await store.delete("k");
    expect(await redis.exists("{k}")).toBe(0);
  });
});

/** A value as @payauth/redis-store wrote it before conditional writes: `v1.<key id>.<iv>.<ciphertext>.<tag>`, the Redis key as authenticated data. */
function encryptV1(stored: StoredToken, redisKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey, iv);
  cipher.setAAD(Buffer.from(redisKey));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(stored), "utf8"), cipher.final()]);
  const id = createHash("sha256").update(encryptionKey).digest("hex").slice(0, 8);
  return ["v1", id, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

describe("conditional writes, for the class: every interleaving of sets and deletes (fast-check)", () => {
  // Each store is a process; every command they send waits for its turn, in an order fast-check picks.
  const scenario = fc.record({
    obtainedAts: fc.uniqueArray(fc.integer({ min: 0, max: 1_000 }), { minLength: 2, maxLength: 5 }),
    deletes: fc.array(fc.nat(), { maxLength: 4 }),
    withInitial: fc.boolean(),
    order: fc.array(fc.nat(), { maxLength: 40 }),
  });

  it("whatever the order, the newest token set is the one left, and a delete(key, t) removes nothing but t", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ obtainedAts, deletes, withInitial, order }) => {
        await redis.del("{race}");
        const tokens = obtainedAts.map((at, i) => token(`t${i}`, NOW + at));
        const newest = tokens.reduce((a, b) => (b.obtainedAt > a.obtainedAt ? b : a));
        const initial = token("initial", NOW - 5_000);
        const plain = createRedisTokenStore({ redis, encryptionKey });
        if (withInitial) await plain.set("race", initial, 60_000);
        // Deletes aim at any token but the newest (the initial one included).
        const targets = [initial, ...tokens].filter((t) => t !== newest);
        let step = 0;
        const driver = interleaving(redis, (n) => (order[step++] ?? 0) % n);
        const store = () => createRedisTokenStore({ redis: driver.redis, encryptionKey, operationTimeoutMs: 10_000 });
        const results = await driver.run([
          ...tokens.map((t) => () => store().set("race", t, 60_000)),
          ...deletes.map((d) => () => store().delete("race", targets[d % targets.length]!.accessToken)),
        ]);
        expect(results.filter((r) => r.status === "rejected")).toEqual([]);
        expect(await plain.get("race")).toEqual(newest);
      }),
      { numRuns: 150 },
    );
  });
});
