#!/usr/bin/env node
// `pnpm bench` (fleet part): N worker processes × 100 concurrent calls each, on a cold cache,
// against a fake Max Pay on loopback whose token endpoint answers in 100 ms, sharing one Redis
// (standalone or a 3-master Cluster) through ioredis or node-redis. For each cold start: token
// requests, and the time from the lock holder sending its token to Redis to each waiting
// process's first API request with it, waiters woken by pub/sub versus polling (the store's
// default 50 ms), interleaved in one run. Then Redis commands per warm API call (INFO
// commandstats), and Redis memory per credential (MEMORY USAGE, 10,000 credentials).
// Prints the tables and writes them into BENCHMARKS.md's fleet section.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { serveHandlers } from "@payauth/auth-core/testing";
import { createMaxPayFake } from "@payauth/maxpay/testing";
import { Redis } from "ioredis";
import { http } from "msw";
import { createRedisTokenStore } from "../dist/index.js";
import { startCluster, startStandalone } from "./servers.mjs";

const WORKER = fileURLToPath(new URL("../test/fleet-worker.mjs", import.meta.url));
const FLOOR_SUBSCRIBER = fileURLToPath(new URL("../test/pubsub-floor.mjs", import.meta.url));
const BENCHMARKS = fileURLToPath(new URL("../../../BENCHMARKS.md", import.meta.url));
const M = 100;
const FLEETS = (process.env.FLEETS ?? "2,8,32").split(",").map(Number);
const REPEATS = Number(process.env.REPEATS ?? 3);
const TOKEN_MS = 100;
const CREDENTIALS = 10_000;
const ALL_CONFIGS = [
  { client: "ioredis", kind: "ioredis 6", topology: "standalone" },
  { client: "node-redis", kind: "node-redis 6", topology: "standalone" },
  { client: "ioredis", kind: "ioredis 6 Cluster", topology: "cluster" },
  { client: "node-redis", kind: "node-redis 6 createCluster", topology: "cluster" },
];
// KINDS=node-redis 6,… runs only those client kinds.
const CONFIGS = ALL_CONFIGS.filter((c) => !process.env.KINDS || process.env.KINDS.split(",").includes(c.kind));

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (v) => (v === undefined ? "–" : v.toFixed(1));

/** The fake Max Pay over HTTP, its token endpoint answering in TOKEN_MS. */
async function serveFake() {
  const fake = createMaxPayFake({ tokenLifetimeSeconds: 3600 });
  let tokenRequests = 0;
  const slow = http.post("*/v1/auth/login", async () => {
    tokenRequests++;
    await new Promise((r) => setTimeout(r, TOKEN_MS));
  });
  const server = await serveHandlers([slow, ...fake.handlers]);
  return { url: server.url, close: () => server.close(), get tokenRequests() { return tokenRequests; } };
}

function startWorker(env) {
  const child = fork(WORKER, { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = (message, reply) =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`worker exited (${code})`));
      const onMessage = (m) => {
        if (m.type !== reply) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(m);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      if (message) child.send(message);
    });
  return ask(undefined, "ready").then(() => ({ child, ask }));
}

/** Asks each worker to exit; one that already exited is not waited for, one that does not exit within 10 s is killed. */
async function stopWorkers(workers) {
  await Promise.all(
    workers.map(({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => (clearTimeout(timer), resolve()));
        try {
          child.send({ type: "exit" });
        } catch {
          child.kill("SIGKILL");
        }
      });
    }),
  );
}

/** One connection per node, made before the stats are reset: its own commands are only INFO and CONFIG. */
async function statsOf(nodes) {
  const admins = nodes.map((port) => new Redis({ port, host: "127.0.0.1" }));
  await Promise.all(admins.map((a) => a.ping()));
  return {
    reset: () => Promise.all(admins.map((a) => a.config("RESETSTAT"))),
    /** Calls per command since the reset, summed over the nodes, less INFO and CONFIG. */
    async calls() {
      const calls = {};
      for (const a of admins) {
        for (const [, name, count] of (await a.info("commandstats")).matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) calls[name] = (calls[name] ?? 0) + Number(count);
      }
      // The measuring connection's own: INFO, and CONFIG RESETSTAT (counted as config|resetstat).
      for (const name of Object.keys(calls)) if (name === "info" || name.startsWith("config")) delete calls[name];
      return calls;
    },
    close: () => admins.forEach((a) => a.disconnect()),
  };
}

