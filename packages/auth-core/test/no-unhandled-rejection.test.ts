import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthError } from "../src/auth-error.js";
import { createTokenManager } from "../src/create-token-manager.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { untilAborted } from "../src/until-aborted.js";
import type { StoredToken, TokenGrant, TokenStore } from "../src/types.js";

// payauth's promise: no interleaving of a caller's abort, the store and the token request takes
// the process down. Node turns an unobserved rejected promise into an `unhandledRejection`, and
// by default exits with code 1: every test here fails on one.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});

/** Lets Node run its rejection tracking (it reports after the microtask queue drains). */
async function drain(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

const serverError = () => new AuthError({ code: "server-error", provider: "test", message: "token request failed with HTTP 503", status: 503 });

describe("untilAborted", () => {
  it("observes the promise even when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    let fail!: (e: unknown) => void;
    const shared = new Promise<never>((_, reject) => (fail = reject));
    await expect(untilAborted(shared, controller.signal)).rejects.toThrow("gone");
    fail(serverError());
    await drain();
    expect(unhandled).toEqual([]);
  });
});

describe("getToken: a caller that aborts while the store is read", () => {
  it("regression: signal fires during a slow store read, then the token request fails: no unhandled rejection", async () => {
    // Redis down (the read fails after a while), the token endpoint answers 503, the caller gave up at 100 ms.
    const store: TokenStore = {
      get: () => new Promise((_, reject) => setTimeout(() => reject(new Error("Redis did not answer")), 30)),
      set: async () => undefined,
      delete: async () => undefined,
    };
    const auth = createTokenManager({
      cacheKey: "k",
      store,
      retry: { maxAttempts: 1 },
      requestToken: () => new Promise<TokenGrant>((_, reject) => setTimeout(() => reject(serverError()), 10)),
    });
    const call = auth.getToken({ signal: AbortSignal.timeout(5) });
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await drain();
    expect(unhandled).toEqual([]);
  });
});

type Outcome = "succeed" | "fail" | "hang";
type StoreMode = "up" | "slow" | "down";
type AbortAt = "never" | "before" | "during-store" | "after-store" | "during-request";

describe("getToken: every interleaving of abort, store and token request (property)", () => {
  it("never leaves a rejection unobserved, and every caller settles as it should", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom<StoreMode>("up", "slow", "down"),
        fc.array(fc.constantFrom<Outcome>("succeed", "fail", "hang"), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ abortAt: fc.constantFrom<AbortAt>("never", "before", "during-store", "after-store", "during-request"), force: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        async (s, storeMode, outcomes, callers) => {
          unhandled.length = 0;
          const memory = createMemoryTokenStore();
          // Store reads and writes resolve when the scheduler says so; a "down" store rejects.
          const down = (what: string) =>
            s.schedule(Promise.resolve(), what).then(() => {
              throw new Error("store down");
            });
          const store: TokenStore = {
            get: (key) => (storeMode === "up" ? memory.get(key) : storeMode === "down" ? down("store.get(down)") : s.schedule(memory.get(key), "store.get(slow)")),
            set: (key, token: StoredToken, ttl) => (storeMode === "down" ? down("store.set(down)") : memory.set(key, token, ttl)),
            delete: (key) => memory.delete(key),
          };
          let requests = 0;
          const auth = createTokenManager({
            cacheKey: "k",
            store,
            retry: { maxAttempts: 1 },
            circuitBreaker: false,
            tokenRequestLimit: false,
            requestToken: () => {
              const outcome = outcomes[requests++ % outcomes.length]!;
              if (outcome === "hang") return new Promise<TokenGrant>(() => undefined);
              return s.schedule(Promise.resolve(outcome), `request(${outcome})`).then((o) => {
                if (o === "fail") throw serverError();
                return { accessToken: `tok-${requests}`, expiresInSeconds: 3600, scopes: [] };
              });
            },
          });
          const calls = callers.map(({ abortAt, force }, i) => {
            const controller = new AbortController();
            if (abortAt === "before") controller.abort(new Error(`caller ${i} gone`));
            else if (abortAt !== "never") {
              // The abort is one more scheduled task: fast-check interleaves it with the store and the request.
              void s.schedule(Promise.resolve(), `abort ${i} (${abortAt})`).then(() => controller.abort(new Error(`caller ${i} gone`)));
            }
            return auth.getToken({ signal: controller.signal, forceRefresh: force }).then(
              (token) => ({ ok: true as const, token }),
              (error: unknown) => ({ ok: false as const, error }),
            );
          });
          // Run every scheduled task; hanging requests stay pending, as a stalled endpoint would.
          await s.waitAll();
          await drain();
          expect(unhandled).toEqual([]);
          const pending = { pending: true };
          const settled = await Promise.all(calls.map((call) => Promise.race([call, pending])));
          settled.forEach((result, i) => {
            // A caller that aborted has settled, whatever the request does.
            if (callers[i]!.abortAt !== "never") expect(result).not.toBe(pending);
            if ("pending" in result || result.ok) return;
            // A failure is the caller's own abort or a typed AuthError: never a store error.
            const error = result.error as Error;
            expect(error instanceof AuthError || error.message === `caller ${i} gone`, String(error)).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
