// A TokenStore for Cloudflare Workers backed by a Durable Object: one object per credential key,
// so every isolate of every Worker bound to it shares one token, and the object's single thread
// is the fleet's lock (one token request across isolates, not one per isolate). A recipe to copy
// into a Worker (it imports `cloudflare:workers`), tested by `pnpm test:runtimes` in workerd
// through miniflare: 3 Workers × 50 concurrent cold requests make 1 token request.
//
//   // wrangler.jsonc: "durable_objects": { "bindings": [{ "name": "PAYAUTH_TOKENS", "class_name": "PayauthTokenObject" }] },
//   //                 "migrations": [{ "tag": "v1", "new_sqlite_classes": ["PayauthTokenObject"] }]
//   export { PayauthTokenObject } from "./durable-object-token-store.mjs";
//   maxpay ??= createMaxPayClient({ …, tokenStore: createDurableObjectTokenStore(env.PAYAUTH_TOKENS) });
//
// The object keeps the token in its storage (encrypted at rest by Cloudflare; it holds a bearer
// token, never the client secret: the key is auth-core's HMAC of the credential). A lock is a
// lease in memory: a holder that is evicted mid-request stops blocking others after `leaseMs`.
import { DurableObject } from "cloudflare:workers";

const TOKEN = "token";
const NOT_BEFORE = "notBefore";

export class PayauthTokenObject extends DurableObject {
  /** The lock: `{ holder, until }` while a token request runs somewhere. */
  #lock = undefined;
  /** Waiters for a token or a released lock. */
  #waiters = new Set();

  #wake() {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  async get() {
    const entry = await this.ctx.storage.get(TOKEN);
    if (entry === undefined) return undefined;
    if (Date.now() >= entry.dropAt) {
      await this.ctx.storage.delete(TOKEN);
      return undefined;
    }
    return entry.token;
  }

  /** Keeps the stored token when it was obtained later (the TokenStore contract). */
  async set(token, ttlMs) {
    const current = await this.get();
    if (current === undefined || current.obtainedAt <= token.obtainedAt) {
      await this.ctx.storage.put(TOKEN, { token, dropAt: Date.now() + Math.max(0, ttlMs) });
    }
    this.#wake();
  }

  /** Deletes the token; with `accessToken`, only while the stored token is that one. */
  async delete(accessToken) {
    const current = await this.get();
    if (current !== undefined && (accessToken === undefined || current.accessToken === accessToken)) await this.ctx.storage.delete(TOKEN);
  }

  /** Takes the lock when it is free (or its lease ran out); answers the stored token either way. */
  async acquire(holder, leaseMs) {
    const token = await this.get();
    const now = Date.now();
    const granted = this.#lock === undefined || this.#lock.until <= now || this.#lock.holder === holder;
    if (granted) this.#lock = { holder, until: now + leaseMs };
    return { token, granted };
  }

  async release(holder) {
    if (this.#lock?.holder === holder) this.#lock = undefined;
    this.#wake();
  }

  /** Resolves with the stored token when one is set or the lock released, or after `ms`. */
  async wait(ms) {
    await new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.add(done);
    });
    return this.get();
  }

  async getNotBefore() {
    const at = await this.ctx.storage.get(NOT_BEFORE);
    return at !== undefined && at > Date.now() ? at : undefined;
  }

  async setNotBefore(epochMs) {
    const at = await this.ctx.storage.get(NOT_BEFORE);
    await this.ctx.storage.put(NOT_BEFORE, Math.max(epochMs, at ?? 0));
  }
}

/**
 * The `tokenStore` for a client: `namespace` is the Durable Object binding of
 * `PayauthTokenObject`. `leaseMs` (default 15 s) bounds how long a lock outlives a holder that
 * went away; a live holder's lock lasts at least the client's whole token request with retries.
 */
export function createDurableObjectTokenStore(namespace, { leaseMs = 15_000 } = {}) {
  const object = (key) => namespace.get(namespace.idFromName(key));
  return {
    get: (key) => object(key).get(),
    set: (key, token, ttlMs) => object(key).set(token, ttlMs),
    delete: (key, accessToken) => object(key).delete(accessToken),
    getNotBefore: (key) => object(key).getNotBefore(),
    setNotBefore: (key, epochMs) => object(key).setNotBefore(epochMs),
    /** One `fetch` at a time across isolates; the others wait for its token. */
    async coordinate(key, fetch, { isFresh, maxFetchMs }) {
      const stub = object(key);
      const holder = crypto.randomUUID();
      const lease = Math.max(leaseMs, maxFetchMs ?? 0) + 5_000;
      const deadline = Date.now() + lease + 5_000;
      // Bounded: a holder that never finishes costs at most its lease, then we fetch ourselves.
      for (let round = 0; round < 1_000 && Date.now() < deadline; round++) {
        const { token, granted } = await stub.acquire(holder, lease);
        if (token !== undefined && isFresh(token)) {
          if (granted) await stub.release(holder);
          return token;
        }
        if (granted) {
          try {
            return await fetch(); // stores the token it gets, which wakes the waiters
          } finally {
            await stub.release(holder).catch(() => undefined);
          }
        }
        const seen = await stub.wait(Math.min(1_000, Math.max(0, deadline - Date.now())));
        if (seen !== undefined && isFresh(seen)) return seen;
      }
      return fetch();
    },
  };
}
