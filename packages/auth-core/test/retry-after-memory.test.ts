import { describe, expect, it } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createProviderClient, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock, type ManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike, TokenStore } from "../src/types.js";

// A provider's Retry-After binds every later token request of the credential, not just the
// call that got it: in this process, and in every process that shares the store.
const TOKEN_URL = "https://auth.acme.test/token";
const HOUR = 3_600_000;

const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ tokenUrl }) => ({ url: tokenUrl, body: {} }),
  parseGrant: (body) => ({ accessToken: (body as { t: string }).t, expiresInSeconds: 3600, scopes: [] }),
  mapTokenError: ({ status }) => (status === 429 ? { code: "rate-limited", providerCode: "rate-limit-exceeded" } : undefined),
  isTokenRejected: () => false,
};

/** A token endpoint that answers 429 with `retryAfter` while `limited()` holds, else grants a token. */
function endpoint(clock: ManualClock, retryAfter: (now: number) => string) {
  let requests = 0;
  let limitedUntil = 0;
  const fetch: FetchLike = async (request) => {
    if (request.url !== TOKEN_URL) return Response.json({ ok: true });
    requests++;
    if (clock.now() < limitedUntil) return Response.json({ code: "rate-limit-exceeded" }, { status: 429, headers: { "retry-after": retryAfter(clock.now()) } });
    return Response.json({ t: `token-${requests}` });
  };
  return { fetch, requests: () => requests, limitFor: (ms: number) => (limitedUntil = clock.now() + ms) };
}

const client = (fetch: FetchLike, clock: ManualClock, tokenStore?: TokenStore) =>
  createProviderClient(acme, { clientId: "c", clientSecret: "s-secret", fetch, clock, tokenStore }, { baseUrl: "https://api.acme.test", tokenUrl: TOKEN_URL });

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe("Retry-After outlives the call that got it", () => {
  it("regression: after a 429 with Retry-After: 3600, later calls fail fast with the provider's wait, sending nothing, for the whole hour", async () => {
    const clock = createManualClock();
    const server = endpoint(clock, () => "3600");
    server.limitFor(HOUR);
    const auth = client(server.fetch, clock).auth;
    const first = await failure(auth.getToken());
    expect(first.code).toBe("rate-limited");
    expect(first.retryAfterMs).toBe(HOUR);
    expect(server.requests()).toBe(1);

    // 10 minutes of calls, one every 10 s: no login is sent, and each is told the provider's remaining wait.
    for (let i = 0; i < 60; i++) {
      clock.advance(10_000);
      const error = await failure(auth.getToken());
      expect(error.code).toBe("rate-limited");
      expect(error.retryAfterMs).toBe(HOUR - (i + 1) * 10_000);
    }
    expect(server.requests()).toBe(1);

    clock.advance(HOUR);
    expect((await auth.getToken()).accessToken).toBe("token-2");
  });

  it("takes Retry-After as an HTTP date too", async () => {
    const clock = createManualClock();
    const server = endpoint(clock, (now) => new Date(now + 120_000).toUTCString());
    server.limitFor(120_000);
    const auth = client(server.fetch, clock).auth;
    expect((await failure(auth.getToken())).retryAfterMs).toBe(120_000);
    clock.advance(60_000);
    expect((await failure(auth.getToken())).retryAfterMs).toBe(60_000);
    expect(server.requests()).toBe(1);
  });

  it("serves a still-valid token while the provider's wait runs", async () => {
    const clock = createManualClock();
    const server = endpoint(clock, () => "3600");
    const auth = client(server.fetch, clock).auth;
    const token = await auth.getToken();
    // Into the renewal window (the last 5 minutes), with the login rate-limited for an hour.
    clock.advance(HOUR - 200_000);
    server.limitFor(HOUR);
    expect((await auth.getToken()).accessToken).toBe(token.accessToken);
    expect((await auth.getToken()).accessToken).toBe(token.accessToken);
    expect(server.requests()).toBe(2);
  });

  it("the circuit breaker never tells callers to come back before the provider said", async () => {
    const clock = createManualClock();
    const server = endpoint(clock, () => "3600");
    server.limitFor(HOUR);
    const auth = client(server.fetch, clock).auth;
    await failure(auth.getToken());
    for (let i = 0; i < 5; i++) {
      clock.advance(31_000);
      expect((await failure(auth.getToken())).retryAfterMs).toBeGreaterThan(HOUR - 6 * 31_000);
    }
    expect(server.requests()).toBe(1);
  });

  it("processes sharing a store honour one process's Retry-After", async () => {
    const clock = createManualClock();
    const server = endpoint(clock, () => "600");
    server.limitFor(600_000);
    const shared = createMemoryTokenStore({ clock });
    const one = client(server.fetch, clock, shared).auth;
    const two = client(server.fetch, clock, shared).auth;
    await failure(one.getToken());
    const error = await failure(two.getToken());
    expect(error.code).toBe("rate-limited");
    expect(error.retryAfterMs).toBe(600_000);
    expect(server.requests()).toBe(1);
  });
});
