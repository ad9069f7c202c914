// One process of a fleet, for the fleet tests and the benchmark: a Max Pay client on the shared
// Redis store (from this package's build), driven by messages from the parent.
//
// Environment: REDIS_PORT (standalone) or CLUSTER_PORTS (comma-separated); CLIENT, a kind from
// clients.mjs, or "readme" for the README's `new Redis(url, { maxRetriesPerRequest: 1,
// enableOfflineQueue: false })`; STORE=memory for an in-process store; WAKE=0 to hide
// `duplicate()` (waiters poll); POLL_MS; LOCK_TTL_MS; OP_TIMEOUT_MS; EARLY_CALLS=n to start n calls at once,
// before the client is connected (reported on { type: "early" }).
import { createMaxPayClient } from "@payauth/maxpay";
import { maxPayFakeCredentials } from "@payauth/maxpay/testing";
import { Redis } from "ioredis";
import { createMemoryTokenStore } from "@payauth/auth-core";
import { createRedisTokenStore } from "../dist/index.js";
import { close, isReady, makeClient, ready } from "./clients.mjs";

const env = process.env;
const where = env.CLUSTER_PORTS ? { ports: env.CLUSTER_PORTS.split(",").map(Number) } : { port: Number(env.REDIS_PORT) };
let redis;
if (env.CLIENT === "readme") {
  redis = new Redis(`redis://127.0.0.1:${env.REDIS_PORT}`, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on("error", () => undefined);
} else {
  redis = await makeClient(env.CLIENT ?? (env.CLUSTER_PORTS ? "ioredis 6 Cluster" : "ioredis 6"), where);
}
const readyAtStart = isReady(redis);
if (env.EARLY_CALLS === undefined) await ready(redis, 60_000);

// Without wake-ups (WAKE=0, or { type: "wake", on: false }): the same client with no `duplicate()`,
// so waiters poll every POLL_MS (the benchmark's baseline).
let wake = env.WAKE !== "0";
const client = new Proxy(redis, {
  get: (target, property) => {
    if (property === "duplicate" && !wake) return undefined;
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

/** Epoch ms with sub-ms precision, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();
let storedAt;
let firstUseAt;
const redisStore = createRedisTokenStore({
  redis: client,
  encryptionKey: env.ENCRYPTION_KEY,
  lockTtlMs: Number(env.LOCK_TTL_MS ?? 15_000),
  pollIntervalMs: Number(env.POLL_MS ?? 20),
  ...(env.OP_TIMEOUT_MS ? { operationTimeoutMs: Number(env.OP_TIMEOUT_MS) } : {}),
});
const tokenStore =
  env.STORE === "memory"
    ? createMemoryTokenStore()
    : {
        ...redisStore,
        // When this process (the lock holder) sends its token to Redis.
        set: (key, token, ttl) => {
          storedAt ??= now();
          return redisStore.set(key, token, ttl);
        },
      };
const events = { "token-store-failed": 0, "token-fetched": 0 };
const maxpay = createMaxPayClient({
  baseUrl: env.BASE_URL,
  ...maxPayFakeCredentials,
  tokenStore,
  retry: { maxAttempts: 1 },
  onEvent: (e) => {
    if (e.type in events) events[e.type]++;
  },
  // When this process first uses a token: its first API request leaves.
  fetch: (request) => {
    if (!new URL(request.url).pathname.endsWith("/login")) firstUseAt ??= now();
    return fetch(request);
  },
});

async function calls(count) {
  const started = performance.now();
  const firstDone = [];
  const results = await Promise.all(
    Array.from({ length: count }, () =>
      maxpay.GET("/v1/me").then(
        (r) => {
          firstDone.push(performance.now() - started);
          return r.response.status;
        },
        (e) => e.code ?? "untyped",
      ),
    ),
  );
  return { ok: results.filter((s) => s === 200).length, latencies: firstDone, events: { ...events }, storedAt, firstUseAt };
}

const early = env.EARLY_CALLS === undefined ? undefined : calls(Number(env.EARLY_CALLS));

process.on("message", async (message) => {
  if (message.type === "calls") {
    process.send({ type: "calls-done", ...(await calls(message.count)) });
  } else if (message.type === "early") {
    process.send({ type: "early-done", readyAtStart, ...(await early) });
  } else if (message.type === "token") {
    maxpay.auth.getToken().then(
      () => process.send({ type: "token-done", ok: true }),
      (e) => process.send({ type: "token-done", ok: false, code: e.code, retryAfterMs: e.retryAfterMs }),
    );
  } else if (message.type === "invalidate") {
    await maxpay.auth.invalidate();
    process.send({ type: "invalidated" });
  } else if (message.type === "wake") {
    wake = message.on;
    process.send({ type: "wake-set" });
  } else if (message.type === "reset-timings") {
    storedAt = firstUseAt = undefined;
    process.send({ type: "timings-reset" });
  } else if (message.type === "exit") {
    close(redis);
    process.exit(0);
  }
});
process.send({ type: "ready" });
