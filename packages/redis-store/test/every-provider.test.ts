import { randomBytes } from "node:crypto";
import type { ClientAuth, FetchLike, TokenStore } from "@payauth/auth-core";
import { createHandlersFetch, type ProviderFake } from "@payauth/auth-core/testing";
import { createAutopayClient } from "@payauth/autopay";
import { autopayFakeCredentials, createAutopayFake } from "@payauth/autopay/testing";
import { createGetpaidClient } from "@payauth/getpaid";
import { createGetpaidFake, getpaidFakeCredentials } from "@payauth/getpaid/testing";
import { createMaxPayClient } from "@payauth/maxpay";
import { createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import { createPayMeClient } from "@payauth/payme";
import { createPayMeFake, payMeFakeCredentials } from "@payauth/payme/testing";
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

const origin = "https://api.fleet.test";
const providers: { name: string; fake: () => ProviderFake; client: (fetch: FetchLike, tokenStore: TokenStore) => { auth: ClientAuth } }[] = [
  { name: "maxpay", fake: () => createMaxPayFake(), client: (fetch, tokenStore) => createMaxPayClient({ baseUrl: origin, ...maxPayFakeCredentials, fetch, tokenStore }) },
  {
    name: "payme",
    fake: () => createPayMeFake(),
    client: (fetch, tokenStore) => createPayMeClient({ environment: "preprod", tokenUrl: `${origin}/token`, baseUrl: origin, ...payMeFakeCredentials, fetch, tokenStore }),
  },
  {
    name: "getpaid",
    fake: () => createGetpaidFake(),
    client: (fetch, tokenStore) => createGetpaidClient({ environment: "sandbox", tokenUrl: `${origin}/oauth/token`, baseUrl: origin, ...getpaidFakeCredentials.sandbox, fetch, tokenStore }),
  },
  {
    name: "autopay",
    fake: () => createAutopayFake(),
    client: (fetch, tokenStore) => createAutopayClient({ tokenUrl: `${origin}/oauth/token`, baseUrl: origin, ...autopayFakeCredentials, fetch, tokenStore }),
  },
];

describe.each(providers)("$name on the Redis store, unchanged", ({ fake: createFake, client }) => {
  it("three clients, 100 concurrent getToken() calls each: one token request, one token", async () => {
    const fake = createFake();
    const fetch = createHandlersFetch(fake.handlers);
    const tokenStore = createRedisTokenStore({ redis, encryptionKey: randomBytes(32), keyPrefix: `${Math.random()}:` });
    const clients = [client(fetch, tokenStore), client(fetch, tokenStore), client(fetch, tokenStore)];
    const tokens = await Promise.all(clients.flatMap((c) => Array.from({ length: 100 }, () => c.auth.getToken())));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(fake.stats.tokenRequests).toBe(1);
  });
});
