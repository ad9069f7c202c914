// Many merchants: what a platform with 10,000 tenants, each with its own credentials, pays per
// client. (a) heap per client after full GCs, idle and with a warm token, against openapi-fetch
// with a static header (the floor); (b) time to create a client; (c) a warm call's cost when
// calls go round-robin over 10,000 clients against one client (fetch stubbed); (d) token requests
// over a simulated day (manual clock) through a pool, with and without eviction pressure.
// Run with `node --expose-gc` (run.mjs does).
import { createMemoryTokenStore } from "@payauth/auth-core";
import { createMaxPayClient, createMaxPayClientPool } from "@payauth/maxpay";
import { createManualClock } from "@payauth/maxpay/testing";
import createClient from "openapi-fetch";
import { ME_JSON } from "./loopback-servers.mjs";
import { minimumTokenRequests } from "./long-run.mjs";
import { isMain, log, measureInterleaved, median, report, yieldToEventLoop } from "./util.mjs";

const BASE = "https://api.maxpay.bench.test";
const LOGIN = `${BASE}/v1/auth/login`;
/** A token about as long as a typical JWT with a few claims. */
export const TOKEN_LENGTH = 800;
/** What Max Pay grants in these runs (its `scope`, space-separated). */
const SCOPE = "clients:read receivables:read";

const secretOf = (clientId) => `secret-of-${clientId}-${"s".repeat(24)}`;
/** A distinct token of exactly TOKEN_LENGTH characters for each tenant and each token request. */
const tokenFor = (clientId, n) => {
  const head = `tok.${clientId}.${n}.`;
  return head + "x".repeat(TOKEN_LENGTH - head.length);
};

/**
 * A stubbed Max Pay: the login answers at once with a 12-hour token (secrets checked), and every
 * other URL is the fixed /v1/me. Counts token requests per client id.
 */
function stubMaxPay({ lifetimeSeconds = 43_200 } = {}) {
  const tokenRequests = new Map();
  let total = 0;
  const fetch = async (request) => {
    if (request.url === LOGIN) {
      const { clientId, clientSecret } = await request.json();
      const n = (tokenRequests.get(clientId) ?? 0) + 1;
      tokenRequests.set(clientId, n);
      total++;
      if (clientSecret !== secretOf(clientId)) return Response.json({ code: "invalid-credentials" }, { status: 401 });
      return Response.json({ accessToken: tokenFor(clientId, n), tokenType: "Bearer", expiresIn: lifetimeSeconds, scope: SCOPE });
    }
    return new Response(ME_JSON, { status: 200, headers: { "content-type": "application/json" } });
  };
  return { fetch, tokenRequests, get total() { return total; } };
}

async function heapAfterGc() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/** Runs `call(i)` for i in [0, n), `concurrency` at a time, letting the event loop turn between batches. */
async function forEachBatched(n, call, concurrency = 100) {
  for (let start = 0; start < n; start += concurrency) {
    const batch = [];
    for (let i = start; i < Math.min(n, start + concurrency); i++) batch.push(call(i));
    await Promise.all(batch);
    await yieldToEventLoop();
  }
}

function expectMe(data) {
  if (data?.customer?.id !== 17) throw new Error("unexpected /v1/me answer");
}

/** The two kinds of client measured, each built from nothing but its tenant number. */
export const KINDS = {
  floor: {
    name: "openapi-fetch + static header",
    create: (i, fetch) => createClient({ baseUrl: BASE, fetch, headers: { Authorization: `Bearer static-token-of-merchant-${i}` } }),
  },
  payauth: {
    name: "@payauth/maxpay",
    create: (i, fetch) => {
      const clientId = `merchant-${i}`;
      return createMaxPayClient({ baseUrl: BASE, clientId, clientSecret: secretOf(clientId), fetch });
    },
  },
};

/**
 * (a) Heap per client: `tenants` clients made from their tenant number (each keeps what it needs
 * of its options), measured as heapUsed after full GCs; then one call each (a token fetched and
 * cached by payauth) and again. A warm-up batch first, so that code and inline caches compiled on
 * first use are not counted.
 */
