// One process of a fleet, for fleet.test.ts and the benchmark: a Max Pay client on the shared
// Redis store (from this package's build), driven by messages from the parent.
import { createMaxPayClient } from "@payauth/maxpay";
import { maxPayFakeCredentials } from "@payauth/maxpay/testing";
import { Redis } from "ioredis";
import { createMemoryTokenStore } from "@payauth/auth-core";
import { createRedisTokenStore } from "../dist/index.js";

const env = process.env;
const redis = new Redis({ port: Number(env.REDIS_PORT), host: "127.0.0.1", maxRetriesPerRequest: 1, enableOfflineQueue: false });
redis.on("error", () => undefined);
await new Promise((resolve) => redis.once("ready", resolve));
const tokenStore =
  env.STORE === "memory"
    ? createMemoryTokenStore()
    : createRedisTokenStore({ redis, encryptionKey: env.ENCRYPTION_KEY, lockTtlMs: Number(env.LOCK_TTL_MS ?? 15_000), pollIntervalMs: 20 });
const maxpay = createMaxPayClient({ baseUrl: env.BASE_URL, ...maxPayFakeCredentials, tokenStore, retry: { maxAttempts: 1 } });

process.on("message", async (message) => {
  if (message.type === "calls") {
    const started = performance.now();
    const firstDone = [];
    const results = await Promise.all(
      Array.from({ length: message.count }, () =>
        maxpay.GET("/v1/me").then(
          (r) => {
            firstDone.push(performance.now() - started);
            return r.response.status;
          },
          (e) => e.code ?? "untyped",
        ),
      ),
    );
    process.send({ type: "calls-done", ok: results.filter((s) => s === 200).length, latencies: firstDone });
  } else if (message.type === "token") {
    maxpay.auth.getToken().then(
      () => process.send({ type: "token-done", ok: true }),
      (e) => process.send({ type: "token-done", ok: false, code: e.code }),
    );
  } else if (message.type === "invalidate") {
    await maxpay.auth.invalidate();
    process.send({ type: "invalidated" });
  } else if (message.type === "exit") {
    redis.disconnect();
    process.exit(0);
  }
});
process.send({ type: "ready" });
