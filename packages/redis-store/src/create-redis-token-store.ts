import { randomUUID } from "node:crypto";
import type { CoordinateOptions, StoredToken, TokenStore } from "@payauth/auth-core";
import type { Cluster, Redis } from "ioredis";
import { decrypt, encrypt, importKeys, type EncryptionKey } from "./encryption.js";
import { RedisStoreOptionError } from "./redis-store-option-error.js";

export interface RedisTokenStoreOptions {
  /** An ioredis client (or cluster) you already have. The store never closes it. */
  redis: Redis | Cluster;
  /** The AES-256-GCM key (32 bytes); a list to rotate keys: the first encrypts, all decrypt. */
  encryptionKey: EncryptionKey | readonly EncryptionKey[];
  /** Prepended to every key, e.g. `myapp:`. Keys are `<prefix>payauth:<provider>:<sha256>`: no secret in them. Default "". */
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
  /** How often a waiting process looks for the token. Default 50. */
  pollIntervalMs?: number;
  /** A Redis command slower than this counts as Redis being down (the client falls back to memory). Default 1000. */
  operationTimeoutMs?: number;
}

// While KEYS[1] holds ARGV[1]: extends it by ARGV[2] ms, or without ARGV[2] deletes it. So a holder
// never extends or releases a lock that expired and went to another, and delete(key, accessToken)
// never deletes a token stored after it looked.
const IF_STILL = 'if redis.call("get",KEYS[1])==ARGV[1] then return ARGV[2] and redis.call("pexpire",KEYS[1],ARGV[2]) or redis.call("del",KEYS[1]) end return 0';
// Stores ARGV[1] for ARGV[3] ms unless the stored value was obtained later than ARGV[2] (its clear
// `v2:<obtainedAt>:` header; a value without one is replaced). GET gives false for no value.
const SET_UNLESS_LATER =
  'local at=tonumber(string.match(redis.call("get",KEYS[1]) or "","^v2:([^:]*)") or "") if at and at>tonumber(ARGV[2]) then return 0 end return redis.call("set",KEYS[1],ARGV[1],"PX",ARGV[3])';

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
 * for a token (a `SET NX PX` lock released only by its holder) while the others wait for it.
 * When Redis is down or slow, its methods throw quickly and the client falls back to its own
 * in-process cache and single-flight, then uses Redis again once it answers.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  // No options at all (or not an object): `redis`, the first one required, is missing.
  const redis = (options as RedisTokenStoreOptions | undefined)?.redis as Redis | Cluster;
  if (typeof redis?.eval !== "function") throw new RedisStoreOptionError("redis", "must be an ioredis client");
  const keys = importKeys(options.encryptionKey);
  const prefix = options.keyPrefix ?? "";
  if (typeof prefix !== "string") throw new RedisStoreOptionError("keyPrefix", "must be a string");
  const lockTtlMs = milliseconds("lockTtlMs", options.lockTtlMs, 15_000);
  const pollIntervalMs = milliseconds("pollIntervalMs", options.pollIntervalMs, 50);
  const operationTimeoutMs = milliseconds("operationTimeoutMs", options.operationTimeoutMs, 1_000);
  // 0: derived per coordinate() call from the holder's worst case.
  const waitTimeoutMs = milliseconds("waitTimeoutMs", options.waitTimeoutMs, 0);

  /** A Redis command, or an error once it took longer than `operationTimeoutMs`. */
  function command<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`@payauth/redis-store: Redis did not answer within ${operationTimeoutMs} ms`)), operationTimeoutMs);
      run().then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  async function get(key: string): Promise<StoredToken | undefined> {
    const redisKey = prefix + key;
    const value = await command(() => redis.get(redisKey));
    return value === null ? undefined : decrypt(value, keys, redisKey);
  }

  return {
    get,
    async set(key, token, ttlMs) {
      const redisKey = prefix + key;
      const ttl = Math.max(1, Math.floor(ttlMs));
      await command(() => redis.eval(SET_UNLESS_LATER, 1, redisKey, encrypt(token, keys, redisKey), token.obtainedAt, ttl));
    },
    async delete(key, accessToken) {
      const redisKey = prefix + key;
      if (accessToken === undefined) {
        await command(() => redis.del(redisKey));
        return;
      }
      // Lua cannot decrypt: look here, then delete only the exact value we looked at.
      const value = await command(() => redis.get(redisKey));
      if (value !== null && decrypt(value, keys, redisKey)?.accessToken === accessToken) await command(() => redis.eval(IF_STILL, 1, redisKey, value));
    },
    async coordinate(key: string, fetch: () => Promise<StoredToken>, { isFresh, maxFetchMs }: CoordinateOptions): Promise<StoredToken> {
      const lockKey = `${prefix}${key}:lock`;
      const id = randomUUID();
      // How long to wait for one holder: its worst case (or the life of a dead holder's lock) and the
      // round trips around it, plus up to 20% at random so that waiters do not all give up at once.
      const holderMs = Math.max(lockTtlMs, maxFetchMs || 0);
      const waitMs = (waitTimeoutMs || holderMs + 3 * operationTimeoutMs + pollIntervalMs) * (1 + Math.random() / 5);
      let holder: string | null = null;
      let deadline = 0;
      for (;;) {
        if ((await command(() => redis.set(lockKey, id, "PX", lockTtlMs, "NX"))) === "OK") {
          // Ours: extend it while we work, so that a slow token endpoint does not let another process in.
          let working = true;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const keepAlive = (): void => {
            timer = setTimeout(() => {
              // Never rejects: a failed extension (Redis away) is tried again, a lost lock (0) is left alone.
              command(() => redis.eval(IF_STILL, 1, lockKey, id, lockTtlMs)).then(
                (extended) => working && extended !== 0 && keepAlive(),
                () => working && keepAlive(),
              );
            }, lockTtlMs / 3);
          };
          keepAlive();
          try {
            // Another process may have stored a token between our look and our lock.
            const current = await get(key);
            if (current !== undefined && isFresh(current)) return current;
            return await fetch();
          } finally {
            working = false;
            clearTimeout(timer);
            await command(() => redis.eval(IF_STILL, 1, lockKey, id)).catch(() => undefined);
          }
        }
        // Someone else is fetching: wait for their token, or for their lock to go (done, failed or died).
        // While it lives (its holder extends it), wait on: at most `waitMs` for any one holder.
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
          const current = await get(key);
          if (current !== undefined && isFresh(current)) return current;
          const seen = await command(() => redis.get(lockKey));
          if (seen === null) break;
          if (seen !== holder) {
            holder = seen;
            deadline = Date.now() + waitMs;
          } else if (Date.now() >= deadline) {
            throw new Error(`@payauth/redis-store: no token from the lock holder within ${Math.round(waitMs)} ms`);
          }
        }
      }
    },
  };
}
