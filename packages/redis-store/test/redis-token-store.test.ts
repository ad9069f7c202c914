import { randomBytes } from "node:crypto";
import type { StoredToken } from "@payauth/auth-core";
import { createMaxPayClient, type AuthEvent } from "@payauth/maxpay";
import { createHandlersFetch, createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore } from "../src/index.js";
import { startRedis, type RedisServer } from "./redis-server.js";

const key = randomBytes(32);
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
  if (redis.status === "ready") await redis.flushall();
});

const NOW = Date.now();
const token = (accessToken = "eyJ.secret-token.sig"): StoredToken => ({
  accessToken,
  tokenType: "Bearer",
  obtainedAt: NOW,
  expiresAt: NOW + 3_600_000,
  scopes: ["clients:read"],
});

describe("createRedisTokenStore", () => {
  it("stores tokens encrypted, with a TTL, under a secret-free key", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey: key, keyPrefix: "test:" });
    await store.set("payauth:maxpay:abc", token(), 60_000);
    const raw = await redis.get("test:{payauth:maxpay:abc}");
    expect(raw).toMatch(/^v2:\d+:/);
    expect(raw).not.toContain("secret-token");
    expect(await redis.pttl("test:{payauth:maxpay:abc}")).toBeGreaterThan(59_000);
    expect(await store.get("payauth:maxpay:abc")).toEqual(token());
    await store.delete("payauth:maxpay:abc");
    expect(await store.get("payauth:maxpay:abc")).toBeUndefined();
  });

  it("does not decrypt with another key, after tampering, or under another key name", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey: key });
    await store.set("a", token(), 60_000);
    const raw = (await redis.get("{a}"))!;
    expect(await createRedisTokenStore({ redis, encryptionKey: randomBytes(32) }).get("a")).toBeUndefined();
    await redis.set("{a}", raw.slice(0, -3) + (raw.endsWith("AAA") ? "BBB" : "AAA"));
    expect(await store.get("a")).toBeUndefined();
    await redis.set("{b}", raw);
    expect(await store.get("b")).toBeUndefined();
  });

  it("does not decrypt a value whose GCM tag was cut short (issue 12, item 9): a miss", async () => {
    const store = createRedisTokenStore({ redis, encryptionKey: key });
    await store.set("t", token(), 60_000);
    const raw = (await redis.get("{t}"))!;
    const parts = raw.split(".");
    const tag = Buffer.from(parts.at(-1)!, "base64url");
    expect(tag).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      await redis.set("{t}", [...parts.slice(0, -1), tag.subarray(0, length).toString("base64url")].join("."));
      expect(await store.get("t")).toBeUndefined();
    }
    await redis.set("{t}", raw);
    expect(await store.get("t")).toEqual(token());
  });

  it("rotates keys: the first encrypts, older ones still decrypt", async () => {
    const old = randomBytes(32);
    await createRedisTokenStore({ redis, encryptionKey: old }).set("k", token(), 60_000);
    const rotated = createRedisTokenStore({ redis, encryptionKey: [randomBytes(32).toString("base64"), old.toString("hex")] });
    expect(await rotated.get("k")).toEqual(token());
  });

  it("rejects bad options with a message naming them", () => {
    expect(() => createRedisTokenStore({ redis, encryptionKey: "too-short" })).toThrow(/`encryptionKey`/);
    expect(() => createRedisTokenStore({ redis: {} as Redis, encryptionKey: key })).toThrow(/`redis`/);
    expect(() => createRedisTokenStore({ redis, encryptionKey: key, lockTtlMs: 0 })).toThrow(/`lockTtlMs`/);
  });

  it("lets two clients in one process share one token request", async () => {
    const fake = createMaxPayFake();
    const fetch = createHandlersFetch(fake.handlers);
    const tokenStore = createRedisTokenStore({ redis, encryptionKey: key });
    const make = () => createMaxPayClient({ baseUrl: "https://api.maxpay.test", ...maxPayFakeCredentials, fetch, tokenStore });
    const [a, b] = [make(), make()];
    const calls = await Promise.all([...Array.from({ length: 50 }, () => a.GET("/v1/me")), ...Array.from({ length: 50 }, () => b.GET("/v1/me"))]);
    expect(calls.every((c) => c.response.status === 200)).toBe(true);
    expect(fake.stats.tokensIssued).toBe(1);
  });

  it("falls back to memory while Redis is down, says so, and uses Redis again when it is back", async () => {
    const fake = createMaxPayFake();
    const events: AuthEvent[] = [];
    const tokenStore = createRedisTokenStore({ redis, encryptionKey: key, operationTimeoutMs: 300 });
    const maxpay = createMaxPayClient({
      baseUrl: "https://api.maxpay.test",
      ...maxPayFakeCredentials,
      fetch: createHandlersFetch(fake.handlers),
      tokenStore,
      onEvent: (e) => events.push(e),
    });
    expect((await maxpay.GET("/v1/me")).response.status).toBe(200);
    await server.stop();
    await maxpay.auth.invalidate();
    const during = await Promise.all(Array.from({ length: 20 }, () => maxpay.GET("/v1/me")));
    expect(during.every((c) => c.response.status === 200)).toBe(true);
    expect(fake.stats.tokensIssued).toBe(2);
    expect(events.filter((e) => e.type === "token-store-failed").length).toBeGreaterThan(0);
    await server.start();
    await waitUntil(async () => redis.status === "ready");
    await maxpay.auth.invalidate();
    expect((await maxpay.GET("/v1/me")).response.status).toBe(200);
    expect(await redis.keys("{payauth:maxpay:*}")).toHaveLength(1);
  });
});

async function waitUntil(check: () => Promise<boolean>, limit = 100): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("condition not met");
}
