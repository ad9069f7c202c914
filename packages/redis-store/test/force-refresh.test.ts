import { randomBytes } from "node:crypto";
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

// The fix is auth-core's (the token manager's isFresh, given to coordinate(), rejects a token
// obtained before the force); this checks it end to end on the Redis store.
describe("getToken({ forceRefresh: true }) on the Redis store (issue 12, item 3)", () => {
  it("sends a new token request instead of returning the stored token, and stores the new one for the fleet", async () => {
    const fake = createMaxPayFake();
    const fetch = createHandlersFetch(fake.handlers);
    const encryptionKey = randomBytes(32);
    const keyPrefix = `${Math.random()}:`;
    const client = () =>
      createMaxPayClient({ baseUrl: "https://api.maxpay.test", ...maxPayFakeCredentials, fetch, tokenStore: createRedisTokenStore({ redis, encryptionKey, keyPrefix }) });
    const [one, other] = [client(), client()];
    const first = await one.auth.getToken();
    expect(fake.stats.tokenRequests).toBe(1);

    const forced = await one.auth.getToken({ forceRefresh: true });
    expect(fake.stats.tokenRequests).toBe(2);
    expect(forced.accessToken).not.toBe(first.accessToken);

    // Another process forcing while the store holds a token it never saw: a request too.
    const forcedElsewhere = await other.auth.getToken({ forceRefresh: true });
    expect(fake.stats.tokenRequests).toBe(3);
    expect(forcedElsewhere.accessToken).not.toBe(forced.accessToken);
    // And the fleet now shares that newest token.
    const third = client();
    expect((await third.auth.getToken()).accessToken).toBe(forcedElsewhere.accessToken);
    expect(fake.stats.tokenRequests).toBe(3);
  });
});
