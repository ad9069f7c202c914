#!/usr/bin/env node
// `pnpm demo`: every provider's client against its fake, served on loopback. No credentials needed.
// The same scripted story for each: first call, 1,000 concurrent calls, renewal before expiry,
// a revoked token, bad credentials. Then one table, side by side.
import { isAuthError } from "@payauth/auth-core";
import { createManualClock } from "@payauth/auth-core/testing";
import { createAutopayClient } from "@payauth/autopay";
import { autopayFakeCredentials, createAutopayFake } from "@payauth/autopay/testing";
import { createGetpaidClient } from "@payauth/getpaid";
import { createGetpaidFake, getpaidFakeCredentials } from "@payauth/getpaid/testing";
import { createMaxPayClient } from "@payauth/maxpay";
import { createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import { createPayMeClient } from "@payauth/payme";
import { createPayMeFake, payMeFakeCredentials } from "@payauth/payme/testing";

// Max Pay documents GET /v1/me; the others document only their token endpoint, so their
// fakes' API is the ping every fake answers behind the provider's token checks.
const PING = "/payauth-conformance/ping";
const providers = [
  {
    name: "Max Pay",
    createFake: (clock) => createMaxPayFake({ clock }),
    createClient: (url, clock, secret) => createMaxPayClient({ baseUrl: url, ...maxPayFakeCredentials, ...secret, clock }),
    call: (client) => client.GET("/v1/me"),
  },
  {
    name: "Pay-me",
    createFake: (clock) => createPayMeFake({ clock }),
    createClient: (url, clock, secret) =>
      createPayMeClient({ environment: "preprod", baseUrl: url, tokenUrl: `${url}/token`, ...payMeFakeCredentials, ...secret, scopes: ["get:charges"], clock }),
    call: (client) => client.GET(PING),
  },
  {
    name: "getpaid",
    createFake: (clock) => createGetpaidFake({ clock }),
    createClient: (url, clock, secret) =>
      createGetpaidClient({ environment: "sandbox", baseUrl: url, tokenUrl: `${url}/oauth/token`, ...getpaidFakeCredentials.sandbox, ...secret, scopes: ["invoices:read_write"], clock }),
    call: (client) => client.GET(PING),
  },
  {
    name: "Autopay",
    createFake: (clock) => createAutopayFake({ clock }),
    createClient: (url, clock, secret) => createAutopayClient({ baseUrl: url, tokenUrl: `${url}/oauth/token`, ...autopayFakeCredentials, ...secret, clock }),
    call: (client) => client.GET(PING),
  },
];

async function story(provider) {
  const clock = createManualClock(Date.now());
  const fake = provider.createFake(clock);
  const server = await fake.serve();
  const row = { provider: provider.name, "calls made": 0, "calls ok": 0, "token requests": 0, renewals: 0, errors: [] };
  const call = async (client) => {
    row["calls made"]++;
    try {
      const { response } = await provider.call(client);
      if (response.ok) row["calls ok"]++;
      else row.errors.push(`HTTP ${response.status}`);
    } catch (error) {
      if (!isAuthError(error)) throw error;
      row.errors.push(error.code);
    }
  };
  try {
    const client = provider.createClient(server.url, clock, {});
    await call(client);
    await Promise.all(Array.from({ length: 1000 }, () => call(client)));
    const issuedBeforeRenewal = fake.stats.tokensIssued;
    const { expiresAt } = await client.auth.getToken();
    clock.advance(expiresAt - 60_000 - clock.now());
    await call(client);
    row.renewals = fake.stats.tokensIssued - issuedBeforeRenewal;
    fake.revokeToken();
    await call(client);
    await call(provider.createClient(server.url, clock, { clientSecret: "not-the-secret" }));
    row["token requests"] = fake.stats.tokenRequests;
    row.errors = row.errors.join(", ") || "none";
    return row;
  } finally {
    await server.close();
  }
}

const rows = [];
for (const provider of providers) {
  const row = await story(provider);
  rows.push(row);
  console.log(`✓ ${row.provider}: ${row["calls made"]} calls, ${row["calls ok"]} ok, ${row["token requests"]} token requests (${row.renewals} renewal), errors: ${row.errors}`);
}
console.log("\nEach provider: 1 first call, 1,000 concurrent calls, 1 call after moving the clock to 1 minute");
console.log("before expiry (renewal), 1 call after the fake revoked the token (replayed with a new one),");
console.log("and 1 call with a wrong secret (a typed AuthError). Fakes served on 127.0.0.1.\n");
console.table(rows);
const expected = rows.every((r) => r["calls ok"] === r["calls made"] - 1 && r["token requests"] === 4 && r.renewals === 1 && r.errors === "invalid-credentials");
if (!expected) {
  console.error("\nThe demo did not go as scripted.");
  process.exitCode = 1;
} else {
  console.log("\n1,004 API calls per provider took 3 tokens each: the first, one renewal, one after the revocation.");
}
