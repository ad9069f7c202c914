import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { StoredToken } from "@payauth/auth-core";
import { RedisStoreOptionError } from "./redis-store-option-error.js";

/** A 32-byte AES-256 key: raw bytes, or a string of 64 hex digits or base64 of 32 bytes. */
export type EncryptionKey = string | Uint8Array;

const TAG_BYTES = 16;

interface Key {
  id: string;
  bytes: Buffer;
}

function toBytes(key: unknown): Buffer | undefined {
  // Anything else: undefined, refused below.
  if (key instanceof Uint8Array) return Buffer.from(key);
  if (typeof key === "string") return Buffer.from(key, /^[0-9a-f]{64}$/i.test(key) ? "hex" : "base64");
}

/** The keys, the first used to encrypt, all tried to decrypt (so keys can be rotated). */
export function importKeys(keys: unknown): Key[] {
  const list: unknown[] = Array.isArray(keys) ? keys : [keys];
  // Never echoes the value: it may be a key, or most of one.
  const bad = () => new RedisStoreOptionError("encryptionKey", "must be a 32-byte key (raw, 64 hex digits or base64) or a list of them: `openssl rand -base64 32` makes one");
  if (list.length === 0) throw bad();
  return list.map((key) => {
    const bytes = toBytes(key);
    if (bytes?.length !== 32) throw bad();
    return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
  });
}

/**
 * AES-256-GCM with a fresh 12-byte IV. Format: `v2:<obtainedAt>:<key id>.<iv>.<ciphertext>.<tag>`
 * (base64url). `obtainedAt` is in clear so that a Lua script can compare it (a `set` keeps a
 * later token); the header and the Redis key are the authenticated data, so neither the header
 * can be altered nor the value moved to another key.
 */
export function encrypt(token: StoredToken, keys: readonly Key[], redisKey: string): string {
  const key = keys[0]!;
  const iv = randomBytes(12);
  const header = `v2:${token.obtainedAt}:`;
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(header + redisKey));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(token), "utf8"), cipher.final()]);
  return header + [key.id, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** Called within `decrypt`'s try: a value of another shape (null, no array of scopes) throws, and is a miss. */
function isStoredToken(t: StoredToken): boolean {
  return (
    typeof t.accessToken === "string" && t.accessToken !== "" &&
    t.tokenType === "Bearer" &&
    Number.isFinite(t.obtainedAt) && Number.isFinite(t.expiresAt) &&
    t.scopes.every((s) => typeof s === "string")
  );
}

/**
 * The token, or `undefined` when the value is not ours, was written with an unknown key, was
 * tampered with, or is not in the v2 format (anything malformed throws here, and is a miss).
 */
export function decrypt(value: string, keys: readonly Key[], redisKey: string): StoredToken | undefined {
  try {
    const header = /^v2:[^:]*:/.exec(value)![0];
    const [id, iv, ciphertext, tag, ...rest] = value.slice(header.length).split(".");
    // The tag length is pinned: GCM would otherwise accept a tag cut to 4 bytes, far easier to forge.
    const authTag = Buffer.from(tag!, "base64url");
    if (rest.length > 0 || authTag.length !== TAG_BYTES) return undefined;
    const decipher = createDecipheriv("aes-256-gcm", keys.find((k) => k.id === id)!.bytes, Buffer.from(iv!, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(header + redisKey));
    decipher.setAuthTag(authTag);
    const token = JSON.parse(Buffer.concat([decipher.update(Buffer.from(ciphertext!, "base64url")), decipher.final()]).toString("utf8")) as StoredToken;
    return isStoredToken(token) ? token : undefined;
  } catch {
    return undefined;
  }
}
