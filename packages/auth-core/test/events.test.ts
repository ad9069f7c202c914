import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createProviderClient, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { AuthEvent, FetchLike, TokenStore } from "../src/types.js";
import { authError, scripted, SECOND, setup } from "./support/resilience.js";

const API = "https://api.acme.test";
const TOKEN_URL = "https://auth.acme.test/oauth/token";
const SECRET = "s3cr3t-value-Qx7";
const WRONG_SECRET = "wr0ng-secret-Zk2";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { client_id: clientId, client_secret: clientSecret } }),
  parseGrant: (body) =>
    isRecord(body) && typeof body["access_token"] === "string" && typeof body["expires_in"] === "number"
      ? { accessToken: body["access_token"], expiresInSeconds: body["expires_in"], scopes: [] }
      : { code: "invalid-response", message: "unexpected token body" },
  mapTokenError: ({ body }) =>
    isRecord(body) && body["error"] === "invalid_client"
      ? { code: "invalid-credentials", providerCode: "invalid_client", message: String(body["error_description"]), details: { sent: body["echo"] } }
      : undefined,
  isTokenRejected: ({ body }) => isRecord(body) && body["error"] === "invalid_token",
};

/**
 * A fake token endpoint and API: checks the secret, echoes it back in error bodies (as careless
 * providers do), and fails the next token requests with `failNext(status, times)`.
 */
function fakeProvider() {
  const issued: string[] = [];
  let failures: number[] = [];
  const fetch: FetchLike = async (request) => {
    if (request.url === TOKEN_URL) {
      const body = (await request.json()) as { client_secret: string };
      const status = failures.shift();
      if (status !== undefined) return Response.json({ error: "server_error", echo: body.client_secret }, { status, headers: { "retry-after": "0" } });
      if (body.client_secret !== SECRET) {
        return Response.json({ error: "invalid_client", error_description: `client secret ${body.client_secret} is wrong`, echo: body.client_secret }, { status: 401 });
      }
      const token = `at_${randomBytes(12).toString("hex")}`;
      issued.push(token);
      return Response.json({ access_token: token, expires_in: 3600 });
    }
    return Response.json({ ok: true, auth: request.headers.get("authorization") });
  };
  return {
    fetch,
    issued,
    failNext(status: number, times = 1) {
      failures = [...failures, ...Array<number>(times).fill(status)];
    },
  };
}

interface paths {
  "/v1/ping": { get: { responses: { 200: { content: { "application/json": { ok: boolean } } } } } };
}

