// The scenarios of `pnpm test:runtimes`, written once for every runtime: only `fetch`, timers,
// `performance.now()` and the packed @payauth packages, no `node:` import. Node, Bun and Deno
// run it through run-scenarios.mjs; Cloudflare Workers bundle it into worker/worker.mjs.
// Each scenario gets a new fake (its own port, so its own token URL and cache key) from the
// control server (fakes-server.mjs, in Node on 127.0.0.1) and checks the fake's counters.
import { createAutopayClient } from "@payauth/autopay";
import { createGetpaidClient } from "@payauth/getpaid";
import { createMaxPayClient, isAuthError } from "@payauth/maxpay";
import { createPayMeClient } from "@payauth/payme";

export const PROVIDERS = ["maxpay", "payme", "getpaid", "autopay"];
export const SCENARIOS = ["first-call", "concurrent-200", "renewal", "revoked", "wrong-secret", "timeout", "redirect"];

// Every fake answers this route behind its token check (the conformance suite's ping).
const PING = "/payauth-conformance/ping";

/** A client of `fake` as the release check's consumers build it: the README options, URLs pointed at the fake. */
export function createClient(fake, extra = {}) {
  const base = { clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, ...extra };
  switch (fake.provider) {
    case "maxpay":
      return createMaxPayClient(base);
    case "payme":
      return createPayMeClient({ environment: "preprod", scopes: ["post:charges", "get:charges"], tokenUrl: `${fake.url}/token`, ...base });
    case "getpaid":
      return createGetpaidClient({ environment: "sandbox", scopes: ["invoices:read_write"], tokenUrl: `${fake.url}/oauth/token`, ...base });
    case "autopay":
      return createAutopayClient({ tokenUrl: `${fake.url}/oauth/token`, ...base });
    default:
      throw new Error(`unknown provider ${fake.provider}`);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The control API of fakes-server.mjs. */
export function controlClient(control) {
  const call = async (method, path, body) => {
    const response = await fetch(`${control}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    newFake: (provider, options = {}) => call("POST", "/fakes", { provider, ...options }),
    stats: (fake) => call("GET", `/fakes/${fake.id}/stats`),
    revoke: (fake) => call("POST", `/fakes/${fake.id}/revoke`),
    fail: (fake, route, fault, times) => call("POST", `/fakes/${fake.id}/fail`, { route, fault, times }),
    elsewhere: (fake) => call("GET", `/fakes/${fake.id}/elsewhere`),
    close: (fake) => call("POST", `/fakes/${fake.id}/close`),
  };
}

/** GET the ping route; throws unless it answered 200 with `{ ok: true }`. */
async function ping(client) {
  const { data, error, response } = await client.GET(PING);
  check(data?.ok === true, `GET ${PING}: HTTP ${response?.status} ${JSON.stringify(error)}`);
}

/** `fn` must reject with an AuthError of `code`; returns it. */
async function expectAuthError(fn, code, secrets = []) {
  try {
    await fn();
  } catch (error) {
    check(isAuthError(error), `expected an AuthError ${code}, got ${error?.name}: ${error?.message}`);
    check(error.code === code, `expected AuthError ${code}, got ${error.code}: ${error.message}`);
    const shown = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
    for (const secret of secrets) check(!shown.includes(secret), `the ${code} error shows a secret`);
    return error;
  }
  throw new Error(`expected an AuthError ${code}, but the call succeeded`);
}

const scenarios = {
  // A first call: one token request, the API answers.
  async "first-call"(ctl, fake) {
    const client = createClient(fake);
    await ping(client);
    const token = await client.auth.getToken();
    check(typeof token.accessToken === "string" && token.expiresAt > Date.now(), "no usable token");
    const stats = await ctl.stats(fake);
    check(stats.tokenRequests === 1 && stats.apiCalls === 1, `expected 1 token request and 1 API call, got ${JSON.stringify(stats)}`);
    return "1 token request";
  },

  // 200 calls at once on a cold client: one token request between them.
  async "concurrent-200"(ctl, fake) {
    const client = createClient(fake);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => ping(client)));
    const failed = results.filter((r) => r.status === "rejected");
    check(failed.length === 0, `${failed.length} of 200 calls failed: ${failed[0]?.reason?.message}`);
    const stats = await ctl.stats(fake);
    check(stats.tokenRequests === 1, `200 cold calls made ${stats.tokenRequests} token requests`);
    check(stats.apiCalls === 200, `expected 200 API calls, got ${stats.apiCalls}`);
    return "200 calls, 1 token request";
  },

  // Tokens that live 2 s: renewal is due half-way (1 s), so a call after 1.2 s gets a new token
  // before the old one expires, measured with the runtime's own timers and clock.
  async renewal(ctl, fake) {
    const client = createClient(fake);
    await ping(client);
    const first = await client.auth.getToken();
    const started = performance.now();
    await sleep(1200);
    const slept = performance.now() - started;
    // Never early; the upper bound only catches a clock that does not advance (a loaded CI machine can be late).
    check(slept >= 1100 && slept < 15_000, `setTimeout(1200) took ${Math.round(slept)} ms by performance.now()`);
    await ping(client);
    // Renewal may finish just after the call that started it: wait for it, bounded.
    let second = await client.auth.getToken();
    for (let i = 0; i < 40 && second.accessToken === first.accessToken; i++) {
      await sleep(25);
      second = await client.auth.getToken();
    }
    check(second.accessToken !== first.accessToken, "the token was not renewed");
    check(second.expiresAt > first.expiresAt, "the new token does not expire later");
    const stats = await ctl.stats(fake);
    check(stats.tokensIssued === 2, `expected 2 tokens issued, got ${stats.tokensIssued}`);
    return `renewed after ${Math.round(slept)} ms`;
  },

  // The provider revokes the token: the API's 401 makes the client get a new one and replay once.
  async revoked(ctl, fake) {
    const client = createClient(fake);
    await ping(client);
    await ctl.revoke(fake);
    await ping(client);
    const stats = await ctl.stats(fake);
    check(stats.tokenRequests === 2, `expected 2 token requests, got ${stats.tokenRequests}`);
    check(stats.apiCalls === 3, `expected 3 API calls (ok, 401, replay), got ${stats.apiCalls}`);
    return "401 then replayed with a new token";
  },

  // A wrong secret: invalid-credentials, the secret nowhere in the error.
  async "wrong-secret"(ctl, fake) {
    const secret = "not-the-secret-3f9a1c";
    const client = createClient(fake, { clientSecret: secret });
    await expectAuthError(() => client.GET(PING), "invalid-credentials", [secret]);
    const stats = await ctl.stats(fake);
    check(stats.apiCalls === 0, `the API was called ${stats.apiCalls} times without a token`);
    return "invalid-credentials";
  },

  // A token endpoint that never answers: `timeout` after timeoutMs (AbortSignal.timeout), not a hang.
  async timeout(ctl, fake) {
    await ctl.fail(fake, "token", { kind: "stall", status: 0 }, 5);
    const client = createClient(fake, { timeoutMs: 500, retry: { maxAttempts: 1 } });
    const started = performance.now();
    await expectAuthError(() => client.auth.getToken(), "timeout", [fake.clientSecret]);
    const took = performance.now() - started;
    // timeoutMs (500), not the 10 s default, and not before it.
    check(took >= 450 && took < 9000, `timed out after ${Math.round(took)} ms, expected about 500`);
    return `timeout after ${Math.round(took)} ms`;
  },

  // A redirect to another origin: followed without the token. And a token endpoint that
  // redirects: refused (network-error, as fetch refuses it), the credentials never sent elsewhere.
  async redirect(ctl, fake) {
    const client = createClient(fake);
    const { data, response } = await client.GET("/payauth-runtimes/redirect-away");
    check(response.status === 200 && data?.elsewhere === true, `the redirect was not followed (HTTP ${response.status})`);
    let seen = await ctl.elsewhere(fake);
    check(seen.length === 1 && seen[0].path === "/landing", `expected one request at the other origin, got ${JSON.stringify(seen)}`);
    check(seen[0].authorization === false, "the token was sent to the other origin");

    const redirected = createClient(fake, { tokenUrl: `${fake.url}/payauth-runtimes/token-redirect` });
    await expectAuthError(() => redirected.auth.getToken(), "network-error", [fake.clientSecret]);
    seen = await ctl.elsewhere(fake);
    check(seen.length === 1, `the token request followed the redirect: ${JSON.stringify(seen)}`);
    return "no token off-origin; token redirect refused";
  },
};

/**
 * Runs every scenario for every provider; `report` gets one result at a time:
 * `{ provider, scenario, ok, detail, ms }`. The providers run side by side (each on fakes of its
 * own), the scenarios of one provider one after another.
 */
export async function runScenarios({ control, providers = PROVIDERS, only = SCENARIOS, report }) {
  const ctl = controlClient(control);
  const results = [];
  await Promise.all(providers.map((provider) => runProvider(ctl, provider, only, results, report)));
  return results;
}

async function runProvider(ctl, provider, only, results, report) {
  for (const scenario of only) {
    const started = performance.now();
    let fake;
    let result;
    try {
      fake = await ctl.newFake(provider, scenario === "renewal" ? { tokenLifetimeSeconds: 2 } : {});
      result = { provider, scenario, ok: true, detail: await scenarios[scenario](ctl, fake) };
    } catch (error) {
      result = { provider, scenario, ok: false, detail: String(error?.message ?? error) };
    } finally {
      if (fake) await ctl.close(fake).catch(() => undefined);
    }
    result.ms = Math.round(performance.now() - started);
    results.push(result);
    report?.(result);
  }
}
