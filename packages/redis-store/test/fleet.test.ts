import { randomBytes } from "node:crypto";
import { createMaxPayFake, type FakeServer, type MaxPayFake } from "@payauth/maxpay/testing";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startWorker, stopWorkers, type Worker } from "./fleet.js";
import { startRedis, type RedisServer } from "./redis-server.js";

// Real processes: N workers share one Redis and one fake Max Pay on loopback.
const N = 4;
const M = 50;
let redisServer: RedisServer;
let redis: Redis;
let fake: MaxPayFake;
let server: FakeServer;
let workers: Worker[] = [];
const encryptionKey = randomBytes(32).toString("base64");

beforeAll(async () => {
  redisServer = await startRedis();
  redis = await redisServer.client();
});
afterAll(async () => {
  redis.disconnect();
  await redisServer.stop();
});
afterEach(async () => {
  await stopWorkers(workers);
  workers = [];
  await server?.close();
  await redis.flushall();
});

async function fleet(n: number, tokenLifetimeSeconds: number, env: Record<string, string> = {}) {
  fake = createMaxPayFake({ tokenLifetimeSeconds });
  server = await fake.serve();
  workers = await Promise.all(
    Array.from({ length: n }, () => startWorker({ REDIS_PORT: String(redisServer.port), BASE_URL: server.url, ENCRYPTION_KEY: encryptionKey, ...env })),
  );
  return workers;
}

const round = (ws: Worker[]) => Promise.all(ws.map((w) => w.ask<{ ok: number }>({ type: "calls", count: M }, "calls-done")));

describe("a fleet of processes on one Redis store", () => {
  it(`${N} processes × ${M} concurrent calls on a cold cache: 1 token request; at renewal time: exactly 1 more`, async () => {
    const ws = await fleet(N, 4);
    const started = Date.now();
    const first = await round(ws);
    expect(first.map((r) => r.ok)).toEqual(Array(N).fill(M));
    expect(fake.stats.tokenRequests).toBe(1);
    // A 4 s token is renewed half-way through its life: wait until then (not a timing assertion).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 2_300 - Date.now())));
    const second = await round(ws);
    expect(second.map((r) => r.ok)).toEqual(Array(N).fill(M));
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it("a lock holder killed mid-fetch: another process takes over within the lock TTL", async () => {
    const [holder, other] = await fleet(2, 3600, { LOCK_TTL_MS: "1000" });
    fake.failNext("token", { kind: "stall", status: 0 });
    holder!.child.send({ type: "token" });
    while (fake.stats.tokenRequests < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await redis.keys("*:lock")).toHaveLength(1);
    holder!.child.kill("SIGKILL");
    const answer = await other!.ask<{ ok: boolean }>({ type: "token" }, "token-done");
    expect(answer.ok).toBe(true);
    expect(fake.stats.tokenRequests).toBe(2);
    expect(fake.stats.tokensIssued).toBe(1);
  });

  it("Redis stopped mid-run: calls keep succeeding on each process's own cache", async () => {
    const ws = await fleet(2, 3600);
    await round(ws);
    await redisServer.stop();
    try {
      const during = await round(ws);
      expect(during.map((r) => r.ok)).toEqual([M, M]);
      // A renewal while Redis is down: each process fetches for itself, once.
      await Promise.all(ws.map((w) => w.ask({ type: "invalidate" }, "invalidated")));
      const renewed = await round(ws);
      expect(renewed.map((r) => r.ok)).toEqual([M, M]);
      expect(fake.stats.tokenRequests).toBe(1 + ws.length);
    } finally {
      await redisServer.start();
      redis.disconnect();
      redis = await redisServer.client();
    }
  });
});
