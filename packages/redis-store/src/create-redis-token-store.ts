import { randomUUID } from "node:crypto";
import type { CoordinateOptions, StoredToken, TokenStore } from "@payauth/auth-core";
import { createWakeUps, isNodeRedis, noop, untilReady, type Client, type RedisClient } from "./clients.js";
import { decrypt, encrypt, importKeys, type EncryptionKey } from "./encryption.js";
import { RedisStoreOptionError } from "./redis-store-option-error.js";

export interface RedisTokenStoreOptions {
  /**
   * The client you already have: an ioredis or iovalkey `Redis` or `Cluster`, or a node-redis
   * client from `createClient()` or `createCluster()`, connected or still connecting. The store
   * never closes it; it opens one connection of its own (`duplicate()`) while a process waits
   * for another's token, and closes it when no one waits.
   */
  redis: RedisClient;
  /** The AES-256-GCM key (32 bytes); a list to rotate keys: the first encrypts, all decrypt. */
  encryptionKey: EncryptionKey | readonly EncryptionKey[];
  /**
   * Prepended to every key, e.g. `myapp:`. Keys are `<prefix>{payauth:<provider>:<sha256>}` (the
   * token), with `:lock` and `:not-before` after it: no secret in them, and one hash tag per
   * credential, so that each credential's keys are in one Cluster slot. Default "".
   */
  keyPrefix?: string;
  /**
   * How long the fetch lock outlives a holder that died. A live holder extends it every
   * `lockTtlMs / 3` until its token request settles. Default 15000.
   */
  lockTtlMs?: number;
  /**
   * How long a process waits for one lock holder's token before giving up and fetching on its own,
   * plus up to 20% at random so that waiters do not all give up at once. Default: the holder's
   * worst case (auth-core's `maxFetchMs`, 40 s with the default retry and timeout) or `lockTtlMs`,
   * whichever is longer, plus `3 × operationTimeoutMs + pollIntervalMs` for the Redis round trips.
   */
  waitTimeoutMs?: number;
  /**
   * How often a waiting process looks for the token when Redis cannot wake it (no subscriber
   * connection). Woken by pub/sub, it still looks every `20 × pollIntervalMs` in case a message
   * was lost. Default 50.
   */
  pollIntervalMs?: number;
  /**
   * A Redis command slower than this counts as Redis being down (the client falls back to memory).
   * A client still making its first connection is waited for, within this time. Default 1000.
   */
  operationTimeoutMs?: number;
}

// While KEYS[1] holds ARGV[1]: extends it by ARGV[3] ms, or without ARGV[3] deletes it and wakes
// the waiters on channel ARGV[2]. So a holder never extends or releases a lock that expired and
// went to another, and delete(key, accessToken) never deletes a token stored after it looked.
const IF_STILL =
  'if redis.call("get",KEYS[1])~=ARGV[1] then return 0 end if ARGV[3] then return redis.call("pexpire",KEYS[1],ARGV[3]) end redis.call("publish",ARGV[2],"") return redis.call("del",KEYS[1])';
// Stores ARGV[1] for ARGV[3] ms unless the stored value was obtained later than ARGV[2] (its clear
// `v2:<obtainedAt>:` header; a value without one is replaced), then publishes it to the waiters
// on channel ARGV[4]. GET gives false for no value.
const SET_UNLESS_LATER =
  'local at=tonumber(string.match(redis.call("get",KEYS[1]) or "","^v2:([^:]*)") or "") if at and at>tonumber(ARGV[2]) then return 0 end redis.call("set",KEYS[1],ARGV[1],"PX",ARGV[3]) return redis.call("publish",ARGV[4],ARGV[1])';
// The lock KEYS[2] (taken for ARGV[1] for ARGV[2] ms when free) and the token KEYS[1], at once.
const TAKE = 'local l=redis.call("get",KEYS[2]) if not l then l=ARGV[1] redis.call("set",KEYS[2],l,"PX",ARGV[2]) end return {l,redis.call("get",KEYS[1])}';
// The later of the stored "not before" and ARGV[1], kept for ARGV[2] ms.
const NOT_BEFORE = 'if (tonumber(redis.call("get",KEYS[1])) or 0)<tonumber(ARGV[1]) then redis.call("set",KEYS[1],ARGV[1],"PX",ARGV[2]) end return 0';