describe("onEvent: events never contain secrets or tokens", () => {
  it("covers success, retry, failure with a wrong secret, stale, refusals and store failures", async () => {
    const events: AuthEvent[] = [];
    const onEvent = (event: AuthEvent) => events.push(event);
    const fake = fakeProvider();
    const clock = createManualClock();

    // 1. Success, through client.GET.
    const client = createProviderClient<paths, string>(acme, { clientId: "client-1", clientSecret: SECRET, fetch: fake.fetch, clock, onEvent }, { baseUrl: API, tokenUrl: TOKEN_URL });
    const { response } = await client.GET("/v1/ping");
    expect(response.status).toBe(200);

    // 2. A retry (503, then success).
    fake.failNext(503);
    await client.auth.getToken({ forceRefresh: true });

    // 3. Stale: in the renewal window every attempt fails; the old token is served.
    const before = await client.auth.getToken();
    clock.advance(3400 * SECOND);
    fake.failNext(500, 3);
    expect((await client.auth.getToken()).accessToken).toBe(before.accessToken);

    // 4. A wrong secret, until the circuit opens (3 failures), then a refusal.
    const wrong = createProviderClient(acme, { clientId: "client-1", clientSecret: WRONG_SECRET, fetch: fake.fetch, clock, onEvent }, { baseUrl: API, tokenUrl: TOKEN_URL });
    for (let i = 0; i < 4; i++) await expect(wrong.auth.getToken()).rejects.toMatchObject({ code: "invalid-credentials" });

    // 5. The request limit.
    const limited = createProviderClient(acme, { clientId: "client-2", clientSecret: SECRET, fetch: fake.fetch, clock, onEvent, tokenRequestLimit: { max: 1, windowMs: 60_000 } }, { baseUrl: API, tokenUrl: TOKEN_URL });
    await limited.auth.getToken();
    await limited.auth.invalidate();
    await expect(limited.auth.getToken()).rejects.toMatchObject({ code: "rate-limited" });

    // 6. A token store that fails with the secret and a token in its error messages.
    const memory = createMemoryTokenStore({ clock });
    const leakyStore: TokenStore = {
      get: async () => {
        throw new Error(`redis GET failed: AUTH ${SECRET}`);
      },
      set: async (key, token) => {
        throw new Error(`redis SET ${key} ${token.accessToken} failed (AUTH ${SECRET})`);
      },
      delete: (key) => memory.delete(key),
    };
    const stored = createProviderClient(acme, { clientId: "client-3", clientSecret: SECRET, fetch: fake.fetch, clock, onEvent, tokenStore: leakyStore }, { baseUrl: API, tokenUrl: TOKEN_URL });
    await stored.auth.getToken();

    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual(["circuit-opened", "token-fetched", "token-request-failed", "token-request-refused", "token-request-retried", "token-served-stale", "token-store-failed"]);
    expect(events.filter((e) => e.type === "token-request-refused").map((e) => e.type === "token-request-refused" && e.reason).sort()).toEqual(["circuit-open", "request-limit"]);

    expect(fake.issued.length).toBeGreaterThanOrEqual(4);
    const json = JSON.stringify(events);
    expect(json).not.toContain(SECRET);
    expect(json).not.toContain(WRONG_SECRET);
    expect(json).not.toContain("s3cr3t");
    for (const token of fake.issued) expect(json).not.toContain(token);
    expect(json).not.toContain("at_");

    for (const event of events) {
      expect(typeof event.type).toBe("string");
      expect(event.provider).toBe("acme");
    }
    // Plain data: survives structuredClone unchanged (no errors, functions or tokens objects).
    expect(structuredClone(events)).toEqual(events);
  });

  it("reports a store failure by its own message, a URL's userinfo redacted", async () => {
    const requestToken = scripted();
    const { auth, of } = setup(requestToken, {
      store: {
        get: async () => {
          throw new RangeError(`connection to redis://:${SECRET}@cache failed`);
        },
        set: async () => {},
        delete: async () => {},
      },
    });

    await auth.getToken();
    expect(of("token-store-failed")).toEqual([{ type: "token-store-failed", provider: "acme", operation: "get", message: "connection to redis://[REDACTED]@cache failed" }]);
  });

  it("reports a store failure that is not an Error as its text, the token being stored redacted", async () => {
    const requestToken = scripted();
    const { auth, of } = setup(requestToken, {
      store: {
        get: async () => undefined,
        set: async (_key, token) => {
          throw `SET failed for ${token.accessToken}`;
        },
        delete: async () => {},
      },
    });

    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect(of("token-store-failed")).toEqual([{ type: "token-store-failed", provider: "acme", operation: "set", message: "SET failed for [REDACTED]" }]);
  });

  it("has exactly the documented fields per event", async () => {
    const requestToken = scripted([authError("server-error"), "ok"], { then: authError("server-error") });
    const { auth, clock, events } = setup(requestToken, { retry: { maxAttempts: 2, baseDelayMs: 100 } });

    const token = await auth.getToken();
    clock.advance(3400 * SECOND);
    await auth.getToken();

    expect(events).toEqual([
      { type: "token-request-retried", provider: "acme", attempt: 1, delayMs: 50, code: "server-error", status: 500 },
      { type: "token-fetched", provider: "acme", reason: "cold", source: "call", renewal: false, durationMs: 50, attempts: 2, expiresAt: token.expiresAt },
      { type: "token-request-retried", provider: "acme", attempt: 1, delayMs: 50, code: "server-error", status: 500 },
      { type: "token-request-failed", provider: "acme", durationMs: 50, attempts: 2, code: "server-error", status: 500 },
      { type: "token-served-stale", provider: "acme", expiresAt: token.expiresAt, code: "server-error" },
    ]);
  });

  it("uses provider auth-core when none is given, and a throwing observer does not break token handling", async () => {
    const requestToken = scripted();
    const seen: AuthEvent[] = [];
    const { auth } = setup(requestToken, {
      provider: undefined,
      onEvent: (event) => {
        seen.push(event);
        throw new Error("observer bug");
      },
    });

    expect((await auth.getToken()).accessToken).toBe("token-1");
    expect(seen).toEqual([expect.objectContaining({ type: "token-fetched", provider: "auth-core" })]);
  });
});
