import { inspect } from "node:util";
import { AuthError, InvalidOptionError, isAuthError, type AuthErrorCode, type ClientAuth, type Clock, type FetchLike, type OperationScopes, type RetryOptions } from "@payauth/auth-core";
import { catchAuthError, createHandlersFetch, createManualClock, type FakeFault, type ManualClock, type ProviderFake } from "@payauth/auth-core/testing";
import { afterEach, describe, expect, it } from "vitest";

/** The path every provider fake answers on its API origin, with the provider's auth checks. */
export interface ConformancePaths {
  "/payauth-conformance/ping": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { ok: boolean } } };
      };
    };
  };
}

export interface ConformanceClientOptions {
  /** Where the fake is: the API base URL, and the token URL's origin. */
  origin: string;
  fetch?: FetchLike | undefined;
  clock?: Clock | undefined;
  /** Valid credentials, or a wrong secret. */
  credentials: "valid" | "invalid";
  /** Overrides the secret: a string, or a supplier (a secret manager). */
  clientSecret?: string | (() => string | Promise<string>);
  refreshWindowSeconds?: number | undefined;
  retry?: RetryOptions | undefined;
  /** Passed on as the client's `operationScopes` and `scopeCheck`. */
  operationScopes?: OperationScopes | undefined;
  scopeCheck?: boolean | undefined;
}

export interface TokenErrorCase {
  name: string;
  fault: FakeFault;
  code: AuthErrorCode;
  providerCode?: string | undefined;
}

export interface ConformanceTarget {
  /** `maxpay`, `payme`, … */
  provider: string;
  /** Names this run when a provider runs the suite more than once, e.g. once per client authentication method. */
  variant?: string | undefined;
  /**
   * Whether the client authenticates with a secret the provider can rotate. Default true; false
   * for `private_key_jwt` and `tls_client_auth`, which have no secret (the rotation tests are skipped).
   */
  secretRotation?: boolean | undefined;
  /** The wrong secret `createClient` uses for `credentials: "invalid"`: it must never be printed. */
  invalidSecret: string;
  /** The client id of the valid credentials (for rotating their secret in the fake). */
  clientId: string;
  createFake(options: { clock?: Clock; tokenLifetimeSeconds?: number }): ProviderFake;
  createClient(options: ConformanceClientOptions): { auth: ClientAuth<string>; GET(path: "/payauth-conformance/ping"): Promise<{ response: Response }> };
  /** The provider's documented token-endpoint errors, as faults, and what they must become. */
  tokenErrors: readonly TokenErrorCase[];
  /** API faults: the one that means "replace the token", and a 403 that must not be replayed. */
  apiTokenRejected: FakeFault;
  apiForbidden: FakeFault;
  /**
   * Whether the token the conformance client gets names its scopes (in the response, or because
   * scopes were requested). Default true. When it does not, the scope check is skipped: the
   * provider did not say what the token grants.
   */
  tokenNamesScopes?: boolean;
}

const ORIGIN = "https://api.conformance.test";
const PING = "/payauth-conformance/ping" as const;


