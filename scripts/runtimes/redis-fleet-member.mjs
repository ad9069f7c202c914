// One process of a fleet sharing @payauth/redis-store over TCP (redis-fleet.mjs starts several,
// on Node, Bun or Deno). argv: one JSON argument
//   { fake, redisPort, client: "ioredis" | "node-redis", calls, encryptionKey, keyPrefix }
// Connects, prints {"type":"ready"}, waits for a line on stdin (so the whole fleet starts cold at
// once), makes `calls` concurrent calls, prints {"type":"done", ok, failed, storeFailures, mode},
// closes its Redis connection and ends by itself.
import process from "node:process";
import { createRedisTokenStore } from "@payauth/redis-store";
import { createClient } from "./scenarios.mjs";

const options = JSON.parse(process.argv[process.argv.length - 1]);
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function connect() {
  if (options.client === "ioredis") {
    const { Redis } = await import("ioredis");
    // The README's settings: fail fast instead of queueing while Redis is away.
    const redis = new Redis({ host: "127.0.0.1", port: options.redisPort, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000 });
    redis.on("error", () => undefined);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("ioredis: not ready within 10 s")), 10_000);
      redis.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return { store: createRedisTokenStore({ redis, encryptionKey: options.encryptionKey, keyPrefix: options.keyPrefix }), mode: "ioredis", close: () => redis.quit() };
  }
  const { createClient: createRedisClient } = await import("redis");
  const client = createRedisClient({ socket: { host: "127.0.0.1", port: options.redisPort, connectTimeout: 5000, reconnectStrategy: false } });
  client.on("error", () => undefined);
  await client.connect();
  const close = () => (typeof client.close === "function" ? client.close() : client.quit());
  // The client as it is: the store takes node-redis (createClient) by duck typing.
  return { store: createRedisTokenStore({ redis: client, encryptionKey: options.encryptionKey, keyPrefix: options.keyPrefix }), mode: "node-redis", close };
}

const { store, mode, close } = await connect();
let storeFailures = 0;
const client = createClient(options.fake, {
  tokenStore: store,
  onEvent: (event) => {
    if (event.type === "token-store-failed") storeFailures++;
  },
});

say({ type: "ready" });
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.pause();

const results = await Promise.allSettled(
  Array.from({ length: options.calls }, async () => {
    const { data, response } = await client.GET("/payauth-conformance/ping");
    if (data?.ok !== true) throw new Error(`HTTP ${response.status}`);
  }),
);
const failed = results.filter((r) => r.status === "rejected");
say({ type: "done", ok: results.length - failed.length, failed: failed.length, firstError: failed[0]?.reason?.message, storeFailures, mode });
await close();
