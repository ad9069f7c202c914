// One process of a fleet sharing @payauth/redis-store over TCP (redis-fleet.mjs starts several,
// on Node, Bun or Deno). argv: one JSON argument
//   { fake, redisPort, client: "ioredis" | "node-redis", calls, encryptionKey, keyPrefix }
// Connects, prints {"type":"ready"}, waits for a line on stdin (so the whole fleet starts cold at
// once), makes `calls` concurrent calls, prints {"type":"done", ok, failed, storeFailures, mode},
// closes its Redis connection and ends by itself.
import process from "node:process";
import { createRedisTokenStore, RedisStoreOptionError } from "@payauth/redis-store";
import { createClient } from "./scenarios.mjs";

const options = JSON.parse(process.argv[process.argv.length - 1]);
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

/**
 * node-redis in the call shape redis-store 0.x uses (ioredis's: `set(k, v, "PX", ms, "NX")`,
 * `eval(script, numKeys, …)`), over node-redis's own `sendCommand`. Used only when the store
 * does not take a node-redis client as it is.
 */
function ioredisShaped(client) {
  const send = (args) => client.sendCommand(args.map(String));
  return {
    get: (key) => client.get(key),
    del: (...keys) => client.del(keys),
    set: (...args) => send(["SET", ...args]),
    eval: (...args) => send(["EVAL", ...args]),
  };
}

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
  // The client as it is, if the store takes it and a token written through it reads back.
  try {
    const store = createRedisTokenStore({ redis: client, encryptionKey: options.encryptionKey, keyPrefix: `${options.keyPrefix}probe:` });
    const token = { accessToken: "probe", tokenType: "Bearer", obtainedAt: Date.now(), expiresAt: Date.now() + 60_000, scopes: [] };
    await store.set("payauth:probe", token, 60_000);
    if ((await store.get("payauth:probe"))?.accessToken === "probe") {
      return { store: createRedisTokenStore({ redis: client, encryptionKey: options.encryptionKey, keyPrefix: options.keyPrefix }), mode: "node-redis", close };
    }
  } catch (error) {
    // Refused at construction (RedisStoreOptionError), or a command in ioredis's shape failed.
    if (!(error instanceof RedisStoreOptionError) && !(error instanceof Error)) throw error;
  }
  return { store: createRedisTokenStore({ redis: ioredisShaped(client), encryptionKey: options.encryptionKey, keyPrefix: options.keyPrefix }), mode: "node-redis via sendCommand", close };
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
