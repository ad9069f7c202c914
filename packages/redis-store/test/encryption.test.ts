import { randomBytes } from "node:crypto";
import type { StoredToken } from "@payauth/auth-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decrypt, encrypt, importKeys } from "../src/encryption.js";

const keys = importKeys(randomBytes(32));
const token: StoredToken = { accessToken: "eyJ.secret-token.sig", tokenType: "Bearer", obtainedAt: 1_700_000_000_000, expiresAt: 1_700_003_600_000, scopes: ["a"] };

/** A change to the bytes of one of a value's last three fields (IV, ciphertext, GCM tag). */
const mutation = fc.record({
  field: fc.constantFrom(-3, -2, -1),
  change: fc.oneof(
    fc.record({ kind: fc.constant("cut" as const), keep: fc.nat({ max: 31 }) }),
    fc.record({ kind: fc.constant("extend" as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant("flip" as const), bit: fc.nat({ max: 8 * 64 }) }),
  ),
});

function mutate(value: string, { field, change }: typeof mutation extends fc.Arbitrary<infer M> ? M : never): string | undefined {
  const parts = value.split(".");
  const index = parts.length + field;
  const bytes = Buffer.from(parts[index]!, "base64url");
  let changed: Buffer;
  if (change.kind === "cut") {
    if (change.keep >= bytes.length) return undefined;
    changed = bytes.subarray(0, change.keep);
  } else if (change.kind === "extend") {
    changed = Buffer.concat([bytes, change.extra]);
  } else {
    changed = Buffer.from(bytes);
    const at = change.bit % (8 * changed.length);
    changed[at >> 3]! ^= 1 << (at & 7);
  }
  parts[index] = changed.toString("base64url");
  return parts.join(".");
}

describe("AES-256-GCM values (issue 12, item 9)", () => {
  it("any change to the IV, the ciphertext or the tag (cut, lengthened, one bit flipped) is a miss, never a throw", () => {
    const redisKey = "payauth:maxpay:abc";
    const value = encrypt(token, keys, redisKey);
    expect(decrypt(value, keys, redisKey)).toEqual(token);
    fc.assert(
      fc.property(mutation, (m) => {
        const changed = mutate(value, m);
        fc.pre(changed !== undefined);
        expect(decrypt(changed!, keys, redisKey)).toBeUndefined();
      }),
      { numRuns: 1_000 },
    );
  });

  it("the clear obtainedAt header is authenticated: any other header is a miss, and a value moved to another key is too", () => {
    const redisKey = "payauth:maxpay:abc";
    const value = encrypt(token, keys, redisKey);
    const body = value.slice(value.indexOf(":", 3) + 1);
    expect(value).toBe(`v2:${token.obtainedAt}:${body}`);
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 20 }).filter((h) => !h.includes(":"))), fc.string({ maxLength: 20 }), (header, otherKey) => {
        if (String(header) !== String(token.obtainedAt)) expect(decrypt(`v2:${header}:${body}`, keys, redisKey)).toBeUndefined();
        if (otherKey !== redisKey) expect(decrypt(value, keys, otherKey)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
