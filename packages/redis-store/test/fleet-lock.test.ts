import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { CoordinateOptions, StoredToken, TokenStore } from "@payauth/auth-core";
import { createMaxPayClient } from "@payauth/maxpay";
import { createHandlersFetch, createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore, type RedisTokenStoreOptions } from "../src/index.js";
import { startRedis, type RedisServer } from "./redis-server.js";

const encryptionKey = randomBytes(32);
let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = await server.client();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
afterEach(async () => {
  if (redis.status === "ready") await redis.flushall();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let counter = 0;
const newToken = (): StoredToken => {
  const obtainedAt = Date.now();
  return { accessToken: `eyJ.token-${++counter}.sig`, tokenType: "Bearer", obtainedAt, expiresAt: obtainedAt + 3_600_000, scopes: [] };
};
const isFresh = (t: StoredToken) => t.expiresAt > Date.now();

/** One process of a fleet: its own store (and lock holder id) on the shared Redis. */
function process_(options: Partial<RedisTokenStoreOptions> = {}) {
  const store = createRedisTokenStore({ redis, encryptionKey, ...options } as RedisTokenStoreOptions);
  const fetches: { started: number; ended?: number }[] = [];
  return {
    store,
    fetches,
    /** coordinate() with a fetch that takes `ms`, stores its token and returns it (or fails). */
    coordinate(key: string, ms: number, extra: Partial<CoordinateOptions> & { fail?: boolean } = {}): Promise<StoredToken> {
      return (store.coordinate as NonNullable<TokenStore["coordinate"]>)(
        key,
        async () => {
          const record: { started: number; ended?: number } = { started: performance.now() };
          fetches.push(record);
          await sleep(ms);
          record.ended = performance.now();
          if (extra.fail === true) throw new Error("token endpoint failed");
          const token = newToken();
          await store.set(key, token, 3_600_000);
          return token;
        },
        { isFresh, ...extra },
      );
    },
  };
}

async function untilLocked(key: string): Promise<void> {
  while ((await redis.exists(`{${key}}:lock`)) === 0) await sleep(5);
}

describe("the fleet lock is kept alive while its holder works (issue 12, item 3)", () => {
  it("a holder whose fetch outlives lockTtlMs keeps the lock: the other process waits for its token and never fetches", async () => {
    const holder = process_({ lockTtlMs: 300 });
    const other = process_({ lockTtlMs: 300 });
    const holding = holder.coordinate("k", 1_500);
    await untilLocked("k");
    const waiting = other.coordinate("k", 10);
    await sleep(900); // three lock lifetimes
    expect(await redis.pttl("{k}:lock")).toBeGreaterThan(0);
    const [held, waited] = await Promise.all([holding, waiting]);
    expect(waited).toEqual(held);
    expect(other.fetches).toHaveLength(0);
    expect(await redis.exists("{k}:lock")).toBe(0); // released by its holder
  });

  it("a token endpoint slower than the lock's life, with a retry: two clients of a fleet make the token requests one makes", async () => {
    const fake = createMaxPayFake();
    const handlers = createHandlersFetch(fake.handlers);
    // Every answer of the token endpoint takes 600 ms; the first is a 503 (retried). The holder works about 1.3 s.
    const fetch = async (request: Request) => {
      if (new URL(request.url).pathname.endsWith("/login")) await sleep(600);
      return handlers(request);
    };
    fake.failNext("token", { status: 503 });
    const client = () =>
      createMaxPayClient({
        baseUrl: "https://api.maxpay.test",
        ...maxPayFakeCredentials,
        fetch,
        tokenStore: createRedisTokenStore({ redis, encryptionKey, lockTtlMs: 300 }),
        retry: { baseDelayMs: 50 },
      });
    const [first, second] = [client(), client()];
    const a = first.auth.getToken();
    await waitForLockKey();
    const b = second.auth.getToken();
    const [ta, tb] = await Promise.all([a, b]);
    expect(tb.accessToken).toBe(ta.accessToken);
    expect(fake.stats.tokenRequests).toBe(2); // the 503 and its retry; a second process fetching would make 3 or 4
    expect(fake.stats.tokensIssued).toBe(1);
  });

  it("waiters wait at least the holder's worst case (maxFetchMs), beyond the default lockTtlMs-based wait", async () => {
    const options = { lockTtlMs: 200, operationTimeoutMs: 100, pollIntervalMs: 20 };
    const holder = process_(options);
    const other = process_(options);
    const holding = holder.coordinate("k", 1_200, { maxFetchMs: 1_500 });
    await untilLocked("k");
    const waited = await other.coordinate("k", 10, { maxFetchMs: 1_500 });
    expect(waited).toEqual(await holding);
    expect(other.fetches).toHaveLength(0);
  });

  it("an explicit waitTimeoutMs still bounds the wait for one holder: the waiter gives up (throws), it does not take the live lock", async () => {
    const holder = process_({ lockTtlMs: 200 });
    const other = process_({ lockTtlMs: 200, waitTimeoutMs: 300, pollIntervalMs: 10 });
    const holding = holder.coordinate("k", 1_500, { maxFetchMs: 10_000 });
    await untilLocked("k");
    const started = performance.now();
    await expect(other.coordinate("k", 10, { maxFetchMs: 10_000 })).rejects.toThrow(/no token from the lock holder within/);
    const waitedMs = performance.now() - started;
    expect(waitedMs).toBeGreaterThanOrEqual(300);
    expect(waitedMs).toBeLessThan(1_400);
    expect(other.fetches).toHaveLength(0);
    await holding;
  });

  it("waiters that give up do not all give up at the same instant (jitter)", async () => {
    const holder = process_({ lockTtlMs: 200 });
    const holding = holder.coordinate("k", 2_500);
    await untilLocked("k");
    const started = performance.now();
    const gaveUp = await Promise.all(
      Array.from({ length: 8 }, () =>
        process_({ lockTtlMs: 200, waitTimeoutMs: 1_000, pollIntervalMs: 5 })
          .coordinate("k", 10)
          .then(
            () => Number.NaN,
            () => performance.now() - started,
          ),
      ),
    );
    expect(gaveUp.every((ms) => ms >= 1_000)).toBe(true);
    // Up to 20% of the wait at random: 8 waiters spread over a 200 ms window, not bunched within a few polls.
    expect(Math.max(...gaveUp) - Math.min(...gaveUp)).toBeGreaterThan(40);
    await holding;
  });
});

describe("the fleet lock, for the class (fast-check)", () => {
  const fleet = fc.array(
    fc.record({ startMs: fc.integer({ min: 0, max: 300 }), fetchMs: fc.integer({ min: 20, max: 900 }), fails: fc.nat({ max: 3 }).map((n) => n === 0) }),
    { minLength: 2, maxLength: 4 },
  );

  it("whatever the timing (fetches up to 3 lock lifetimes, holders that fail), no two fetches ever overlap, at most one succeeds, and nobody gives up", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fleet, async (members) => {
        const key = `prop-${++run}`;
        const processes = members.map(() => process_({ lockTtlMs: 300, pollIntervalMs: 10 }));
        const outcomes = await Promise.all(
          members.map(async (m, i) => {
            await sleep(m.startMs);
            return processes[i]!.coordinate(key, m.fetchMs, { maxFetchMs: 1_000, fail: m.fails }).then(
              (token) => ({ token }),
              (error: Error) => ({ error }),
            );
          }),
        );
        const fetches = processes.flatMap((p) => p.fetches).sort((a, b) => a.started - b.started);
        for (let i = 1; i < fetches.length; i++) expect(fetches[i]!.started).toBeGreaterThanOrEqual(fetches[i - 1]!.ended!);
        const tokens = new Set(outcomes.flatMap((o) => ("token" in o ? [o.token.accessToken] : [])));
        expect(tokens.size).toBeLessThanOrEqual(1);
        for (const [i, o] of outcomes.entries()) {
          // A caller fails only with its own fetch's failure, never by giving up on a live holder.
          if ("error" in o) {
            expect(o.error.message).toBe("token endpoint failed");
            expect(members[i]!.fails).toBe(true);
          }
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe("the keep-alive timers", () => {
  it("stop when the fetch settles: no extension is sent afterwards, and the lock is released", async () => {
    let extensions = 0;
    const counting = new Proxy(redis, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (property !== "eval") return value.bind(target);
        return (script: string, ...args: unknown[]) => {
          if (script.includes("pexpire")) extensions++;
          return (value as (...a: unknown[]) => unknown).call(target, script, ...args);
        };
      },
    });
    const holder = createRedisTokenStore({ redis: counting, encryptionKey, lockTtlMs: 150 });
    await holder.coordinate!("k", async () => {
      await sleep(400);
      const token = newToken();
      await holder.set("k", token, 60_000);
      return token;
    }, { isFresh });
    expect(extensions).toBeGreaterThanOrEqual(2);
    const after = extensions;
    await sleep(400);
    expect(extensions).toBe(after);
    expect(await redis.exists("{k}:lock")).toBe(0);
  });

  it("do not keep the process alive once the fetch settled (a child process exits at once)", async () => {
    const child = fork(fileURLToPath(new URL("./keep-alive-child.mjs", import.meta.url)), {
      env: { ...process.env, REDIS_PORT: String(server.port) },
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    let settledAt: number | undefined;
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("settled")) settledAt = performance.now();
    });
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const code = await exit;
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(settledAt).toBeDefined();
    // A keep-alive timer left behind would hold it until the next extension was due, 1.5 s later, and then for ever.
    expect(performance.now() - settledAt!).toBeLessThan(1_000);
  });

  it("never produce an unhandled rejection when Redis fails or hangs mid-fetch", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      for (const mode of ["fails", "hangs"] as const) {
        let broken = false;
        const flaky = new Proxy(redis, {
          get(target, property, receiver) {
            const value: unknown = Reflect.get(target, property, receiver);
            if (typeof value !== "function") return value;
            if (!broken || !["eval", "get", "set", "del", "exists"].includes(property as string)) return value.bind(target);
            return () => (mode === "fails" ? Promise.reject(new Error("Connection is closed.")) : new Promise(() => undefined));
          },
        });
        const store = createRedisTokenStore({ redis: flaky, encryptionKey, lockTtlMs: 90, operationTimeoutMs: 50 });
        const token = newToken();
        const result = await store.coordinate!(`k-${mode}`, async () => {
          broken = true; // Redis goes away while the holder works: every extension fails, then the release
          await sleep(400);
          return token;
        }, { isFresh });
        expect(result).toEqual(token);
      }
      await sleep(300);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("never produce an unhandled rejection when redis-server is killed mid-fetch", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const own = await startRedis();
    const client = await own.client();
    try {
      const store = createRedisTokenStore({ redis: client, encryptionKey, lockTtlMs: 90, operationTimeoutMs: 200 });
      const token = newToken();
      const result = await store.coordinate!("k", async () => {
        await own.stop();
        await sleep(400);
        return token;
      }, { isFresh });
      expect(result).toEqual(token);
      await sleep(300);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      client.disconnect();
      await own.stop();
    }
  });
});

async function waitForLockKey(): Promise<string> {
  for (;;) {
    const [lock] = await redis.keys("*:lock");
    if (lock !== undefined) return lock.replace(/:lock$/, "");
    await sleep(5);
  }
}
