// Memory: heap growth of a @payauth client over 100,000 calls on a warm token (fetch stubbed),
// and over 2,000 token renewals (manual clock), measured as heapUsed after full GCs.
// Run with `node --expose-gc` (run.mjs does).
import { createMaxPayClient } from "@payauth/maxpay";
import { createManualClock } from "@payauth/maxpay/testing";
import createClient from "openapi-fetch";
import { CLIENT_ID, CLIENT_SECRET, ME_JSON } from "./loopback-servers.mjs";
import { stubFetch } from "./overhead.mjs";
import { isMain, log, report, yieldToEventLoop } from "./util.mjs";

const BASE = "https://api.maxpay.bench.test";
/** Growth under this over a whole phase is GC noise; a leak of even 16 bytes a call would be 1.6 MB. */
export const LEAK_THRESHOLD_BYTES = 256 * 1024;

async function heapAfterGc() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Calls `call` `count` times, `concurrency` at once, yielding to the event loop between
 * batches as real I/O would (see util.mjs), with the heap growth after GC at each quarter.
 */
async function phase(name, call, { count, warmup, concurrency }) {
  const batch = async () => {
    await Promise.all(Array.from({ length: concurrency }, () => call()));
    await yieldToEventLoop();
  };
  for (let done = 0; done < warmup; done += concurrency) await batch();
  const before = await heapAfterGc();
  const checkpoints = [];
  for (let done = 0; done < count; done += concurrency) {
    await batch();
    if ((done + concurrency) % (count / 4) === 0) checkpoints.push(((await heapAfterGc()) - before) / 1024);
  }
  const after = await heapAfterGc();
  log(`memory: ${name}: ${((after - before) / 1024).toFixed(1)} KB after ${count}`);
  return { name, count, beforeBytes: before, afterBytes: after, growthBytes: after - before, growthKBAtQuarters: checkpoints };
}

export async function run({ calls = 100_000, tokens = 5_000 } = {}) {
  if (typeof globalThis.gc !== "function") throw new Error("memory.mjs needs node --expose-gc");

  // Per request: a warm token, fetch answering at once.
  const payauth = createMaxPayClient({ baseUrl: BASE, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: stubFetch });
  await payauth.auth.getToken();
  const perRequest = await phase("@payauth/maxpay, per request", async () => {
    if ((await payauth.GET("/v1/me")).data === undefined) throw new Error("call failed");
  }, { count: calls, warmup: 10_000, concurrency: 100 });

  // The same for openapi-fetch with a static header: what GC noise looks like without payauth.
  const plain = createClient({ baseUrl: BASE, fetch: stubFetch, headers: { Authorization: "Bearer static" } });
  const control = await phase("openapi-fetch + static header, per request", async () => {
    if ((await plain.GET("/v1/me")).data === undefined) throw new Error("call failed");
  }, { count: calls, warmup: 10_000, concurrency: 100 });

  // Per token: every call comes after the previous token's renewal time, so each fetches a new token.
  const clock = createManualClock();
  let issued = 0;
  const tokenFetch = (request) => {
    if (request.url.endsWith("/v1/auth/login")) {
      return Promise.resolve(Response.json({ accessToken: `tok-${++issued}-${"x".repeat(600)}`, tokenType: "Bearer", expiresIn: 3600, scope: "clients:read" }));
    }
    return Promise.resolve(new Response(ME_JSON, { status: 200, headers: { "content-type": "application/json" } }));
  };
  const renewing = createMaxPayClient({ baseUrl: BASE, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: tokenFetch, clock });
  const perTokenCall = async () => {
    clock.advance(3_600_000);
    if ((await renewing.GET("/v1/me")).data === undefined) throw new Error("call failed");
  };
  // One at a time: renewals in a batch would share one token request (single-flight).
  const perToken = await phase("@payauth/maxpay, per token", perTokenCall, { count: tokens, warmup: 500, concurrency: 1 });
  perToken.tokenRequests = issued;

  return { perRequest, control, perToken, leakThresholdBytes: LEAK_THRESHOLD_BYTES };
}

if (isMain(import.meta.url)) report(await run());