async function fleet(config, n, servers) {
  const nodes = config.topology === "cluster" ? servers.cluster.ports : [servers.standalone.port];
  const where = config.topology === "cluster" ? { CLUSTER_PORTS: nodes.join(",") } : { REDIS_PORT: String(nodes[0]) };
  const fake = await serveFake();
  // Started 8 at a time: 32 processes loading at once on two cores would time out connecting.
  const workers = [];
  for (let i = 0; i < n; i += 8) {
    workers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(8, n - i) }, () =>
          startWorker({ ...where, CLIENT: config.kind, BASE_URL: fake.url, ENCRYPTION_KEY: servers.key, POLL_MS: "50", ...(config.store ? { STORE: config.store } : {}) }),
        ),
      )),
    );
  }
  // A reply missing after 3 minutes fails the run, naming the message and how many workers answered.
  const all = (message, reply) => {
    let answered = 0;
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${workers.length - answered} of ${workers.length} workers did not answer ${message.type} within 180 s`)), 180_000);
    });
    return Promise.race([Promise.all(workers.map((w) => w.ask(message, reply).then((r) => (answered++, r)))), late]).finally(() => clearTimeout(timer));
  };
  const coldStart = async () => {
    await all({ type: "invalidate" }, "invalidated");
    await all({ type: "reset-timings" }, "timings-reset");
    const before = fake.tokenRequests;
    const results = await all({ type: "calls", count: M }, "calls-done");
    const holders = results.filter((r) => r.storedAt !== undefined);
    const storedAt = Math.min(...holders.map((r) => r.storedAt));
    return {
      tokenRequests: fake.tokenRequests - before,
      ok: results.reduce((sum, r) => sum + r.ok, 0),
      // The waiters: every process but the one that fetched.
      delays: results.filter((r) => r.storedAt === undefined).map((r) => r.firstUseAt - storedAt),
    };
  };
  try {
    if (config.store === "memory") {
      const r = await coldStart();
      return [{ ...config, n, mode: "–", tokenRequests: [r.tokenRequests], ok: r.ok, calls: n * M, delays: [] }];
    }
    await coldStart(); // warm-up: code loaded, connections made
    const modes = { "pub/sub": { tokenRequests: [], ok: 0, calls: 0, delays: [] }, "polling (50 ms)": { tokenRequests: [], ok: 0, calls: 0, delays: [] } };
    for (let i = 0; i < REPEATS; i++) {
      for (const [mode, wake] of [["pub/sub", true], ["polling (50 ms)", false]]) {
        await all({ type: "wake", on: wake }, "wake-set");
        const r = await coldStart();
        modes[mode].tokenRequests.push(r.tokenRequests);
        modes[mode].ok += r.ok;
        modes[mode].calls += n * M;
        modes[mode].delays.push(...r.delays);
      }
    }
    // Warm calls: every process has a fresh token; what do they ask Redis?
    const stats = await statsOf(nodes);
    await stats.reset();
    const warm = await all({ type: "calls", count: M }, "calls-done");
    const calls = await stats.calls();
    stats.close();
    const commands = Object.values(calls).reduce((a, b) => a + b, 0);
    const warmCalls = warm.reduce((sum, r) => sum + r.ok, 0);
    return Object.entries(modes).map(([mode, m]) => ({ ...config, n, mode, ...m, warm: { commands, calls: warmCalls, detail: calls } }));
  } finally {
    await stopWorkers(workers);
    await fake.close();
  }
}

/**
 * The machine's floor for a wake-up, a reference of the same shape: a raw PUBLISH from this process
 * to a SUBSCRIBE in another, each after 20 ms idle (as a waiter idles), timed one way on the epoch
 * clocks of one machine, with no payauth code on either side. 200 messages.
 */
async function rawPubSub(port) {
  const child = fork(FLOOR_SUBSCRIBER, { env: { ...process.env, REDIS_PORT: String(port) }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise((resolve) => child.once("message", resolve));
  const pub = new Redis({ port, host: "127.0.0.1" });
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await pub.publish("payauth:floor", String(performance.timeOrigin + performance.now()));
  }
  const delays = await new Promise((resolve) => child.once("message", resolve));
  pub.disconnect();
  child.kill();
  return delays;
}

/** 10,000 credentials through the store: MEMORY USAGE of a token key, and used_memory per credential. */
async function memoryPerCredential(port, key) {
  const redis = new Redis({ port, host: "127.0.0.1" });
  await redis.flushall();
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))[1]);
  const before = await used();
  const store = createRedisTokenStore({ redis, encryptionKey: key, operationTimeoutMs: 10_000 });
  const names = [];
  for (let start = 0; start < CREDENTIALS; start += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) => {
        const name = `payauth:maxpay:${randomBytes(32).toString("hex")}`;
        names.push(name);
        const obtainedAt = Date.now();
        // A token as providers issue them: a JWT of about 800 characters, with scopes.
        const token = { accessToken: `eyJhbGciOiJSUzI1NiJ9.${randomBytes(420).toString("base64url")}.${randomBytes(256).toString("base64url")}`, tokenType: "Bearer", obtainedAt, expiresAt: obtainedAt + 3_600_000, scopes: ["clients:read", "payments:write"] };
        return store.set(name, token, 3_600_000);
      }),
    );
  }
  const after = await used();
  const usage = await redis.pipeline(names.map((name) => ["memory", "usage", `{${name}}`])).exec();
  const perKey = usage.reduce((sum, [, bytes]) => sum + bytes, 0) / names.length;
  const ttls = await redis.pipeline(names.map((name) => ["pttl", `{${name}}`])).exec();
  const withTtl = ttls.filter(([, t]) => t > 0).length;
  const valueLength = (await redis.strlen(`{${names[0]}}`));
  await redis.flushall();
  redis.disconnect();
  return { perKey, perCredential: (after - before) / CREDENTIALS, withTtl, valueLength };
}

// ---------------------------------------------------------------- run

const started = performance.now();
const loadAtStart = loadavg()[0];
const standalone = await startStandalone();
const cluster = await startCluster();
const servers = { standalone, cluster, key: randomBytes(32).toString("base64") };
const rows = [];
let memory;
let floor = [];
try {
  for (const n of FLEETS) {
    for (const config of CONFIGS) {
      console.error(`fleet: ${n} processes, ${config.client}, ${config.topology}…`);
      rows.push(...(await fleet(config, n, servers)));
    }
  }
  rows.push(...(await fleet({ client: "ioredis", kind: "ioredis 6", topology: "standalone", store: "memory" }, Math.max(...FLEETS.filter((n) => n <= 8)), servers)));
  floor = await rawPubSub(standalone.port);
  memory = await memoryPerCredential(standalone.port, servers.key);
} finally {
  await standalone.stop();
  await cluster.stop();
}

const coldRows = rows.map((r) => ({
  processes: r.n,
  client: r.client,
  Redis: r.store === "memory" ? "none (in-process store)" : r.topology === "cluster" ? "Cluster, 3 masters" : "standalone",
  "waiters woken by": r.mode,
  "token requests per cold start": r.tokenRequests.join(", "),
  "calls ok": `${r.ok.toLocaleString("en")}/${r.calls.toLocaleString("en")}`,
  "p50 ms": ms(r.delays.length ? percentile(r.delays, 50) : undefined),
  "p99 ms": ms(r.delays.length ? percentile(r.delays, 99) : undefined),
  "last ms": ms(r.delays.length ? Math.max(...r.delays) : undefined),
}));
const warmRows = rows
  .filter((r) => r.warm && r.mode === "pub/sub")
  .map((r) => ({
    processes: r.n,
    client: r.client,
    Redis: r.topology === "cluster" ? "Cluster, 3 masters" : "standalone",
    "warm API calls": r.warm.calls.toLocaleString("en"),
    "Redis commands": r.warm.commands,
    "commands per call": (r.warm.commands / r.warm.calls).toFixed(3),
  }));

function markdown(table) {
  const heads = Object.keys(table[0]);
  const numeric = heads.map((h) => table.every((row) => /^[\d.,–\s/]+$/.test(String(row[h]))));
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(heads), line(numeric.map((n) => (n ? "---:" : "---"))), ...table.map((row) => line(heads.map((h) => row[h])))].join("\n");
}

const goals = FLEETS.map((n) => {
  const delays = rows.filter((r) => r.n === n && r.mode === "pub/sub" && r.topology === "standalone").flatMap((r) => r.delays);
  const p99 = delays.length ? percentile(delays, 99) : NaN;
  return `${n} processes ${Number.isFinite(p99) ? `${p99.toFixed(1)} ms (${p99 < 5 ? "PASS" : "MISS"})` : "not measured"}`;
});
const floorLine = floor.length
  ? `p50 ${percentile(floor, 50).toFixed(2)} ms, p99 ${percentile(floor, 99).toFixed(2)} ms, max ${Math.max(...floor).toFixed(2)} ms over ${floor.length} messages`
  : "not measured";
const machine = `node ${process.version} · ${cpus().length} cores (${cpus()[0]?.model.trim()}) · ${new Date().toISOString()} · 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
const section = `<!-- fleet:start (written by packages/redis-store/bench/fleet-bench.mjs) -->
## Fleet: processes sharing the Redis store

**Machine:** ${machine}; the fleet benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s.

Cold start: N worker processes × ${M} concurrent \`GET /v1/me\` each, on a cold cache, against a fake
Max Pay on loopback whose token endpoint answers in ${TOKEN_MS} ms. Each fleet makes ${REPEATS} cold starts with
waiters woken by pub/sub and ${REPEATS} with polling only (the store's default \`pollIntervalMs\`, 50 ms; the
same client without \`duplicate()\`), interleaved in one run, after one untimed cold start. The times
are from the lock holder sending its token to Redis to each waiting process's first API request with
it (epoch clocks of one machine), over all waiters of all cold starts; "last" is the slowest waiter.

${markdown(coldRows)}

Goal: p99 under 5 ms on loopback with wake-ups (standalone, pub/sub): ${goals.join("; ")}.
With N processes on ${cpus().length} cores, the waiters' first requests also queue for the CPU: the times grow with N
for either mode, and polling adds up to one interval (50 ms) on top. With 2 processes there is one
waiter, and the figure is the wake-up itself plus its 100 calls reaching their first request.

Reference, the machine's floor for one wake-up: a raw \`PUBLISH\` from one process to a \`SUBSCRIBE\`
in another (ioredis, each message after 20 ms idle, no payauth code): ${floorLine}.

Warm calls (every process holds a fresh token; \`CONFIG RESETSTAT\`, then ${M} calls per process, then
\`INFO commandstats\` summed over the nodes, less the INFO and CONFIG commands themselves):

${markdown(warmRows)}

Memory (${CREDENTIALS.toLocaleString("en")} credentials stored through the store, each token an
${memory.valueLength}-character v2 value of an ~800-character JWT): \`MEMORY USAGE\` of a token key
${memory.perKey.toFixed(0)} B on average; \`used_memory\` grew by ${memory.perCredential.toFixed(0)} B per credential;
${memory.withTtl.toLocaleString("en")} of ${CREDENTIALS.toLocaleString("en")} keys have a TTL. A lock (about 100 B) lives only while a token
request runs, and a not-before key only while a provider's \`Retry-After\` does.
<!-- fleet:end -->
`;

console.log(`\nFleet cold start: N processes × ${M} concurrent calls, token endpoint ${TOKEN_MS} ms\n`);
console.table(coldRows);
console.log("\nRedis commands per warm API call\n");
console.table(warmRows);
for (const r of rows.filter((r) => r.warm?.commands > 0 && r.mode === "pub/sub")) console.log(`warm commands, ${r.n} × ${r.client} ${r.topology}:`, r.warm.detail);
console.log(`\nFloor, raw PUBLISH to SUBSCRIBE across two processes: ${floorLine}`);
console.log(`Goal, p99 under 5 ms with wake-ups: ${goals.join("; ")}`);
console.log(`\nRedis memory: MEMORY USAGE per token key ${memory.perKey.toFixed(0)} B; used_memory per credential ${memory.perCredential.toFixed(0)} B (${CREDENTIALS} credentials)`);

const current = readFileSync(BENCHMARKS, "utf8");
const markers = /<!-- fleet:start[\s\S]*?<!-- fleet:end -->\n?/;
writeFileSync(BENCHMARKS, markers.test(current) ? current.replace(markers, section) : `${current.trimEnd()}\n\n${section}`);
console.log("wrote the fleet section of BENCHMARKS.md");
