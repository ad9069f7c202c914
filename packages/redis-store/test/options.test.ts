import { randomBytes } from "node:crypto";
import { InvalidOptionError } from "@payauth/auth-core";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createRedisTokenStore, RedisStoreOptionError, type RedisTokenStoreOptions } from "../src/index.js";

// Option checks run at construction, before any command: a stand-in client is enough.
const redis = { get: async () => null, set: async () => "OK", eval: async () => 0, exists: async () => 0, del: async () => 0 } as unknown as Redis;
const key = randomBytes(32);

/** What `createRedisTokenStore` throws for these options (fails the test when it does not throw). */
function refusal(options: Record<string, unknown>): unknown {
  try {
    createRedisTokenStore({ redis, encryptionKey: key, ...options } as RedisTokenStoreOptions);
  } catch (error) {
    return error;
  }
  throw new Error(`accepted ${Object.keys(options).join(", ")}`);
}

function expectRefused(options: Record<string, unknown>, option: string): RedisStoreOptionError {
  const error = refusal(options);
  expect(error).toBeInstanceOf(RedisStoreOptionError);
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect((error as RedisStoreOptionError).option).toBe(option);
  expect((error as Error).message).toMatch(new RegExp(`^@payauth/redis-store: option \`${option.replace(/[[\]]/g, "\\$&")}\` `));
  return error as RedisStoreOptionError;
}

const TIMERS = ["lockTtlMs", "waitTimeoutMs", "pollIntervalMs", "operationTimeoutMs"] as const;
const MAX_TIMER_MS = 2 ** 31 - 1;

describe("redis-store options are checked at construction (issue 12, item 8)", () => {
  it("refuses timer values that are not whole milliseconds within 1..2147483647", () => {
    expectRefused({ lockTtlMs: 1.5 }, "lockTtlMs");
    expectRefused({ lockTtlMs: 2 ** 63 }, "lockTtlMs");
    expectRefused({ operationTimeoutMs: 3e9 }, "operationTimeoutMs");
    expectRefused({ waitTimeoutMs: 3e9 }, "waitTimeoutMs");
    expectRefused({ waitTimeoutMs: 0.5 }, "waitTimeoutMs");
    expectRefused({ pollIntervalMs: 2 ** 31 }, "pollIntervalMs");
    expectRefused({ pollIntervalMs: 0.25 }, "pollIntervalMs");
  });

  it("refuses an encryptionKey that is not a key with a typed error that does not echo it", () => {
    const error = expectRefused({ encryptionKey: 12345 }, "encryptionKey");
    expect(error.message).not.toContain("12345");
    // An unset environment variable.
    expectRefused({ encryptionKey: undefined }, "encryptionKey");
    expectRefused({ encryptionKey: [] }, "encryptionKey");
    expectRefused({ encryptionKey: [key, { bytes: key }] }, "encryptionKey");
    const short = expectRefused({ encryptionKey: "c2hvcnQta2V5LW5vdC0zMi1ieXRlcw==" }, "encryptionKey");
    expect(short.message).not.toContain("c2hvcnQta2V5LW5vdC0zMi1ieXRlcw");
  });

  it("refuses a missing redis client, a non-string keyPrefix and a non-object", () => {
    expectRefused({ redis: {} }, "redis");
    expectRefused({ redis: undefined }, "redis");
    expectRefused({ keyPrefix: 42 }, "keyPrefix");
    expect(() => createRedisTokenStore(undefined as never)).toThrow(RedisStoreOptionError);
  });

  it("accepts the bounds themselves", () => {
    for (const option of TIMERS) {
      expect(() => createRedisTokenStore({ redis, encryptionKey: key, [option]: 1 })).not.toThrow();
      expect(() => createRedisTokenStore({ redis, encryptionKey: key, [option]: MAX_TIMER_MS })).not.toThrow();
    }
  });
});

const isTimerValue = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_TIMER_MS;
const invalidTimerValue = fc.oneof(
  fc.double().filter((v) => !isTimerValue(v)), // fractions, 0, negatives, NaN, ±Infinity, past 2^31-1
  fc.integer({ min: MAX_TIMER_MS + 1, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 0 }),
  fc.constantFrom(1.5, 2 ** 63, 3e9, 2 ** 31, 0.5, -0, Number.MAX_VALUE, Number.EPSILON),
  fc.anything({ maxDepth: 2 }).filter((v) => v !== undefined && !isTimerValue(v)), // strings, bigints, objects, null…
);
const isKeyString = (s: string) => /^[0-9a-fA-F]{64}$/.test(s) || Buffer.from(s, "base64").length === 32;
const invalidKey = fc.oneof(
  fc.string({ maxLength: 80 }).filter((s) => !isKeyString(s)),
  fc.stringMatching(/^[A-Za-z0-9+/]{20,60}={0,2}$/).filter((s) => !isKeyString(s)),
  fc.uint8Array({ maxLength: 64 }).filter((b) => b.length !== 32),
  fc.anything({ maxDepth: 2 }).filter((v) => typeof v !== "string" && !(v instanceof Uint8Array) && !Array.isArray(v)),
);

/** The message must be the same whatever the value: it is never built from it. */
const messageFor = (option: string) => (refusal(option === "encryptionKey" ? { encryptionKey: 1 } : { [option]: 1.5 }) as Error).message;

/** Every form of `value` that could leak into a message (only forms long enough to mean something). */
function forms(value: unknown): string[] {
  if (value instanceof Uint8Array) return value.length < 4 ? [] : [Buffer.from(value).toString("hex"), Buffer.from(value).toString("base64")];
  if (typeof value === "string") return value.trim().length < 8 ? [] : [value];
  if (typeof value === "number" || typeof value === "bigint") return String(value).length < 4 ? [] : [String(value)];
  return [];
}

describe("option checks, for the class (fast-check)", () => {
  it("every invalid timer value is refused with RedisStoreOptionError naming the option, and the same message whatever the value", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIMERS), invalidTimerValue, (option, value) => {
        const error = expectRefused({ [option]: value }, option);
        expect(error.message).toBe(messageFor(option));
        for (const form of forms(value)) expect(error.message).not.toContain(form);
      }),
      { numRuns: 500 },
    );
  });

  it("every whole number of ms in 1..2147483647 is accepted for every timer option", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIMERS), fc.integer({ min: 1, max: MAX_TIMER_MS }), (option, value) => {
        expect(() => createRedisTokenStore({ redis, encryptionKey: key, [option]: value })).not.toThrow();
      }),
    );
  });

  it("every invalid encryptionKey (alone, or anywhere in a list) is refused without echoing any form of it", () => {
    fc.assert(
      fc.property(invalidKey, fc.nat({ max: 2 }), fc.nat({ max: 2 }), (bad, before, after) => {
        const list = before + after === 0 ? bad : [...Array<Buffer>(before).fill(key), bad, ...Array<Buffer>(after).fill(key)];
        const error = expectRefused({ encryptionKey: list }, "encryptionKey");
        expect(error.message).toBe(messageFor("encryptionKey"));
        for (const form of forms(bad)) expect(error.message).not.toContain(form);
        expect(error.message).not.toContain(key.toString("base64"));
      }),
      { numRuns: 500 },
    );
  });

  it("every 32-byte key is accepted raw, as 64 hex digits and as base64", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const b = Buffer.from(bytes);
        for (const form of [bytes, b.toString("hex"), b.toString("hex").toUpperCase(), b.toString("base64"), [b.toString("base64"), bytes]]) {
          expect(() => createRedisTokenStore({ redis, encryptionKey: form })).not.toThrow();
        }
      }),
    );
  });
});
