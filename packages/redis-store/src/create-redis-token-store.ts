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
  /** How long the fetch lock lives if its holder dies. Default 15000 (above the 10 s token request timeout). */
  lockTtlMs?: number;
  /** How long a process waits for another's token before fetching on its own. Default `lockTtlMs` + 5000. */
  waitTimeoutMs?: number;
  /** How often a waiting process looks for the token. Default 50. */
  pollIntervalMs?: number;
  /** A Redis command slower than this counts as Redis being down (the client falls back to memory). Default 1000. */
  operationTimeoutMs?: number;
}

// Deletes the key only while it holds ARGV[1]: a holder never releases a lock that expired and went to
// another, and delete(key, accessToken) never deletes a token stored after it looked.
const DELETE_IF = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0';
// Stores ARGV[1] for ARGV[3] ms unless the stored value was obtained later than ARGV[2] (its clear
// `v2:<obtainedAt>:` header; a value without one, v1 or foreign, is replaced).
const SET_IF_NOT_OLDER =
  'local v = redis.call("get", KEYS[1]) local at = v and tonumber(string.match(v, "^v2:([^:]*):") or "") ' +
  'if at and at > tonumber(ARGV[2]) then return 0 end return redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[3])';

/** Timer values: whole milliseconds that Node's timers take as they are (above 2^31-1 ms they fire at once). */
function milliseconds(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 2_147_483_647) {
    throw new RedisStoreOptionError(option, "must be a whole number of milliseconds from 1 to 2147483647");
  }
  return value as number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A `TokenStore` on Redis, shared by every process of a fleet: tokens encrypted at rest with
 * a TTL matching their expiry, and `coordinate()` so that only one process asks the provider
 * for a token (a `SET NX PX` lock released only by its holder) while the others wait for it.
 * When Redis is down or slow, its methods throw quickly and the client falls back to its own
 * in-process cache and single-flight, then uses Redis again once it answers.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  if (typeof options !== "object" || options === null) throw new RedisStoreOptionError("options", "must be an object");
  const { redis } = options;
  if (typeof redis?.get !== "function" || typeof redis.eval !== "function") throw new RedisStoreOptionError("redis", "must be an ioredis client");
  const keys = importKeys(options.encryptionKey);
  const prefix = options.keyPrefix ?? "";
  if (typeof prefix !== "string") throw new RedisStoreOptionError("keyPrefix", "must be a string");
  const lockTtlMs = milliseconds("lockTtlMs", options.lockTtlMs, 15_000);
  const waitTimeoutMs = milliseconds("waitTimeoutMs", options.waitTimeoutMs, lockTtlMs + 5_000);
  const pollIntervalMs = milliseconds("pollIntervalMs", options.pollIntervalMs, 50);
  const operationTimeoutMs = milliseconds("operationTimeoutMs", options.operationTimeoutMs, 1_000);

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
      await command(() => redis.eval(SET_IF_NOT_OLDER, 1, redisKey, encrypt(token, keys, redisKey), token.obtainedAt, ttl));
    },
    async delete(key, accessToken) {
      const redisKey = prefix + key;
      if (accessToken === undefined) {
        await command(() => redis.del(redisKey));
        return;
      }
      // Lua cannot decrypt: look here, then delete only the exact value we looked at.
      const value = await command(() => redis.get(redisKey));
      if (value !== null && decrypt(value, keys, redisKey)?.accessToken === accessToken) await command(() => redis.eval(DELETE_IF, 1, redisKey, value));
    },
    async coordinate(key: string, fetch: () => Promise<StoredToken>, { isFresh }: CoordinateOptions): Promise<StoredToken> {
      const lockKey = `${prefix}${key}:lock`;
      const holder = randomUUID();
      const deadline = Date.now() + waitTimeoutMs;
      for (;;) {
        const locked = await command(() => redis.set(lockKey, holder, "PX", lockTtlMs, "NX"));
        if (locked === "OK") {
          try {
            // Another process may have stored a token between our look and our lock.
            const current = await get(key);
            if (current !== undefined && isFresh(current)) return current;
            return await fetch();
          } finally {
            await command(() => redis.eval(DELETE_IF, 1, lockKey, holder)).catch(() => undefined);
          }
        }
        // Someone else is fetching: wait for their token, or for their lock to go (done, failed or died).
        for (;;) {
          if (Date.now() >= deadline) throw new Error(`@payauth/redis-store: no token from the process holding the lock within ${waitTimeoutMs} ms`);
          await sleep(pollIntervalMs);
          const current = await get(key);
          if (current !== undefined && isFresh(current)) return current;
          if ((await command(() => redis.exists(lockKey))) === 0) break;
        }
      }
    },
  };
}