export async function memoryPerClient(kind, tenants) {
  const stub = stubMaxPay();
  let warmup = Array.from({ length: 200 }, (_, i) => kind.create(1_000_000 + i, stub.fetch));
  await forEachBatched(warmup.length, async (i) => expectMe((await warmup[i].GET("/v1/me")).data));
  const before = await heapAfterGc();
  const clients = new Array(tenants);
  for (let i = 0; i < tenants; i++) clients[i] = kind.create(i, stub.fetch);
  const idle = await heapAfterGc();
  await forEachBatched(tenants, async (i) => expectMe((await clients[i].GET("/v1/me")).data));
  const warm = await heapAfterGc();
  const result = { name: kind.name, tenants, idleBytes: (idle - before) / tenants, warmBytes: (warm - before) / tenants };
  log(`tenants: memory: ${kind.name}: ${(result.idleBytes / 1000).toFixed(2)} kB idle, ${(result.warmBytes / 1000).toFixed(2)} kB after a call`);
  warmup = undefined;
  clients.length = 0;
  return result;
}

/** The same through a pool with a shared memory store: the pool's entry and the store's share included. */
export async function memoryPerPooledClient(tenants) {
  const stub = stubMaxPay();
  const makePool = () => createMaxPayClientPool({
    resolve: (tenantId) => ({ baseUrl: BASE, clientId: tenantId, clientSecret: secretOf(tenantId), fetch: stub.fetch }),
    maxClients: tenants,
    tokenStore: createMemoryTokenStore(),
  });
  const warmupPool = makePool();
  await forEachBatched(200, async (i) => expectMe((await (await warmupPool.get(`warm-${i}`)).GET("/v1/me")).data));
  const before = await heapAfterGc();
  const pool = makePool();
  await forEachBatched(tenants, async (i) => void (await pool.get(`merchant-${i}`)));
  const idle = await heapAfterGc();
  await forEachBatched(tenants, async (i) => expectMe((await (await pool.get(`merchant-${i}`)).GET("/v1/me")).data));
  const warm = await heapAfterGc();
  const result = { name: "@payauth/maxpay in a pool (shared memory store)", tenants, idleBytes: (idle - before) / tenants, warmBytes: (warm - before) / tenants };
  log(`tenants: memory: pool: ${(result.idleBytes / 1000).toFixed(2)} kB idle, ${(result.warmBytes / 1000).toFixed(2)} kB after a call`);
  await pool.clear();
  await warmupPool.clear();
  return result;
}

/** What one token string of TOKEN_LENGTH characters costs on the heap (as JSON.parse makes it). */
export async function tokenStringBytes(count) {
  const before = await heapAfterGc();
  const strings = new Array(count);
  for (let i = 0; i < count; i++) strings[i] = JSON.parse(JSON.stringify(tokenFor(`merchant-${i}`, 1)));
  const after = await heapAfterGc();
  strings.length = 0;
  return (after - before) / count;
}

/** (b) Time to create one client, µs: the median of batches of 100, after warm-up. */
export async function creationTime(kind, { batches = 200, perBatch = 100 } = {}) {
  const stub = stubMaxPay();
  const keep = [];
  const perClient = [];
  let next = 0;
  for (let b = 0; b < batches + 20; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) keep.push(kind.create(next++, stub.fetch));
    const us = ((performance.now() - t0) * 1000) / perBatch;
    if (b >= 20) perClient.push(us);
    if (keep.length >= 10_000) keep.length = 0;
    await yieldToEventLoop();
  }
  // The mean includes the garbage collections that creating clients causes; the median mostly does not.
  return { name: kind.name, medianUs: median(perClient), meanUs: perClient.reduce((a, b) => a + b, 0) / perClient.length, clients: batches * perBatch };
}

/** (c) A warm call, one tenant against round-robin over `tenants`, for payauth and the floor. */
export async function warmCalls(tenants, { rounds = 40, perRound = 500 } = {}) {
  const variants = [];
  for (const kind of [KINDS.floor, KINDS.payauth]) {
    const stub = stubMaxPay();
    const clients = Array.from({ length: tenants }, (_, i) => kind.create(i, stub.fetch));
    await forEachBatched(tenants, async (i) => expectMe((await clients[i].GET("/v1/me")).data));
    let next = 0;
    variants.push(
      { name: `${kind.name}, 1 tenant`, call: async () => expectMe((await clients[0].GET("/v1/me")).data) },
      {
        name: `${kind.name}, ${tenants} tenants round-robin`,
        call: async () => {
          const client = clients[next];
          next = next + 1 === tenants ? 0 : next + 1;
          expectMe((await client.GET("/v1/me")).data);
        },
      },
    );
  }
  return measureInterleaved(variants, { warmup: 2_000, rounds, perRound });
}

