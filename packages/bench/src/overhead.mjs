// Per-request overhead on a warm token: what one GET /v1/me costs through raw `fetch` (the
// floor), openapi-fetch with a static Authorization header, and a @payauth client — with
// `fetch` stubbed to return a ready Response (the libraries' own cost) and over loopback HTTP.
import { createTokenManager, manualRedirectRequest } from "@payauth/auth-core";
import { createMaxPayClient } from "@payauth/maxpay";
import createClient from "openapi-fetch";
import { CLIENT_ID, CLIENT_SECRET, ME_JSON, startServerProcess } from "./loopback-servers.mjs";
import { isMain, log, measureInterleaved, median, report, yieldToEventLoop } from "./util.mjs";

const STATIC_TOKEN = "static-bench-token";
const STUB_BASE = "https://api.maxpay.bench.test";

/** A `fetch` that answers at once with a new Response per call: Max Pay's login, or the fixed /v1/me. */
export function stubFetch(input) {
  const url = typeof input === "string" ? input : input.url;
  if (url.endsWith("/v1/auth/login")) {
    return Promise.resolve(Response.json({ accessToken: "stub-token", tokenType: "Bearer", expiresIn: 3600, scope: "clients:read" }));
  }
  return Promise.resolve(new Response(ME_JSON, { status: 200, headers: { "content-type": "application/json" } }));
}

function expectMe(data) {
  if (data?.customer?.id !== 17) throw new Error("unexpected /v1/me answer");
}

/** The three ways of calling GET /v1/me, plus openapi-fetch with a one-line middleware for reference. */
async function variants(baseUrl, fetch) {
  const raw = async () => {
    const res = await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${STATIC_TOKEN}` } });
    expectMe(await res.json());
  };
  const staticClient = createClient({ baseUrl, fetch, headers: { Authorization: `Bearer ${STATIC_TOKEN}` } });
  const middlewareClient = createClient({ baseUrl, fetch });
  middlewareClient.use({
    onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${STATIC_TOKEN}`);
      return request;
    },
  });
  // Over loopback, payauth uses the global fetch as a user's client would (no `fetch` option).
  const payauth = createMaxPayClient({ baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...(fetch === globalThis.fetch ? {} : { fetch }) });
  await payauth.auth.getToken(); // warm token: the benchmark is about calls, not the first login
  return [
    { name: "raw fetch", call: raw },
    { name: "openapi-fetch + static header", call: async () => expectMe((await staticClient.GET("/v1/me")).data) },
    { name: "@payauth/maxpay", call: async () => expectMe((await payauth.GET("/v1/me")).data) },
    { name: "openapi-fetch + 1-line middleware", call: async () => expectMe((await middlewareClient.GET("/v1/me")).data) },
  ];
}

/**
 * Where @payauth's extra time goes: the steps its auth middleware takes on a call with a warm
 * token (auth-core's create-auth-middleware.ts), each timed alone, and for comparison the two
 * copies of the request it no longer makes (what a call cost before ManualRedirectRequest).
 */
async function breakdown() {
  let n = 0;
  const manager = createTokenManager({ cacheKey: "bench", requestToken: async () => ({ accessToken: `t-${++n}`, expiresInSeconds: 3600, scopes: ["clients:read"] }) });
  await manager.getToken();
  const ManualRedirectRequest = manualRedirectRequest();
  const init = () => ({ redirect: "follow", headers: { accept: "application/json" } });
  const fresh = () => new Request(`${STUB_BASE}/v1/me`, init());
  const required = [["clients:read"]];
  // As the middleware keeps them: each operation's entry notes the scopes last found sufficient.
  const granted = ["clients:read"];
  const byPath = new Map([["/v1/me", { GET: { sets: required, allowedFor: granted } }]]);
  // ManualRedirectRequest records the URL string openapi-fetch built it from: no URL serialising.
  const builtFrom = `${STUB_BASE}/v1/me`;
  const originPrefix = `${STUB_BASE}/`;
  const ops = [
    { name: "peekToken() (the token, synchronously)", warm: true, op: () => manager.peekToken() },
    { name: "origin check (the URL string the request was built from)", warm: true, op: () => builtFrom.startsWith(originPrefix) },
    { name: "scope check (by path and method, then one comparison)", warm: true, op: (r) => byPath.get("/v1/me")?.[r.method]?.allowedFor === granted },
    { name: "request.headers.set(authorization)", warm: true, op: (r) => r.headers.set("authorization", "Bearer x") },
    { name: "ManualRedirectRequest instead of Request (extra)", warm: true, op: () => new ManualRedirectRequest(`${STUB_BASE}/v1/me`, init()), minus: () => new Request(`${STUB_BASE}/v1/me`, init()) },
    { name: "await auth.getToken() (what peekToken replaced)", warm: false, op: () => manager.getToken() },
    { name: "new Request(request, { redirect }) (no longer made)", warm: false, op: (r) => new Request(r, { redirect: "manual" }) },
    { name: "request.clone() (now only for a request with a body)", warm: false, op: (r) => r.clone() },
  ];
  const BATCH = 200;
  const time = async (op) => {
    const perCall = [];
    // 10 batches of warm-up, then 40 timed: these operations are too short to time one by one.
    for (let b = 0; b < 50; b++) {
      const requests = Array.from({ length: BATCH }, fresh);
      const t0 = performance.now();
      for (const r of requests) await op(r);
      if (b >= 10) perCall.push(((performance.now() - t0) * 1000) / BATCH);
      await yieldToEventLoop();
    }
    return median(perCall);
  };
  // The timing loop's own cost per operation (an await and a call), taken off every row.
  const loop = await time(() => undefined);
  const result = [];
  for (const { name, warm, op, minus } of ops) {
    const us = (await time(op)) - (minus ? await time(minus) : loop);
    result.push({ name, warm, us: Math.max(0, us) });
  }
  return result;
}

/** Short rounds, many of them: a burst of noise on the machine then hits every variant alike. */
const ROUNDS = 40;

export async function run({ quick = false } = {}) {
  const scale = quick ? 0.1 : 1;
  log("overhead: stubbed fetch…");
  const stubbed = await measureInterleaved(await variants(STUB_BASE, stubFetch), { warmup: 5_000, rounds: ROUNDS, perRound: Math.round(750 * scale) });
  log("overhead: loopback HTTP…");
  const server = await startServerProcess();
  let loopback;
  try {
    loopback = await measureInterleaved(await variants(server.url, globalThis.fetch), { warmup: 1_000, rounds: ROUNDS, perRound: Math.round(250 * scale) });
  } finally {
    await server.close();
  }
  log("overhead: breakdown…");
  return { stubbed, loopback, breakdown: await breakdown(), rounds: ROUNDS };
}

if (isMain(import.meta.url)) report(await run({ quick: process.argv.includes("--quick") }));
