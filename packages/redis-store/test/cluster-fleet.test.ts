import { randomBytes } from "node:crypto";
import { createMaxPayFake, type MaxPayFake } from "@payauth/maxpay/testing";
import { Cluster } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createRedisTokenStore } from "../src/index.js";
import { serveFake, startWorker, stopWorkers, type ServedFake, type Worker } from "./fleet.js";
import { startCluster, type RedisCluster } from "./redis-server.js";

// The fleet guarantees on a real Redis Cluster: worker processes on cluster clients.
const N = 4;
const M = 50;
const encryptionKey = randomBytes(32).toString("base64");
let cluster: RedisCluster | undefined;
let admin: Cluster | undefined;
let fake: MaxPayFake;
let server: ServedFake | undefined;
let workers: Worker[] = [];

afterEach(async () => {
  await stopWorkers(workers);
  workers = [];
  await server?.close();
  admin?.disconnect();
  await cluster?.stop();
  server = admin = cluster = undefined;
});

interface CallsDone {
  ok: number;
  events: Record<string, number>;
}

async function start(options: { replicas?: number } = {}) {
  cluster = await startCluster({ masters: 3, ...options });
  admin = new Cluster(cluster.masters.map((port) => ({ host: "127.0.0.1", port })), { redisOptions: { maxRetriesPerRequest: 1 } });
  admin.on("error", () => undefined);
  await new Promise((resolve) => admin!.once("ready", resolve));
  fake = createMaxPayFake({ tokenLifetimeSeconds: 3600 });
  server = await serveFake(fake, { tokenDelayMs: 100 });
}

async function spawn(n: number, env: Record<string, string> = {}) {
  const started = await Promise.all(
    // operationTimeoutMs 5 s: a loaded machine must not pass for a Redis outage (outages are tested apart).
    Array.from({ length: n }, () => startWorker({ CLUSTER_PORTS: cluster!.masters.join(","), BASE_URL: server!.url, ENCRYPTION_KEY: encryptionKey, OP_TIMEOUT_MS: "5000", ...env })),
  );
  workers.push(...started);
  return started;
}

const round = (ws: Worker[]) => Promise.all(ws.map((w) => w.ask<CallsDone>({ type: "calls", count: M }, "calls-done")));

/** The credential's token key, as the workers' store named it. */
async function tokenKey(): Promise<string> {
  const nodes = admin!.nodes("master");
  for (const node of nodes) {
    const [key] = (await node.keys("{payauth:maxpay:*}").catch(() => [])) as string[];
    if (key !== undefined) return key;
  }
  throw new Error("no token in the cluster");
}

