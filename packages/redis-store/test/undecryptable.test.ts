import { randomBytes } from "node:crypto";
import type { AuthEvent } from "@payauth/auth-core";
import { createMaxPayClient } from "@payauth/maxpay";
import { createHandlersFetch, createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore } from "../src/index.js";
import { startRedis, type RedisServer } from "./redis-server.js";

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

// Issue 17: processes of a fleet with different encryption keys overwrite each other's tokens,
// each reading the other's as a miss. Now each such read says so.
describe("a value none of the store's keys decrypts (issue 17)", () => {
  it("get() reports it through onUndecryptable and answers undefined; a value it can read, or none, is not reported", async () => {
    const keyPrefix = `${Math.random()}:`;
    const ours = createRedisTokenStore({ redis, encryptionKey: randomBytes(32), keyPrefix });
    const theirs = createRedisTokenStore({ redis, encryptionKey: randomBytes(32), keyPrefix });
    const token = { accessToken: "at-1", tokenType: "Bearer" as const, obtainedAt: Date.now(), expiresAt: Date.now() + 60_000, scopes: [] };
    let reports = 0;
    const onUndecryptable = () => void reports++;

    expect(await ours.get("payauth:maxpay:k", { onUndecryptable })).toBeUndefined();
    await theirs.set("payauth:maxpay:k", token, 60_000);
    expect(await ours.get("payauth:maxpay:k", { onUndecryptable })).toBeUndefined();
    expect(reports).toBe(1);
    expect(await theirs.get("payauth:maxpay:k", { onUndecryptable })).toEqual(token);
    expect(reports).toBe(1);
  });

  it("two processes with different keys: each cold call emits token-store-undecryptable and fetches (store-miss)", async () => {
    const fake = createMaxPayFake();
    const fetch = createHandlersFetch(fake.handlers);
    const keyPrefix = `${Math.random()}:`;
    const process = (encryptionKey: Buffer) => {
      const events: AuthEvent[] = [];
      const client = createMaxPayClient({ baseUrl: "https://api.maxpay.test", ...maxPayFakeCredentials, fetch, onEvent: (e) => events.push(e), tokenStore: createRedisTokenStore({ redis, encryptionKey, keyPrefix }) });
      return { client, events };
    };
    const a = process(randomBytes(32));
    const b = process(randomBytes(32));

    await a.client.auth.getToken();
    await b.client.auth.getToken();
    expect(fake.stats.tokenRequests).toBe(2);
    expect(a.events.map((e) => e.type)).toEqual(["token-fetched"]);
    // B read A's token (undecryptable), then, holding the lock, read it again: one event per read.
    expect(b.events.filter((e) => e.type === "token-store-undecryptable")).toEqual([
      { type: "token-store-undecryptable", provider: "maxpay", operation: "get" },
      { type: "token-store-undecryptable", provider: "maxpay", operation: "coordinate" },
    ]);
    expect(b.events.find((e) => e.type === "token-fetched")).toMatchObject({ reason: "store-miss" });
  });
});
