// Long run: 100,000 calls of a @payauth client across 10 token lifetimes, on a manual clock,
// against the in-memory Max Pay fake. Counts token requests against the fewest possible: one
// per renewal, renewing `refreshWindowSeconds` before expiry (auth-core's renewAt()).
import { createMaxPayClient } from "@payauth/maxpay";
import { createHandlersFetch, createManualClock, createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import { isMain, log, report, yieldToEventLoop } from "./util.mjs";

const LIFETIME_S = 3600;
const REFRESH_WINDOW_S = 300; // payauth's default
const LIFETIMES = 10;

/**
 * The fewest tokens a client can use over this schedule: start with one, and take a new one
 * at the first batch at or after the current token's renewal time (never earlier than half
 * its life, as in auth-core).
 */
export function minimumTokenRequests(batchTimesMs, lifetimeMs, refreshWindowMs) {
  let count = 0;
  let renewAt = -Infinity;
  for (const t of batchTimesMs) {
    if (t >= renewAt) {
      count++;
      renewAt = t + lifetimeMs - Math.min(refreshWindowMs, lifetimeMs / 2);
    }
  }
  return count;
}

export async function run({ calls = 100_000, batches = 100 } = {}) {
  const clock = createManualClock();
  const fake = createMaxPayFake({ clock, tokenLifetimeSeconds: LIFETIME_S });
  const client = createMaxPayClient({
    baseUrl: "https://api.maxpay.bench.test",
    ...maxPayFakeCredentials,
    fetch: createHandlersFetch(fake.handlers),
    clock,
  });
  const perBatch = calls / batches;
  const stepMs = (LIFETIMES * LIFETIME_S * 1000) / batches;
  const batchTimes = [];
  let ok = 0;
  let failed = 0;
  const start = clock.now();
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    batchTimes.push(clock.now() - start);
    // Each batch: `perBatch` calls at once, so renewals also meet concurrent callers.
    const results = await Promise.allSettled(Array.from({ length: perBatch }, () => client.GET("/v1/me")));
    for (const r of results) {
      if (r.status === "fulfilled" && r.value.data !== undefined) ok++;
      else failed++;
    }
    clock.advance(stepMs);
    await yieldToEventLoop();
    if ((b + 1) % 25 === 0) log(`long run: ${(b + 1) * perBatch} calls, ${fake.stats.tokenRequests} token requests`);
  }
  const wallMs = performance.now() - t0;
  const minimum = minimumTokenRequests(batchTimes, LIFETIME_S * 1000, REFRESH_WINDOW_S * 1000);
  return {
    calls,
    batches,
    perBatch,
    lifetimeSeconds: LIFETIME_S,
    refreshWindowSeconds: REFRESH_WINDOW_S,
    lifetimesCovered: (batches * stepMs) / (LIFETIME_S * 1000),
    simulatedHours: (batches * stepMs) / 3_600_000,
    ok,
    failed,
    tokenRequests: fake.stats.tokenRequests,
    tokensIssued: fake.stats.tokensIssued,
    apiCalls: fake.stats.apiCalls,
    minimumTokenRequests: minimum,
    wallMs,
  };
}

if (isMain(import.meta.url)) report(await run());