describe("a fleet on Redis Cluster (3 masters)", () => {
  it("each credential's keys share one slot, and 3,000 credentials spread over the three masters", async () => {
    await start();
    const store = createRedisTokenStore({ redis: admin!, encryptionKey });
    const key = "payauth:maxpay:0123abcd";
    await store.set(key, { accessToken: "eyJ.a.b", tokenType: "Bearer", obtainedAt: Date.now(), expiresAt: Date.now() + 60_000, scopes: [] }, 60_000);
    await store.setNotBefore!(key, Date.now() + 60_000);
    await admin!.set(`{${key}}:lock`, "x", "PX", 60_000);
    const slots = await Promise.all([`{${key}}`, `{${key}}:lock`, `{${key}}:not-before`, `{${key}}:wake`].map((k) => admin!.cluster("KEYSLOT", k)));
    expect(new Set(slots).size).toBe(1);
    const perMaster = new Map<number, number>();
    for (let i = 0; i < 3_000; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => `{payauth:maxpay:${randomBytes(32).toString("hex")}-${i + j}}`);
      const ports = await Promise.all(batch.map((k) => cluster!.masterOf(k)));
      for (const p of ports) perMaster.set(p, (perMaster.get(p) ?? 0) + 1);
    }
    expect([...perMaster.keys()].sort()).toEqual([...cluster!.masters].sort());
    for (const count of perMaster.values()) expect(count).toBeGreaterThan(800);
  });

  it.each(["ioredis 6 Cluster", "node-redis 6 createCluster"])(`%s: ${N} processes × ${M} concurrent calls on a cold cache: 1 token request; a tampered token is a miss: 1 more`, async (kind) => {
    await start();
    const ws = await spawn(N, { CLIENT: kind });
    const first = await round(ws);
    expect(first.map((r) => r.ok)).toEqual(Array(N).fill(M));
    expect(first.map((r) => r.events["token-store-failed"])).toEqual(Array(N).fill(0));
    expect(fake.stats.tokenRequests).toBe(1);
    // Tampered in Redis: new processes treat it as a miss, and the fleet fetches once.
    const key = await tokenKey();
    const raw = (await admin!.get(key))!;
    await admin!.set(key, raw.slice(0, -3) + (raw.endsWith("AAA") ? "BBB" : "AAA"), "PX", 60_000);
    const fresh = await spawn(2, { CLIENT: kind });
    const second = await round(fresh);
    expect(second.map((r) => r.ok)).toEqual([M, M]);
    expect(fake.stats.tokenRequests).toBe(2);
    expect(await admin!.get(key)).not.toBe(raw);
  });

  it("the master serving the credential stopped mid-run: calls keep succeeding on each process's own cache; other slots still serve", async () => {
    await start();
    const ws = await spawn(N);
    await round(ws);
    const key = await tokenKey();
    const master = await cluster!.masterOf(key);
    const during = Promise.all([round(ws), cluster!.stopNode(master)]);
    expect((await during)[0].map((r) => r.ok)).toEqual(Array(N).fill(M));
    // A renewal while its master is down: each process fetches for itself, once.
    await Promise.all(ws.map((w) => w.ask({ type: "invalidate" }, "invalidated")));
    const renewed = await round(ws);
    expect(renewed.map((r) => r.ok)).toEqual(Array(N).fill(M));
    expect(fake.stats.tokenRequests).toBe(1 + N);
    // A credential whose slot is on another master still has its store (cluster-require-full-coverage no).
    let i = 0;
    while ((await cluster!.masterOf(`{payauth:maxpay:other-${i}}`)) === master) i++;
    const other = `payauth:maxpay:other-${i}`;
    const store = createRedisTokenStore({ redis: admin!, encryptionKey });
    const token = { accessToken: "eyJ.o.t", tokenType: "Bearer" as const, obtainedAt: Date.now(), expiresAt: Date.now() + 60_000, scopes: [] };
    await store.set(other, token, 60_000);
    expect(await store.get(other)).toEqual(token);
  });

  it("a failover (3 masters, 3 replicas; the credential's master killed): calls never fail, the replicated token survives, and the fleet coordinates again: 1 more token request", async () => {
    await start({ replicas: 1 });
    const ws = await spawn(N);
    await round(ws);
    expect(fake.stats.tokenRequests).toBe(1);
    const key = await tokenKey();
    const master = await cluster!.masterOf(key);
    // The token reached its replica (WAIT answers how many replicas acknowledged the writes).
    const primary = await cluster!.node(master);
    const synced = Date.now() + 30_000;
    while ((await primary.wait(1, 1_000)) < 1) if (Date.now() > synced) throw new Error("the replica did not acknowledge within 30 s");
    const during = Promise.all([round(ws), cluster!.stopNode(master)]);
    expect((await during)[0].map((r) => r.ok)).toEqual(Array(N).fill(M));
    // Its replica is promoted once the others see the master fail (cluster-node-timeout 1 s).
    const deadline = Date.now() + 60_000;
    while ((await cluster!.masterOf(key)) === master) {
      if (Date.now() > deadline) {
        const view = await cluster!.node(cluster!.ports.find((p) => p !== master)!);
        throw new Error(`no failover within 60 s; CLUSTER NODES:\n${String(await view.cluster("NODES"))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await cluster!.settled();
    // New processes find the token on the promoted replica: no token request.
    const late = await spawn(2);
    const fromReplica = await round(late);
    expect(fromReplica.map((r) => r.ok)).toEqual([M, M]);
    expect(fake.stats.tokenRequests).toBe(1);
    // And a renewal is single-flight across the fleet again.
    await Promise.all(workers.map((w) => w.ask({ type: "invalidate" }, "invalidated")));
    const renewed = await round(workers);
    expect(renewed.map((r) => r.ok)).toEqual(Array(workers.length).fill(M));
    expect(fake.stats.tokenRequests).toBe(2);
  });
});
