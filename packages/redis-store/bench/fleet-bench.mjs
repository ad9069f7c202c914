#!/usr/bin/env node
// `pnpm bench` (fleet part): N worker processes × M concurrent calls on a cold cache against a
// fake Max Pay on loopback, with the Redis store versus each process's in-memory store.
// Prints token requests and the p50/p99 latency of each process's first completed call.
import { fork, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { createMaxPayFake } from "@payauth/maxpay/testing";
import { flushall } from "./flush.mjs";

const WORKER = fileURLToPath(new URL("../test/fleet-worker.mjs", import.meta.url));
const M = 100;
const FLEETS = [2, 8, 16];

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function run(store, n, redisPort) {
  const fake = createMaxPayFake();
  const server = await fake.serve();
  const key = randomBytes(32).toString("base64");
  const workers = await Promise.all(
    Array.from({ length: n }, () => {
      const child = fork(WORKER, { env: { ...process.env, REDIS_PORT: String(redisPort), BASE_URL: server.url, ENCRYPTION_KEY: key, STORE: store }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
      return new Promise((resolve) => child.once("message", () => resolve(child)));
    }),
  );
  const results = await Promise.all(
    workers.map(
      (child) =>
        new Promise((resolve) => {
          child.once("message", resolve);
          child.send({ type: "calls", count: M });
        }),
    ),
  );
  const firsts = results.map((r) => Math.min(...r.latencies));
  const ok = results.reduce((sum, r) => sum + r.ok, 0);
  await Promise.all(workers.map((child) => new Promise((resolve) => { child.once("exit", resolve); child.send({ type: "exit" }); })));
  await server.close();
  return { store, processes: n, "calls ok": `${ok}/${n * M}`, "token requests": fake.stats.tokenRequests, "first call p50 ms": percentile(firsts, 50).toFixed(1), "first call p99 ms": percentile(firsts, 99).toFixed(1) };
}

const port = await freePort();
const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
redis.once("error", (e) => {
  console.error(`cannot start redis-server (apt-get install redis-server): ${e.message}`);
  process.exit(1);
});
await new Promise((r) => setTimeout(r, 300));
try {
  const rows = [];
  for (const n of FLEETS) {
    for (const store of ["memory", "redis"]) {
      await flushall(port);
      rows.push(await run(store, n, port));
    }
  }
  console.log(`\nFleet cold start: N processes × ${M} concurrent calls each, fake Max Pay on loopback\n`);
  console.table(rows);
} finally {
  redis.kill("SIGKILL");
}