/**
 * (d) A simulated day: every tenant makes one call an hour for 24 hours through a pool, on a
 * manual clock, with 12-hour tokens. Token requests are counted at the stub, per tenant.
 */
export async function simulatedDay({ tenants, maxClients, sharedStore, hours = 24, lifetimeSeconds = 43_200 }) {
  const clock = createManualClock();
  const stub = stubMaxPay({ lifetimeSeconds });
  let resolves = 0;
  const pool = createMaxPayClientPool({
    resolve: (tenantId) => {
      resolves++;
      return { baseUrl: BASE, clientId: tenantId, clientSecret: secretOf(tenantId), fetch: stub.fetch, clock };
    },
    maxClients,
    ...(sharedStore ? { tokenStore: createMemoryTokenStore({ clock }) } : {}),
    now: () => clock.monotonicNow(),
  });
  let failed = 0;
  const t0 = performance.now();
  const callTimes = [];
  for (let hour = 0; hour < hours; hour++) {
    callTimes.push(hour * 3_600_000);
    await forEachBatched(tenants, async (i) => {
      const { data } = await (await pool.get(`merchant-${i}`)).GET("/v1/me");
      if (data?.customer?.id !== 17) failed++;
    });
    clock.advance(3_600_000);
  }
  // Renewed `refreshWindowSeconds` (300 s) before expiry, as payauth does: the fewest a tenant can need.
  const minimumPerTenant = minimumTokenRequests(callTimes, lifetimeSeconds * 1000, 300_000);
  const perTenant = [...stub.tokenRequests.values()];
  const result = {
    tenants,
    maxClients,
    sharedStore,
    hours,
    lifetimeHours: lifetimeSeconds / 3600,
    calls: tenants * hours,
    failed,
    tokenRequests: stub.total,
    minimum: tenants * minimumPerTenant,
    minimumPerTenant,
    maxPerTenant: Math.max(...perTenant),
    resolves,
    poolSize: pool.size,
    wallMs: performance.now() - t0,
  };
  log(`tenants: day (maxClients ${maxClients}, ${sharedStore ? "shared store" : "no shared store"}): ${result.tokenRequests} token requests, minimum ${result.minimum}, ${failed} failed, ${(result.wallMs / 1000).toFixed(1)} s`);
  return result;
}

export async function run({ tenants = 10_000 } = {}) {
  if (typeof globalThis.gc !== "function") throw new Error("tenants.mjs needs node --expose-gc");
  log("tenants: memory per client…");
  const memory = [await memoryPerClient(KINDS.floor, tenants), await memoryPerClient(KINDS.payauth, tenants), await memoryPerPooledClient(tenants)];
  const tokenBytes = await tokenStringBytes(tenants);
  log("tenants: time to create a client…");
  const creation = [await creationTime(KINDS.floor), await creationTime(KINDS.payauth)];
  log("tenants: warm calls, 1 tenant and round-robin…");
  const calls = await warmCalls(tenants);
  log("tenants: a simulated day…");
  const days = [
    await simulatedDay({ tenants, maxClients: tenants, sharedStore: true }),
    await simulatedDay({ tenants, maxClients: tenants / 10, sharedStore: true }),
    // For comparison only (a tenth of the size: every call is a token request here, about 1 ms each):
    // without a shared store, a client dropped by the pool takes its token with it.
    await simulatedDay({ tenants: tenants / 10, maxClients: tenants / 100, sharedStore: false }),
  ];
  return { tenants, tokenLength: TOKEN_LENGTH, tokenBytes, memory, creation, calls, days };
}

if (isMain(import.meta.url)) report(await run({ tenants: Number(process.argv[2] ?? 10_000) }));
