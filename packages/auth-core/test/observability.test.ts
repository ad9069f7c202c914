import { afterEach, describe, expect, it, vi } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createProviderClient, type ProviderDefinition } from "../src/create-provider-client.js";
import { debugEnabled, formatEvent, observers, resetDebugEnv } from "../src/debug-log.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { AuthEvent, FetchLike, Logger, StoredToken, TokenStore } from "../src/types.js";
import { authError, scripted, SECOND, setup } from "./support/resilience.js";

const API = "https://api.acme.test";
const TOKEN_URL = "https://auth.acme.test/oauth/token?tenant=t-1";
const SECRET = "s3cr3t-value-Qx7";

const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { client_id: clientId, client_secret: clientSecret } }),
  parseGrant: (body) => {
    const b = body as { access_token?: unknown; scope?: unknown };
    return typeof b.access_token === "string" ? { accessToken: b.access_token, expiresInSeconds: 3600, scopes: typeof b.scope === "string" ? b.scope.split(" ") : undefined } : { code: "invalid-response" };
  },
  mapTokenError: () => undefined,
  isTokenRejected: () => true,
};

/** An API that answers 401 to `revoked` tokens, and a token endpoint that issues `at-<n>`. */
function fakeApi(options: { scope?: string } = {}) {
  let n = 0;
  const revoked = new Set<string>();
  const fetch: FetchLike = async (request) => {
    if (request.url.startsWith("https://auth.acme.test/")) return Response.json({ access_token: `at-${++n}-Zq9`, scope: options.scope });
    const token = request.headers.get("authorization")?.slice(7) ?? "";
    return revoked.has(token) ? Response.json({ error: "invalid_token" }, { status: 401 }) : Response.json({ ok: true });
  };
  return { fetch, revoke: (token: string) => revoked.add(token), issued: () => n };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetDebugEnv();
});

