// A process whose only work is one coordinate() (from this package's build) with a fetch that
// outlives a lock extension: once it settles and the client disconnects, nothing may keep the
// process alive. Prints "settled" when coordinate() returns.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createRedisTokenStore } from "../dist/index.js";

const redis = new Redis({ port: Number(process.env.REDIS_PORT), host: "127.0.0.1", maxRetriesPerRequest: 1, enableOfflineQueue: false });
redis.on("error", () => undefined);
await new Promise((resolve) => redis.once("ready", resolve));
const store = createRedisTokenStore({ redis, encryptionKey: randomBytes(32), lockTtlMs: 6_000 });
const token = { accessToken: "eyJ.child.sig", tokenType: "Bearer", obtainedAt: Date.now(), expiresAt: Date.now() + 60_000, scopes: [] };
// Extensions every 2 s: one is sent at 2 s, the next would be due at 4 s.
await store.coordinate(`exit-${process.pid}`, () => new Promise((resolve) => setTimeout(() => resolve(token), 2_500)), { isFresh: () => false });
console.log("settled");
redis.disconnect();
