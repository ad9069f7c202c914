#!/usr/bin/env node
// `pnpm demo`: the Max Pay client against a fake Max Pay served on loopback. No credentials needed.
// One scripted story: first call, 1,000 concurrent calls, renewal, a revoked token, bad credentials.
import { createMaxPayClient, isAuthError } from "@payauth/maxpay";
import { createManualClock, createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";

const clock = createManualClock(Date.now());
const fake = createMaxPayFake({ clock });
const server = await fake.serve();
const rows = [];

function step(name, outcome) {
  rows.push({ step: name, outcome, "tokens issued": fake.stats.tokensIssued, "token requests": fake.stats.tokenRequests });
  console.log(`✓ ${name}: ${outcome} (tokens issued so far: ${fake.stats.tokensIssued})`);
}

try {
  console.log(`Fake Max Pay listening on ${server.url}\n`);
  const maxpay = createMaxPayClient({ baseUrl: server.url, ...maxPayFakeCredentials, clock });

  const first = await maxpay.GET("/v1/me");
  step("first call", `GET /v1/me → ${first.response.status}, customer "${first.data?.customer.businessName}"`);

  const many = await Promise.all(Array.from({ length: 1000 }, () => maxpay.GET("/v1/me")));
  step("1,000 concurrent calls", `${many.filter((r) => r.response.status === 200).length} × 200`);

  const { expiresAt } = await maxpay.auth.getToken();
  clock.set(expiresAt - 299_000);
  const renewed = await maxpay.GET("/v1/me");
  step("renewal", `clock moved to 4m59s before expiry → ${renewed.response.status}, token renewed ahead of time`);

  fake.revokeToken();
  const afterRevoke = await maxpay.GET("/v1/me");
  step("revoked token", `API answered 401 invalid-token → new token, request replayed → ${afterRevoke.response.status}`);

  const wrong = createMaxPayClient({ baseUrl: server.url, clientId: "demo-client-id", clientSecret: "not-the-secret", clock });
  try {
    await wrong.GET("/v1/me");
    step("bad credentials", "unexpectedly succeeded");
    process.exitCode = 1;
  } catch (error) {
    if (!isAuthError(error)) throw error;
    step("bad credentials", `AuthError code=${error.code} status=${error.status} providerCode=${error.providerCode}`);
  }

  console.log();
  console.table(rows);
  const calls = 1 + 1000 + 1 + 1;
  console.log(`\n${calls} API calls with valid credentials took ${fake.stats.tokensIssued} tokens: one at start, one renewal, one after revocation.`);
} finally {
  await server.close();
}