describe("errors that explain themselves", () => {
  it("a network error names the token URL's host (not its path or query), the cause's code, the attempts and the time", async () => {
    const clock = createManualClock();
    const fetch: FetchLike = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:9 ${SECRET}`), { code: "ECONNREFUSED" }) });
    };
    const client = createProviderClient(acme, { clientId: "c", clientSecret: SECRET, fetch, clock, retry: { baseDelayMs: 1000 } }, { baseUrl: API, tokenUrl: TOKEN_URL });
    const error = await client.auth.getToken().catch((e: unknown) => e);
    expect(isAuthError(error, "network-error")).toBe(true);
    const e = error as Error & { attempts: number; elapsedMs: number };
    // On a manual clock the time is the two jittered waits (under 1 s and 2 s).
    expect(e.message).toMatch(/^@payauth\/acme: token request to auth\.acme\.test failed before a response arrived: ECONNREFUSED \(3 attempts in [0-2]\.\d s\)$/);
    expect(e.attempts).toBe(3);
    expect(e.elapsedMs).toBeLessThan(3000);
    expect(e.stack?.split("\n")[0]).toBe(`AuthError: ${e.message}`);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ code: "network-error", attempts: 3, elapsedMs: e.elapsedMs, causeCodes: ["ECONNREFUSED"] });
    for (const text of [e.message, e.stack, JSON.stringify(error)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("oauth/token");
      expect(text).not.toContain("tenant=");
    }
  });

  it("codes along the whole cause chain, each once (undici's, then the socket's)", async () => {
    const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET", cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });
    const fetch: FetchLike = async () => {
      throw new TypeError("fetch failed", { cause: socket });
    };
    const client = createProviderClient(acme, { clientId: "c", clientSecret: SECRET, fetch, retry: { maxAttempts: 1 } }, { baseUrl: API, tokenUrl: TOKEN_URL });
    const error = (await client.auth.getToken().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^@payauth\/acme: token request to auth\.acme\.test failed before a response arrived: UND_ERR_SOCKET, ECONNRESET \(1 attempt in \d+\.\d s\)$/);
  });

  it("other codes keep their message, and get attempts and elapsedMs", async () => {
    const { auth } = setup(scripted([authError("invalid-credentials", { status: 401 })]));
    const error = (await auth.getToken().catch((e: unknown) => e)) as Error & { attempts?: number };
    expect(error.message).not.toContain("attempt");
    expect(error.attempts).toBe(1);
  });
});

describe("events that tell why", () => {
  it("token-fetched: reason cold, expiring, invalidated, forced, rejected; source call or background", async () => {
    const requestToken = scripted(["ok", "ok", "ok", "ok", authError("server-error", { status: 503 })]);
    const { auth, clock, of } = setup(requestToken, { retry: { maxAttempts: 1 } });

    await auth.getToken(); // cold
    clock.advance(3400 * SECOND);
    await auth.getToken(); // expiring
    await auth.invalidate();
    await auth.getToken(); // invalidated
    await auth.getToken({ forceRefresh: true }); // forced
    clock.advance(3400 * SECOND);
    await auth.getToken(); // expiring, fails: served stale
    clock.advance(5 * SECOND);
    await auth.getToken(); // stale: renewed in the background
    await vi.waitFor(() => expect(of("token-fetched")).toHaveLength(5));

    expect(of("token-fetched").map((e) => [e.reason, e.source])).toEqual([
      ["cold", "call"],
      ["expiring", "call"],
      ["invalidated", "call"],
      ["forced", "call"],
      ["expiring", "background"],
    ]);
  });

  it("store-miss with a shared store; rejected and request-replayed after an API 401", async () => {
    const api = fakeApi();
    const events: AuthEvent[] = [];
    const client = createProviderClient(acme, { clientId: "c", clientSecret: SECRET, fetch: api.fetch, tokenStore: createMemoryTokenStore(), onEvent: (e) => events.push(e) }, { baseUrl: API, tokenUrl: TOKEN_URL });
    const { accessToken } = await client.auth.getToken();
    api.revoke(accessToken);
    const { response } = await client.GET("/things" as never);
    expect(response.status).toBe(200);
    expect(events.map((e) => (e.type === "token-fetched" ? `${e.type}:${e.reason}` : e.type))).toEqual(["token-fetched:store-miss", "token-fetched:rejected", "request-replayed"]);
    expect(events.at(-1)).toEqual({ type: "request-replayed", provider: "acme", method: "GET", status: 200 });
  });

  it("scope-check-refused and circuit-opened", async () => {
    const api = fakeApi({ scope: "things:read" });
    const events: AuthEvent[] = [];
    const onEvent = (e: AuthEvent) => events.push(e);
    const client = createProviderClient(acme, { clientId: "c", clientSecret: SECRET, fetch: api.fetch, onEvent, operationScopes: { "POST /things": [["things:write"]] } }, { baseUrl: API, tokenUrl: TOKEN_URL });
    await expect(client.POST("/things" as never, {} as never)).rejects.toMatchObject({ code: "insufficient-scope" });
    expect(events.at(-1)).toEqual({ type: "scope-check-refused", provider: "acme", operation: "POST /things", missingScopes: ["things:write"] });

    const failing = scripted([], { then: authError("invalid-credentials", { status: 401 }) });
    const { auth, of } = setup(failing, { circuitBreaker: { failureThreshold: 2, cooldownMs: 30_000 } });
    for (let i = 0; i < 3; i++) await auth.getToken().catch(() => undefined);
    expect(of("circuit-opened")).toEqual([{ type: "circuit-opened", provider: "acme", failures: 2, cooldownMs: 30_000, code: "invalid-credentials" }]);
    expect(of("token-request-refused")).toHaveLength(1);
  });

  it("token-store-undecryptable when the shared store holds a value none of its keys decrypts (once per read), and it counts as a miss", async () => {
    const memory = createMemoryTokenStore();
    // A store of another fleet's key: every value is there, none readable.
    const foreign: TokenStore = {
      get: async (key, options) => {
        if ((await memory.get(key)) !== undefined) options?.onUndecryptable?.();
        return undefined;
      },
      set: (key, token: StoredToken, ttl) => memory.set(key, token, ttl),
      delete: (key, token) => memory.delete(key, token),
    };
    const requestToken = scripted();
    const { auth, of } = setup(requestToken, { store: foreign });
    await auth.getToken();
    await auth.invalidate(); // our own copy forgotten; the store still has the value
    await memory.set("payauth:acme:resilience", { accessToken: "foreign", tokenType: "Bearer", obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000, scopes: [] }, 3_600_000);
    await auth.getToken();
    expect(of("token-store-undecryptable")).toEqual([{ type: "token-store-undecryptable", provider: "acme", operation: "get" }]);
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("token-store-failed keeps the store's own message, redacted", async () => {
    const store: TokenStore = {
      get: async () => {
        throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
      },
      set: async (_key, token) => {
        throw new Error(`SET failed for\n${token.accessToken} (AUTH ${SECRET}) at redis://user:pw@cache:6379`);
      },
      delete: async () => {},
    };
    const events: AuthEvent[] = [];
    const client = createProviderClient(acme, { clientId: "c", clientSecret: SECRET, fetch: fakeApi().fetch, tokenStore: store, onEvent: (e) => events.push(e) }, { baseUrl: API, tokenUrl: TOKEN_URL });
    await client.auth.getToken();
    expect(events.filter((e) => e.type === "token-store-failed").map((e) => e.type === "token-store-failed" && [e.operation, e.message])).toEqual([
      ["get", "Stream isn't writeable and enableOfflineQueue options is false"],
      ["set", "SET failed for\n[REDACTED] (AUTH [REDACTED]) at redis://[REDACTED]@cache:6379"],
    ]);
  });
});

