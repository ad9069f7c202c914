import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./fleet-worker.mjs", import.meta.url));

export interface Worker {
  child: ChildProcess;
  /** Sends `message` and resolves with the next message of type `reply`. */
  ask<T = Record<string, unknown>>(message: Record<string, unknown>, reply: string): Promise<T>;
}

/** Forks a worker process (test/fleet-worker.mjs) and waits until it is ready. */
export async function startWorker(env: Record<string, string>): Promise<Worker> {
  const child = fork(WORKER, { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (message.type !== type) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(message);
      };
      const onExit = (code: number | null) => reject(new Error(`worker exited (${code}) before "${type}"`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  await next("ready");
  return {
    child,
    async ask<T>(message: Record<string, unknown>, reply: string) {
      const answer = next(reply);
      child.send(message);
      return (await answer) as T;
    },
  };
}

export async function stopWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
          w.child.once("exit", () => resolve());
          w.child.send({ type: "exit" }, (error) => error && w.child.kill("SIGKILL"));
        }),
    ),
  );
}
