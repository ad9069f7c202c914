import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RedisServer {
  port: number;
  /** A new, connected client with fail-fast settings (as the README recommends). */
  client(): Promise<Redis>;
  /** Stops the server (SIGKILL by pid) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/**
 * Starts `redis-server` on 127.0.0.1 on a port of its own, without persistence. CI installs
 * redis-server from apt (`.ci/run`); without it these tests fail rather than skip.
 */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const spawned = child;
    await new Promise<void>((resolve, reject) => {
      spawned.once("error", (error) => reject(new Error(`cannot start redis-server (apt-get install redis-server): ${error.message}`)));
      const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
      probe.on("error", () => undefined);
      const deadline = Date.now() + 10_000;
      const attempt = () => {
        probe.ping().then(
          () => {
            probe.disconnect();
            resolve();
          },
          () => (Date.now() > deadline ? reject(new Error("redis-server did not start")) : setTimeout(attempt, 50)),
        );
      };
      attempt();
    });
  }

  await start();
  return {
    port,
    async client() {
      const redis = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 });
      redis.on("error", () => undefined); // reconnects on its own; the tests look at outcomes
      await new Promise<void>((resolve) => (redis.status === "ready" ? resolve() : redis.once("ready", () => resolve())));
      return redis;
    },
    async stop() {
      const running = child;
      // Killed by a signal, it has no exit code but a signal code.
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill("SIGKILL");
      });
    },
    start,
  };
}

/** CLUSTER SLOTS: [first slot, last slot, [master host, master port, …], …replicas]. */
type Slots = [number, number, [string, number]][];

export interface RedisCluster {
  /** Every node's port, masters first (as created). */
  ports: number[];
  masters: number[];
  /** A connected ioredis client on one node (not cluster-aware), for CLUSTER commands and inspection. */
  node(port: number): Promise<Redis>;
  /** The port of the master serving `key` now. */
  masterOf(key: string): Promise<number>;
  /** Kills one node (SIGKILL by pid) and waits for it to exit. */
  stopNode(port: number): Promise<void>;
  /** Waits until every live node says cluster_state:ok and agrees on who serves each slot. */
  settled(): Promise<void>;
  /** Stops every node (by pid) and removes its files. */
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster on loopback: `masters` masters with `replicas` replicas each, made with
 * `redis-cli --cluster create`, its files in a temporary directory. `cluster-node-timeout` is
 * 1 s so that a failover takes a few seconds, not 15.
 */
export async function startCluster({ masters = 3, replicas = 0 }: { masters?: number; replicas?: number } = {}): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "payauth-cluster-"));
  const ports: number[] = [];
  for (let i = 0; i < masters * (1 + replicas); i++) ports.push(await freePort());
  const children = new Map<number, ChildProcess>();
  const clients: Redis[] = [];
  for (const port of ports) {
    const child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`, "--dir", dir,
        "--save", "", "--appendonly", "no", "--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no",
        // A replica promotes itself however long ago it last heard from its master: on a loaded
        // machine its link may have been down for longer than the default validity allows.
        "--cluster-replica-validity-factor", "0"],
      { stdio: "ignore" },
    );
    child.once("error", () => undefined);
    children.set(port, child);
  }
  async function node(port: number): Promise<Redis> {
    const client = new Redis({ port, host: "127.0.0.1", retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    client.on("error", () => undefined);
    clients.push(client);
    const deadline = Date.now() + 10_000;
    while ((await client.ping().catch(() => "")) !== "PONG") {
      if (Date.now() > deadline) throw new Error(`cluster node ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return client;
  }
  async function stopNode(port: number): Promise<void> {
    const child = children.get(port);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
  const live = () => ports.filter((p) => children.get(p)!.exitCode === null && children.get(p)!.signalCode === null);
  async function settled(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const views = await Promise.all(
        live().map(async (p) => {
          const n = await node(p);
          const info = String(await n.cluster("INFO"));
          const slots = JSON.stringify(((await n.cluster("SLOTS")) as unknown as Slots).map(([a, b, m]) => [a, b, m[1]]).sort((x, y) => x[0]! - y[0]!));
          n.disconnect();
          return { ok: info.includes("cluster_state:ok"), slots };
        }),
      );
      if (views.every((v) => v.ok && v.slots === views[0]!.slots) && views[0]!.slots !== "[]") return;
      if (Date.now() > deadline) throw new Error("the cluster did not settle");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  /** Waits until every replica has finished its first sync with its master (master_link_status:up). */
  async function replicasInSync(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (const p of ports.slice(masters)) {
      const n = await node(p);
      while (!String(await n.info("replication")).includes("master_link_status:up")) {
        if (Date.now() > deadline) throw new Error(`replica ${p} did not sync with its master`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      n.disconnect();
    }
  }
  try {
    await Promise.all(ports.map(async (p) => (await node(p)).disconnect()));
    const create = spawn("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", String(replicas), "--cluster-yes"], { stdio: "ignore" });
    const code = await new Promise<number | null>((resolve, reject) => {
      create.once("error", (e) => reject(new Error(`cannot run redis-cli (apt-get install redis-tools): ${e.message}`)));
      create.once("exit", resolve);
    });
    if (code !== 0) throw new Error(`redis-cli --cluster create exited with ${code}`);
    await settled();
    if (replicas > 0) await replicasInSync();
  } catch (error) {
    for (const p of ports) await stopNode(p);
    throw error;
  }
  return {
    ports,
    masters: ports.slice(0, masters),
    node,
    async masterOf(key) {
      const n = await node(live()[0]!);
      const slot = Number(await n.cluster("KEYSLOT", key));
      const ranges = (await n.cluster("SLOTS")) as unknown as Slots;
      n.disconnect();
      return ranges.find(([a, b]) => slot >= a && slot <= b)![2][1];
    },
    stopNode,
    settled,
    async stop() {
      for (const c of clients) c.disconnect();
      for (const p of ports) await stopNode(p);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