describe("debug lines", () => {
  const logger = () => {
    const lines: [string, string][] = [];
    const log = (level: string) => (message: string) => void lines.push([level, message]);
    return { lines, logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") } satisfies Logger };
  };

  it("a logger gets one line per event, at a level by event, no secret or token", async () => {
    const { lines, logger: log } = logger();
    const requestToken = scripted([authError("server-error", { status: 503 }), "ok"], { then: authError("timeout") });
    const { auth, clock } = setup(requestToken, { logger: log, retry: { maxAttempts: 2 } });
    await auth.getToken();
    clock.advance(3400 * SECOND);
    await auth.getToken();
    expect(lines.map(([level, line]) => `${level} ${line.split(" ").slice(0, 2).join(" ")}`)).toEqual([
      "debug payauth:acme token-request-retried",
      "debug payauth:acme token-fetched",
      "debug payauth:acme token-request-retried",
      "error payauth:acme token-request-failed",
      "warn payauth:acme token-served-stale",
    ]);
    expect(lines[1]![1]).toMatch(/^payauth:acme token-fetched \{"reason":"cold","source":"call","renewal":false,"durationMs":\d+,"attempts":2,"expiresAt":\d+\}$/);
    expect(lines.join("\n")).not.toMatch(/token-\d/);
  });

  it("PAYAUTH_DEBUG=1 prints to stderr with no code change, time first", async () => {
    vi.stubEnv("PAYAUTH_DEBUG", "1");
    const stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { auth } = setup(scripted(), { onEvent: undefined });
    await auth.getToken();
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]![0])).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z payauth:acme token-fetched \{"reason":"cold","source":"call",/);
  });

  it("DEBUG names payauth as the debug package's patterns do: *, payauth*, payauth:*, payauth:<provider>", () => {
    const cases: [string | undefined, string | undefined, boolean][] = [
      [undefined, undefined, false],
      ["1", undefined, true],
      ["true", undefined, true],
      ["0", undefined, false],
      ["false", undefined, false],
      [undefined, "payauth*", true],
      [undefined, "payauth:*", true],
      [undefined, "payauth:acme", true],
      [undefined, "payauth:other", false],
      [undefined, "*", true],
      [undefined, "express:*, payauth:acme", true],
      [undefined, "express:*", false],
      [undefined, "payauth", false],
    ];
    for (const [payauthDebug, debug, on] of cases) {
      vi.unstubAllEnvs();
      if (payauthDebug !== undefined) vi.stubEnv("PAYAUTH_DEBUG", payauthDebug);
      else delete process.env["PAYAUTH_DEBUG"];
      if (debug !== undefined) vi.stubEnv("DEBUG", debug);
      else delete process.env["DEBUG"];
      resetDebugEnv();
      expect([payauthDebug, debug, debugEnabled("acme")]).toEqual([payauthDebug, debug, on]);
    }
  });

  it("never touches process where there is none, and survives an environment it may not read", () => {
    vi.stubGlobal("process", undefined);
    try {
      resetDebugEnv();
      expect(debugEnabled("acme")).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
    vi.stubGlobal("process", {
      get env(): never {
        throw new Error("PermissionDenied: env access");
      },
    });
    try {
      resetDebugEnv();
      expect(debugEnabled("acme")).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("without a logger or the environment, onEvent is the user's as it is", () => {
    resetDebugEnv();
    const onEvent = () => undefined;
    expect(observers("acme", { onEvent })).toBe(onEvent);
    expect(observers("acme", {})).toBeUndefined();
  });

  it("formats a line as the namespace, the type and the other fields as JSON (one line whatever the message)", () => {
    expect(formatEvent({ type: "token-store-failed", provider: "acme", operation: "get", message: "Connection\nis closed." })).toBe('payauth:acme token-store-failed {"operation":"get","message":"Connection\\nis closed."}');
    expect(formatEvent({ type: "scope-check-refused", provider: "acme", operation: "POST /x", missingScopes: ["a", "b"] })).toBe('payauth:acme scope-check-refused {"operation":"POST /x","missingScopes":["a","b"]}');
  });
});
