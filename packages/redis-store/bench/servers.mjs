// redis-server (standalone, or a 3-master Redis Cluster made by redis-cli) on loopback ports for
// the fleet benchmark; every process is stopped by its pid.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function answers(port) {
  const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  probe.on("error", () => undefined);
  const deadline = Date.now() + 10_000;
  while ((await probe.ping().catch(() => "")) !== "PONG") {
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  probe.disconnect();
}

function redisServer(args) {
  const child = spawn("redis-server", [...args, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  child.once("error", (e) => {
    console.error(`cannot start redis-server (apt-get install redis-server): ${e.message}`);
    process.exit(1);
  });
  return child;
}

const kill = (child) =>
  child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGKILL"); });

/** One redis-server: { port, stop() }. */
export async function startStandalone() {
  const port = await freePort();
  const child = redisServer(["--port", String(port)]);
  await answers(port);
  return { port, stop: () => kill(child) };
}

/** Three masters, no replicas: { ports, stop() }. */
export async function startCluster() {
  const dir = await mkdtemp(join(tmpdir(), "payauth-bench-cluster-"));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children = ports.map((port) =>
    redisServer(["--port", String(port), "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`, "--dir", dir, "--cluster-node-timeout", "1000"]),
  );
  const stop = async () => {
    await Promise.all(children.map(kill));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map(answers));
    const create = spawn("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"], { stdio: "ignore" });
    const code = await new Promise((resolve, reject) => {
      create.once("error", reject);
      create.once("exit", resolve);
    });
    if (code !== 0) throw new Error(`redis-cli --cluster create exited with ${code}`);
    // Until every node serves all 16,384 slots.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const infos = await Promise.all(ports.map(async (port) => {
        const n = new Redis({ port, host: "127.0.0.1" });
        const info = await n.cluster("INFO");
        n.disconnect();
        return info;
      }));
      if (infos.every((i) => i.includes("cluster_state:ok") && i.includes("cluster_slots_assigned:16384"))) break;
      if (Date.now() > deadline) throw new Error("the cluster did not settle");
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, stop };
}