/** Registers the shared behaviours as vitest tests for one provider. */
export function describeConformance(target: ConformanceTarget): void {
  describe(`${target.provider}${target.variant === undefined ? "" : ` (${target.variant})`}: conformance`, () => {
    let clock: ManualClock;
    let fake: ProviderFake;

    function setup(tokenLifetimeSeconds?: number, credentials: "valid" | "invalid" = "valid", retry?: RetryOptions) {
      clock = createManualClock();
      fake = target.createFake({ clock, ...(tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds }) });
      return target.createClient({ origin: ORIGIN, fetch: createHandlersFetch(fake.handlers), clock, credentials, retry });
    }
    // Error mapping is checked on one attempt; retries have their own tests.
    const once: RetryOptions = { maxAttempts: 1 };

    it("fetches one token for 500 concurrent calls and reuses it", async () => {
      const client = setup(3600);
      const statuses = await Promise.all(Array.from({ length: 500 }, () => client.GET(PING).then((r) => r.response.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      await client.GET(PING);
      expect(fake.stats.tokensIssued).toBe(1);
      expect(fake.stats.apiCalls).toBe(501);
    });

    it("returns a Bearer token whose expiry counts from the request", async () => {
      const client = setup(3600);
      const sentAt = clock.now();
      const token = await client.auth.getToken();
      expect(token.tokenType).toBe("Bearer");
      expect(token.expiresAt).toBe(sentAt + 3_600_000);
      expect(Array.isArray(token.scopes)).toBe(true);
      expect(JSON.stringify(token)).not.toContain(token.accessToken);
      expect(inspect(token)).not.toContain(token.accessToken);
    });

    it("renews once inside the refresh window, for any number of callers", async () => {
      const client = setup(3600);
      await client.GET(PING);
      clock.advance((3600 - 301) * 1000);
      await client.GET(PING);
      expect(fake.stats.tokensIssued).toBe(1);
      clock.advance(2000);
      await Promise.all(Array.from({ length: 100 }, () => client.GET(PING)));
      expect(fake.stats.tokensIssued).toBe(2);
    });

    it("renews a 60 s token half-way, not on every call", async () => {
      const client = setup(60);
      for (let i = 0; i < 29; i++) {
        await client.GET(PING);
        clock.advance(1000);
      }
      expect(fake.stats.tokensIssued).toBe(1);
      clock.advance(1000);
      await client.GET(PING);
      expect(fake.stats.tokensIssued).toBe(2);
    });

    it("replaces a revoked token and replays the request once", async () => {
      const client = setup();
      await client.GET(PING);
      fake.revokeToken();
      const { response } = await client.GET(PING);
      expect(response.status).toBe(200);
      expect(fake.stats.tokensIssued).toBe(2);
      expect(fake.stats.apiCalls).toBe(3);
    });

    it("replays after the API's token-rejected error, and does not loop", async () => {
      const client = setup();
      fake.failNext("api", target.apiTokenRejected);
      expect((await client.GET(PING)).response.status).toBe(200);
      // The token that replaced a rejected one is rejected too: a new token evidently does not
      // help, so it is kept and the 401 returned, without a token request (a backoff, not a storm).
      fake.failNext("api", target.apiTokenRejected, 2);
      expect((await client.GET(PING)).response.status).toBe(target.apiTokenRejected.status);
      expect(fake.stats.apiCalls).toBe(3);
      expect(fake.stats.tokensIssued).toBe(2);
    });

    it.skipIf(target.secretRotation === false).each([
      ["a supplier that already has the new secret", 0, 2],
      ["a supplier that returns the old secret twice more (its own cache)", 2, 3],
    ] as const)("rotates the secret in the middle of 1,000 calls without a failed call (%s)", async (_, lag, tokenRequests) => {
      clock = createManualClock();
      fake = target.createFake({ clock });
      let secret = "first-rotating-secret-0001";
      let stale = 0;
      fake.rotateSecret(target.clientId, secret);
      const supplier = async () => (stale > 0 ? (stale--, "first-rotating-secret-0001") : secret);
      const client = target.createClient({ origin: ORIGIN, fetch: createHandlersFetch(fake.handlers), clock, credentials: "valid", clientSecret: supplier });
      let failed = 0;
      for (let i = 0; i < 1000; i++) {
        if (i === 500) {
          // Rotated at the provider (the old secret refused from now on, its tokens revoked) and in the secret manager.
          secret = "second-rotating-secret-0002";
          stale = lag;
          fake.rotateSecret(target.clientId, secret);
          fake.revokeToken();
        }
        if ((await client.GET(PING)).response.status !== 200) failed++;
      }
      expect(failed).toBe(0);
      expect(fake.stats.tokenRequests).toBe(tokenRequests);
      expect(fake.stats.tokensIssued).toBe(2);
    }, 60_000); // 1,000 calls: a bound against hangs on a loaded machine, not a timing assertion

    it("returns a 403 without replaying", async () => {
      const client = setup();
      fake.failNext("api", target.apiForbidden);
      expect((await client.GET(PING)).response.status).toBe(403);
      expect(fake.stats.apiCalls).toBe(1);
      expect(fake.stats.tokensIssued).toBe(1);
    });

    describe("operation scopes", () => {
      const needs = (...sets: string[][]): OperationScopes => ({ [`GET ${PING}`]: sets });

      it("fails fast with insufficient-scope, sending nothing, when the token lacks the operation's scope", async () => {
        clock = createManualClock();
        fake = target.createFake({ clock });
        const client = target.createClient({ origin: ORIGIN, fetch: createHandlersFetch(fake.handlers), clock, credentials: "valid", operationScopes: needs(["payauth:not-granted"]) });
        if (target.tokenNamesScopes === false) {
          expect((await client.auth.getToken()).scopes).toEqual([]);
          expect((await client.GET(PING)).response.status).toBe(200);
          expect(fake.stats.apiCalls).toBe(1);
          return;
        }
        const error = await catchAuthError(client.GET(PING));
        expect(isAuthError(error, "insufficient-scope")).toBe(true);
        expect(error.provider).toBe(target.provider);
        expect(error.message).toContain(`GET ${PING} needs scope(s) payauth:not-granted;`);
        expect(error.details).toMatchObject({ operation: `GET ${PING}`, missingScopes: ["payauth:not-granted"] });
        expect(fake.stats.apiCalls).toBe(0);
        expect(fake.stats.tokensIssued).toBe(1);
      });

      it("sends a call one of whose scope sets is granted, and any call with scopeCheck: false", async () => {
        clock = createManualClock();
        fake = target.createFake({ clock });
        const fetch = createHandlersFetch(fake.handlers);
        const probe = target.createClient({ origin: ORIGIN, fetch, clock, credentials: "valid" });
        const granted = [...(await probe.auth.getToken()).scopes];
        const allowed = target.createClient({ origin: ORIGIN, fetch, clock, credentials: "valid", operationScopes: needs(["payauth:not-granted"], granted) });
        expect((await allowed.GET(PING)).response.status).toBe(200);
        const unchecked = target.createClient({ origin: ORIGIN, fetch, clock, credentials: "valid", operationScopes: needs(["payauth:not-granted"]), scopeCheck: false });
        expect((await unchecked.GET(PING)).response.status).toBe(200);
        expect(fake.stats.apiCalls).toBe(2);
      });

      it("refuses a malformed operationScopes when the client is created", () => {
        const create = () => target.createClient({ origin: ORIGIN, credentials: "valid", operationScopes: { [`get ${PING}`]: [[]] } });
        expect(create).toThrow(InvalidOptionError);
        expect(create).toThrow(`@payauth/${target.provider}: option \`operationScopes\``);
      });
    });

    it("invalidate() makes the next call fetch a new token", async () => {
      const client = setup();
      await client.auth.getToken();
      await client.auth.invalidate();
      await client.auth.getToken();
      expect(fake.stats.tokensIssued).toBe(2);
    });

    it("maps wrong credentials to invalid-credentials without printing the secret", async () => {
      const client = setup(undefined, "invalid");
      const error = await catchAuthError(client.GET(PING));
      expect(error.code).toBe("invalid-credentials");
      expect(error.provider).toBe(target.provider);
      expect(error.message.startsWith(`@payauth/${target.provider}: `)).toBe(true);
      for (const text of [error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })]) {
        expect(text).not.toContain(target.invalidSecret);
      }
    });

    describe("documented token errors", () => {
      for (const errorCase of target.tokenErrors) {
        it(`${errorCase.name} → ${errorCase.code}`, async () => {
          const client = setup(undefined, "valid", once);
          fake.failNext("token", errorCase.fault);
          const error = await catchAuthError(client.auth.getToken());
          expect(isAuthError(error, errorCase.code)).toBe(true);
          expect(error.status).toBe(errorCase.fault.status);
          if (errorCase.providerCode !== undefined) expect(error.providerCode).toBe(errorCase.providerCode);
          if (errorCase.fault.retryAfterSeconds !== undefined) expect(error.retryAfterMs).toBe(errorCase.fault.retryAfterSeconds * 1000);
          const retryAfterMs = errorCase.fault.retryAfterSeconds === undefined ? 0 : errorCase.fault.retryAfterSeconds * 1000;
          if (retryAfterMs > 0) {
            // The provider's Retry-After binds the next calls too: they fail fast, sending nothing, until it passes.
            const requests = fake.stats.tokenRequests;
            const early = await catchAuthError(client.auth.getToken());
            expect(isAuthError(early, "rate-limited")).toBe(true);
            expect(early.retryAfterMs).toBe(retryAfterMs);
            expect(fake.stats.tokenRequests).toBe(requests);
            clock.advance(retryAfterMs);
          }
          // A failure is not cached: the next call (after any Retry-After) succeeds.
          await expect(client.auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer" });
        });
      }
    });

    it.each<[string, FakeFault, AuthErrorCode]>([
      ["an HTML 200", { status: 200, body: "<html>hello</html>" }, "invalid-response"],
      ["an empty 200", { status: 200, body: "" }, "invalid-response"],
      ["a 200 with an empty object", { status: 200, body: "{}" }, "invalid-response"],
      ["a 500 HTML page", { status: 500, body: "<html>oops</html>" }, "server-error"],
      ["a 503 with Retry-After", { status: 503, body: "busy", retryAfterSeconds: 7 }, "server-error"],
      ["a 429 without a body", { status: 429, body: "", retryAfterSeconds: 30 }, "rate-limited"],
    ])("maps %s from the token endpoint to %s", async (_, fault, code) => {
      const client = setup(undefined, "valid", once);
      fake.failNext("token", fault);
      const error = await catchAuthError(client.auth.getToken());
      expect(error.code).toBe(code);
      if (fault.retryAfterSeconds !== undefined) expect(error.retryAfterMs).toBe(fault.retryAfterSeconds * 1000);
    });

    it("retries a token request that failed with 5xx or a dropped connection, then succeeds", async () => {
      const client = setup(undefined, "valid", { maxAttempts: 3, baseDelayMs: 100 });
      fake.failNext("token", { status: 503, body: "busy" });
      fake.failNext("token", { kind: "drop", status: 0 });
      const { response } = await client.GET(PING);
      expect(response.status).toBe(200);
      expect(fake.stats.tokenRequests).toBe(3);
      expect(fake.stats.tokensIssued).toBe(1);
    });

    it("does not retry wrong credentials", async () => {
      const client = setup(undefined, "invalid", { maxAttempts: 3 });
      await catchAuthError(client.auth.getToken());
      expect(fake.stats.tokenRequests).toBe(1);
    });

    describe("over loopback HTTP", () => {
      const closers: (() => Promise<void>)[] = [];
      afterEach(async () => {
        await Promise.all(closers.splice(0).map((close) => close()));
      });

      it("serves the client through the fake on 127.0.0.1 with the platform fetch", async () => {
        const served = target.createFake({});
        const server = await served.serve();
        closers.push(server.close);
        const client = target.createClient({ origin: server.url, credentials: "valid" });
        const statuses = await Promise.all(Array.from({ length: 50 }, () => client.GET(PING).then((r) => r.response.status)));
        expect(statuses.every((s) => s === 200)).toBe(true);
        expect(served.stats.tokensIssued).toBe(1);
        served.revokeToken();
        expect((await client.GET(PING)).response.status).toBe(200);
        expect(served.stats.tokensIssued).toBe(2);
      });

      it("maps every documented token error and an API 403 over HTTP", async () => {
        const served = target.createFake({});
        const server = await served.serve();
        closers.push(server.close);
        for (const errorCase of target.tokenErrors) {
          served.failNext("token", errorCase.fault);
          const client = target.createClient({ origin: server.url, credentials: "valid", retry: once });
          const error = await catchAuthError(client.auth.getToken());
          expect([errorCase.name, error.code, error.status]).toEqual([errorCase.name, errorCase.code, errorCase.fault.status]);
        }
        const wrong = target.createClient({ origin: server.url, credentials: "invalid" });
        expect((await catchAuthError(wrong.auth.getToken())).code).toBe("invalid-credentials");
        const client = target.createClient({ origin: server.url, credentials: "valid" });
        served.failNext("api", target.apiForbidden);
        expect((await client.GET(PING)).response.status).toBe(403);
      });

      it("maps a closed port to network-error", async () => {
        const server = await target.createFake({}).serve();
        await server.close();
        const client = target.createClient({ origin: server.url, credentials: "valid" });
        expect((await catchAuthError(client.auth.getToken())).code).toBe("network-error");
      });
    });
  });
}