/** Timer values: whole milliseconds that Node's timers take as they are (above 2^31-1 ms they fire at once). */
function milliseconds(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 2_147_483_647) {
    throw new RedisStoreOptionError(option, "must be a whole number of milliseconds from 1 to 2147483647");
  }
  return value as number;
}

/**
 * A `TokenStore` on Redis, shared by every process of a fleet: tokens encrypted at rest with
 * a TTL matching their expiry, and `coordinate()` so that only one process asks the provider
 * for a token (a lock released only by its holder) while the others wait for it, woken by
 * pub/sub when it is stored. A provider's `Retry-After` is shared too (`getNotBefore`,
 * `setNotBefore`). When Redis is down or slow, its methods throw quickly and the client falls
 * back to its own in-process cache and single-flight, then uses Redis again once it answers.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  // No options at all (or not an object): `redis`, the first one required, is missing.
  const redis = (options as RedisTokenStoreOptions | undefined)?.redis as Client | undefined;
  if (typeof redis?.eval !== "function") throw new RedisStoreOptionError("redis", "must be an ioredis, iovalkey or node-redis client");
  const keys = importKeys(options.encryptionKey);
  const prefix = options.keyPrefix ?? "";
  if (typeof prefix !== "string") throw new RedisStoreOptionError("keyPrefix", "must be a string");
  const lockTtlMs = milliseconds("lockTtlMs", options.lockTtlMs, 15_000);
  const pollIntervalMs = milliseconds("pollIntervalMs", options.pollIntervalMs, 50);
  const operationTimeoutMs = milliseconds("operationTimeoutMs", options.operationTimeoutMs, 1_000);
  // 0: derived per coordinate() call from the holder's worst case.
  const waitTimeoutMs = milliseconds("waitTimeoutMs", options.waitTimeoutMs, 0);
  const nodeRedis = isNodeRedis(redis);
  /** A Lua script on `keys` (one hash tag: one Cluster slot), in either client family's form. */
  const run = (script: string, names: string[], args: (string | number)[]): Promise<unknown> =>
    nodeRedis ? redis.eval(script, { keys: names, arguments: args.map(String) }) : redis.eval(script, names.length, ...names, ...args);

  /** `promise`, or an error once it took longer than `operationTimeoutMs`. */
  function within<T>(promise: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`@payauth/redis-store: Redis did not answer within ${operationTimeoutMs} ms`)), operationTimeoutMs);
    });
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }

  // Until the client has been ready once (or one wait for it ran out), a command waits for it:
  // a process that calls at start-up, before its client connected, is not in an outage.
  let started = false;
  let starting: Promise<void> | undefined;
  /** A Redis command, or an error once it (with the first connection) took longer than `operationTimeoutMs`. */
  const command = <T>(send: () => Promise<T>): Promise<T> =>
    within(
      (async () => {
        if (!started) await (starting ??= untilReady(redis, operationTimeoutMs));
        started = true;
        return send();
      })(),
    );
  const listen = createWakeUps(redis, operationTimeoutMs, within);

  /** The keys of one credential, all in one hash tag; `wake` is its pub/sub channel. */
  const names = (key: string) => {
    const token = `${prefix}{${key}}`;
    return { token, lock: `${token}:lock`, notBefore: `${token}:not-before`, wake: `${token}:wake` };
  };
  // A value none of our keys decrypts (another key, another format, tampered) is a miss, and reported as such.
  const read = (value: unknown, redisKey: string, undecryptable?: () => void): StoredToken | undefined => {
    const stored = typeof value === "string" ? decrypt(value, keys, redisKey) : undefined;
    if (stored === undefined && typeof value === "string") undecryptable?.();
    return stored;
  };

  return {
    async get(key, options) {
      const { token } = names(key);
      return read(await command(() => redis.get(token)), token, options?.onUndecryptable);
    },
    async set(key, stored, ttlMs) {
      const { token, wake } = names(key);
      const ttl = Math.max(1, Math.floor(ttlMs));
      await command(() => run(SET_UNLESS_LATER, [token], [encrypt(stored, keys, token), stored.obtainedAt, ttl, wake]));
    },
    async delete(key, accessToken) {
      const { token, wake } = names(key);
      if (accessToken === undefined) {
        await command(() => redis.del(token));
        return;
      }
      // Lua cannot decrypt: look here, then delete only the exact value we looked at.
      const value = await command(() => redis.get(token));
      if (read(value, token)?.accessToken === accessToken) await command(() => run(IF_STILL, [token], [value!, wake]));
    },
    async getNotBefore(key) {
      const until = Number(await command(() => redis.get(names(key).notBefore)));
      return until > 0 ? until : undefined;
    },
    async setNotBefore(key, epochMs) {
      const ms = Math.ceil(epochMs - Date.now());
      if (ms > 0) await command(() => run(NOT_BEFORE, [names(key).notBefore], [Math.ceil(epochMs), ms]));
    },
    async coordinate(key: string, fetch: () => Promise<StoredToken>, { isFresh, maxFetchMs, onUndecryptable }: CoordinateOptions): Promise<StoredToken> {
      const { token, lock, wake } = names(key);
      const id = randomUUID();
      // How long to wait for one holder: its worst case (or the life of a dead holder's lock) and the
      // round trips around it, plus up to 20% at random so that waiters do not all give up at once.
      const holderMs = Math.max(lockTtlMs, maxFetchMs || 0);
      const waitMs = (waitTimeoutMs || holderMs + 3 * operationTimeoutMs + pollIntervalMs) * (1 + Math.random() / 5);
      const fresh = (value: unknown): StoredToken | undefined => {
        const stored = read(value, token, onUndecryptable);
        return stored !== undefined && isFresh(stored) ? stored : undefined;
      };
      let holder: unknown;
      let deadline = 0;
      // Wake-ups: subscribed in the background (it polls meanwhile); `leave` once subscribed.
      let subscribing: Promise<void> | undefined;
      let leave: (() => void) | undefined;
      let done = false;
      let heard: string | undefined;
      let wakeUp: ((message: string) => void) | undefined;
      const onMessage = (message: string): void => (wakeUp ? wakeUp(message) : void (heard = message));
      try {
        for (;;) {
          // Takes the lock if it is free, and reads the token, in one round trip.
          const [current, value] = (await command(() => run(TAKE, [token, lock], [id, lockTtlMs]))) as [string, unknown];
          const found = fresh(value);
          if (current === id) {
            // Ours: extend it while we work, so that a slow token endpoint does not let another process in.
            let working = true;
            let timer: ReturnType<typeof setTimeout> | undefined;
            const keepAlive = (): void => {
              timer = setTimeout(() => {
                // Never rejects: a failed extension (Redis away) is tried again, a lost lock (0) is left alone.
                command(() => run(IF_STILL, [lock], [id, wake, lockTtlMs])).then(
                  (extended) => working && extended !== 0 && keepAlive(),
                  () => working && keepAlive(),
                );
              }, lockTtlMs / 3);
            };
            keepAlive();
            try {
              // Another process may have stored a token before we took the lock.
              return found ?? (await fetch());
            } finally {
              working = false;
              clearTimeout(timer);
              // Released with a wake-up: waiters of a holder that failed take over at once.
              await command(() => run(IF_STILL, [lock], [id, wake])).catch(noop);
            }
          }
          if (found !== undefined) return found;
          // Someone else is fetching: wait for their token, or for their lock to go (done, failed or died).
          // While it lives (its holder extends it), wait on: at most `waitMs` for any one holder.
          if (current !== holder) {
            holder = current;
            deadline = Date.now() + waitMs;
          } else if (Date.now() >= deadline) {
            throw new Error(`@payauth/redis-store: no token from the lock holder within ${Math.round(waitMs)} ms`);
          }
          // Once subscribed, it looks again (an empty message), so that a token stored before is not missed.
          subscribing ??= listen(wake, onMessage).then((left) => (done ? left() : ((leave = left), onMessage(""))), noop);
          const message = await new Promise<string | undefined>((resolve) => {
            if (heard !== undefined) return resolve(heard);
            // Woken by the holder's message; else a slow poll (a lost message), or the usual one without pub/sub.
            const timer = setTimeout(resolve, Math.min(deadline - Date.now(), leave ? 20 * pollIntervalMs : pollIntervalMs, 2_147_483_647));
            wakeUp = (m) => {
              clearTimeout(timer);
              resolve(m);
            };
          });
          heard = wakeUp = undefined;
          // The message is the stored value itself (empty: a lock released, or subscribed): no round trip to read it.
          const woken = message ? fresh(message) : undefined;
          if (woken !== undefined) return woken;
        }
      } finally {
        done = true;
        leave?.();
      }
    },
  };
}
