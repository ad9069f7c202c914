// Cold start with N concurrent calls: N callers each call GET /v1/me at once on a cold cache.
// Counts the token requests that reach the server and the time until the last call has its
// answer, for the @payauth client and for the patterns users write without it.
import { createMaxPayClient } from "@payauth/maxpay";
import * as oidc from "openid-client";
import { ClientCredentials } from "simple-oauth2";
import { CLIENT_ID, CLIENT_SECRET, startServerProcess } from "./loopback-servers.mjs";
import { isMain, log, report } from "./util.mjs";

export const NS = [1, 10, 100, 1_000, 10_000];
/**
 * Patterns without single-flight stop here. At N = 10,000 each would make 10,000 token requests
 * (by construction) and open up to 20,000 sockets (a token request and an API call per caller),
 * past this machine's 20,000 open files: trial runs failed with EMFILE after 17-19 s.
 */
const PER_CALL_CAP = 1_000;

async function callApi(url, accessToken) {
  const res = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  const body = await res.json();
  if (!res.ok || body?.customer?.id !== 17) throw new Error(`GET /v1/me answered ${res.status}`);
}

/** Each pattern builds a fresh client (a cold cache) and returns one caller's call. */
export const PATTERNS = [
  {
    name: "@payauth/maxpay",
    short: "@payauth/maxpay",
    maxN: 10_000,
    setup(url) {
      const client = createMaxPayClient({ baseUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      return async () => {
        const { data, response } = await client.GET("/v1/me");
        if (data?.customer?.id !== 17) throw new Error(`GET /v1/me answered ${response.status}`);
      };
    },
  },
  {
    name: "hand-written cache (no single-flight)",
    short: "hand-written cache, no single-flight",
    maxN: PER_CALL_CAP,
    setup(url) {
      // What many of us write first: check the cache, fetch a token when it is empty, store it.
      let cached;
      async function getToken() {
        if (cached !== undefined && Date.now() < cached.expiresAt - 60_000) return cached.accessToken;
        const res = await fetch(`${url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}` },
          body: "grant_type=client_credentials",
        });
        if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
        const body = await res.json();
        cached = { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
        return cached.accessToken;
      }
      return async () => callApi(url, await getToken());
    },
  },
  {
    name: "simple-oauth2 getToken() per call",
    short: "simple-oauth2, per call",
    maxN: PER_CALL_CAP,
    setup(url) {
      const oauth = new ClientCredentials({ client: { id: CLIENT_ID, secret: CLIENT_SECRET }, auth: { tokenHost: url, tokenPath: "/oauth/token" } });
      return async () => {
        const token = await oauth.getToken({});
        await callApi(url, token.token.access_token);
      };
    },
  },
  {
    name: "openid-client clientCredentialsGrant per call",
    short: "openid-client, per call",
    maxN: PER_CALL_CAP,
    setup(url) {
      const config = new oidc.Configuration({ issuer: url, token_endpoint: `${url}/oauth/token` }, CLIENT_ID, CLIENT_SECRET);
      oidc.allowInsecureRequests(config); // plain http on loopback, for the benchmark only
      return async () => {
        const token = await oidc.clientCredentialsGrant(config);
        await callApi(url, token.access_token);
      };
    },
  },
];

async function once(server, pattern, n) {
  await server.reset();
  const call = pattern.setup(server.url);
  const t0 = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: n }, () => call()));
  const ms = performance.now() - t0;
  const stats = await server.stats();
  const failed = settled.filter((s) => s.status === "rejected");
  return {
    pattern: pattern.name,
    short: pattern.short,
    n,
    ok: n - failed.length,
    tokenRequests: stats.tokenRequests,
    apiCalls: stats.apiCalls,
    ms,
    ...(failed.length > 0 ? { firstError: String(failed[0].reason?.cause?.code ?? failed[0].reason?.message ?? failed[0].reason) } : {}),
  };
}

/**
 * Small N is over in milliseconds, so it runs 5 times and the run with the median time is
 * reported; token requests and failures are the worst of the 5, so nothing is hidden.
 */
async function repeated(server, pattern, n) {
  const repeats = n <= 100 ? 5 : 1;
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(await once(server, pattern, n));
  const byTime = [...runs].sort((a, b) => a.ms - b.ms);
  return {
    ...byTime[Math.floor(repeats / 2)],
    tokenRequests: Math.max(...runs.map((r) => r.tokenRequests)),
    ok: Math.min(...runs.map((r) => r.ok)),
    firstError: runs.find((r) => r.firstError !== undefined)?.firstError,
    repeats,
  };
}

export async function run({ ns = NS } = {}) {
  const server = await startServerProcess();
  try {
    // Warm-up: load every library and let the JIT see each path once, then start over cold.
    for (const pattern of PATTERNS) await once(server, pattern, 10);
    const rows = [];
    for (const n of ns) {
      for (const pattern of PATTERNS) {
        if (n > pattern.maxN) {
          rows.push({ pattern: pattern.name, short: pattern.short, n, capped: true });
          continue;
        }
        const row = await repeated(server, pattern, n);
        log(`cold start: N=${n} ${pattern.name}: ${row.tokenRequests} token requests, ${row.ms.toFixed(1)} ms`);
        rows.push(row);
      }
    }
    return { perCallCap: PER_CALL_CAP, rows };
  } finally {
    await server.close();
  }
}

if (isMain(import.meta.url)) report(await run());
