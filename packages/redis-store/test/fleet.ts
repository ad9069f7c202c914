import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { serveHandlers, type ProviderFake } from "@payauth/auth-core/testing";
import { http, HttpResponse } from "msw";

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

export interface ServedFake {
  url: string;
  /** Token requests that reached the server, the ones answered 429 here included. */
  readonly tokenRequests: number;
  /** The next token request is answered 429 with this `Retry-After` (seconds or an HTTP date). */
  retryAfterNext(value: string): void;
  close(): Promise<void>;
}

/**
 * `fake` over HTTP on loopback, its token endpoint answering after `tokenDelayMs` (as a real one
 * takes its time), and able to answer one token request with a 429 and a `Retry-After`.
 */
export async function serveFake(fake: ProviderFake, { tokenDelayMs = 0 } = {}): Promise<ServedFake> {
  let tokenRequests = 0;
  let retryAfter: string | undefined;
  const control = http.post("*/v1/auth/login", async () => {
    tokenRequests++;
    if (tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
    if (retryAfter === undefined) return undefined; // on to the fake's own handler
    const value = retryAfter;
    retryAfter = undefined;
    return HttpResponse.json({ code: "rate-limit-exceeded", message: "Too many logins" }, { status: 429, headers: { "retry-after": value } });
  });
  const server = await serveHandlers([control, ...fake.handlers]);
  return {
    url: server.url,
    get tokenRequests() {
      return tokenRequests;
    },
    retryAfterNext(value) {
      retryAfter = value;
    },
    close: () => server.close(),
  };
}
