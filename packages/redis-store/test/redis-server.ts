import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
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
