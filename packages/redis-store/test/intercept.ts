import type { Redis } from "ioredis";

/**
 * `redis` with its next call of `method` paused after Redis answered it: `reached` resolves
 * then, and the caller gets the answer only after `resume()`. Other commands pass through.
 */
export function pausing(redis: Redis, method: string): { redis: Redis; reached: Promise<void>; resume(): void } {
  let reach!: () => void;
  let resume!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  let paused = false;
  const proxy = new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== method || paused || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        paused = true;
        const answer: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        reach();
        await resumed;
        return answer;
      };
    },
  });
  return { redis: proxy, reached, resume };
}

const COMMANDS = new Set(["get", "set", "del", "eval", "exists", "pexpire"]);

/**
 * A deterministic interleaving of Redis commands: each command any actor sends through `redis`
 * waits until every live actor is waiting on one (or done), then `pick(n)` chooses which of the
 * `n` waiting commands goes next. All go through one connection, so Redis runs them in that order.
 */
export function interleaving(redis: Redis, pick: (waiting: number) => number) {
  const waiting: (() => void)[] = [];
  const proxy = new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (typeof property !== "string" || !COMMANDS.has(property)) return value.bind(target);
      return (...args: unknown[]) => new Promise<void>((resolve) => waiting.push(resolve)).then(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
  return {
    redis: proxy,
    /** Runs the actors to the end, one command at a time, and returns how each settled. */
    async run(actors: readonly (() => Promise<unknown>)[]): Promise<PromiseSettledResult<unknown>[]> {
      let live = actors.length;
      const settled = Promise.allSettled(actors.map((actor) => actor().finally(() => live--)));
      const deadline = Date.now() + 10_000;
      for (;;) {
        while (waiting.length < live) {
          if (Date.now() > deadline) throw new Error("an actor neither finished nor sent a command");
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (live === 0) break;
        // The released actor's command runs; the loop above then waits until it sends its next one or finishes.
        waiting.splice(pick(waiting.length), 1)[0]!();
      }
      return settled;
    },
  };
}
