import { AuthError, isAuthError } from "./auth-error.js";
import { createCacheKey, type CacheKeyParts } from "./create-cache-key.js";
import type { TokenGrant } from "./types.js";

/** Where a client secret comes from when it is not a fixed string: a secret manager, a mounted file. */
export type SecretSupplier = () => string | Promise<string>;

/** A grant, with the store key of the secret it was obtained with. */
export type KeyedGrant = TokenGrant & { cacheKey: string };

/** One client's credential: its store key, and token requests made with its current secret. */
export interface Credential {
  /** The store key for the current secret (a supplier is asked for it). */
  cacheKey(): Promise<string>;
  /**
   * Runs `request` with the current secret. With a supplier: when the provider refuses it as
   * `invalid-credentials` and the supplier now returns another secret (it was rotated), runs it
   * once more at once with that one.
   */
  request(send: (secret: string) => Promise<TokenGrant>): Promise<KeyedGrant>;
}

/**
 * A fixed secret is kept for the client's life, its key computed once. A supplier is called
 * whenever a token request (or a cold store read) needs the secret, never on a warm call, and
 * its value is not kept: only the key derived from it.
 */
export function createCredential(provider: string, secret: string | SecretSupplier, parts: Omit<CacheKeyParts, "clientSecret">): Credential {
  if (typeof secret === "string") {
    let key: Promise<string> | undefined;
    const cacheKey = () => (key ??= createCacheKey({ ...parts, clientSecret: secret }));
    return {
      cacheKey,
      request: async (send) => ({ ...(await send(secret)), cacheKey: await cacheKey() }),
    };
  }
  const supply = () => supplied(provider, secret);
  return {
    cacheKey: async () => createCacheKey({ ...parts, clientSecret: await supply() }),
    async request(send) {
      const first = await supply();
      try {
        return { ...(await send(first)), cacheKey: await createCacheKey({ ...parts, clientSecret: first }) };
      } catch (error) {
        if (!isAuthError(error, "invalid-credentials")) throw error;
        const next = await supply();
        if (next === first) throw error;
        // Rotated: the new secret, once, at once.
        return { ...(await send(next)), cacheKey: await createCacheKey({ ...parts, clientSecret: next }) };
      }
    },
  };
}

/** The supplier's secret, or `invalid-credentials` (the cause kept, the value never shown). */
async function supplied(provider: string, supplier: SecretSupplier): Promise<string> {
  let value: unknown;
  try {
    value = await supplier();
  } catch (cause) {
    throw new AuthError({ code: "invalid-credentials", provider, message: "the clientSecret supplier failed; no token request was sent", cause });
  }
  if (typeof value !== "string" || value.trim() === "" || value !== value.trim()) {
    const what = typeof value !== "string" ? `a ${value === null ? "null" : typeof value}` : value.trim() === "" ? "an empty string" : "a string with surrounding white space";
    throw new AuthError({ code: "invalid-credentials", provider, message: `the clientSecret supplier returned ${what}, not a secret; no token request was sent` });
  }
  return value;
}
