import { catchAuthError } from "@payauth/auth-core/testing";
import { inspect } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { AuthError, createMaxPayClient, InvalidOptionError, isAuthError, type FetchLike } from "../src/index.js";
import { createHandlersFetch, createManualClock, createMaxPayFake, maxPayFakeCredentials, type ManualClock, type MaxPayFake } from "../src/testing/index.js";

const baseUrl = "https://api.maxpay.test";
let clock: ManualClock;
let fake: MaxPayFake;
let sent: Request[];
let fetch: FetchLike;

beforeEach(() => {
  clock = createManualClock();
  fake = createMaxPayFake({ clock });
  const answer = createHandlersFetch(fake.handlers);
  sent = [];
  fetch = (request) => {
    sent.push(request.clone());
    return answer(request);
  };
});

// These tests check one attempt each; retries are covered by auth-core and the conformance suite.
const once = { maxAttempts: 1 };

function client(overrides: Partial<Parameters<typeof createMaxPayClient>[0]> = {}) {
  return createMaxPayClient({ baseUrl, ...maxPayFakeCredentials, fetch, clock, retry: once, ...overrides });
}


describe("createMaxPayClient", () => {
  it("logs in once with the documented body and calls GET /v1/me with the token", async () => {
    const maxpay = client();
    const { data, error, response } = await maxpay.GET("/v1/me");
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.customer.businessName).toBe("DistribuidoraDemo S.A.");
    const login = sent[0]!;
    expect(login.method).toBe("POST");
    expect(login.url).toBe(`${baseUrl}/v1/auth/login`);
    expect(login.headers.get("content-type")).toBe("application/json");
    expect(await login.json()).toEqual({ clientId: maxPayFakeCredentials.clientId, clientSecret: maxPayFakeCredentials.clientSecret });
    const token = await maxpay.auth.getToken();
    expect(sent[1]!.headers.get("authorization")).toBe(`Bearer ${token.accessToken}`);
    expect(fake.stats.tokenRequests).toBe(1);
  });

  it("returns the documented token shape with expiry from when the request was sent", async () => {
    const maxpay = client();
    const before = clock.now();
    const token = await maxpay.auth.getToken();
    expect(token.tokenType).toBe("Bearer");
    expect(token.expiresAt).toBe(before + 43_200_000);
    expect(token.scopes).toContain("receivables:write");
    expect(token.scopes).not.toContain("route-settlements:write");
    expect(maxpay.auth.hasScope("receivables:write")).toBe(true);
    expect(maxpay.auth.hasScope("route-settlements:write")).toBe(false);
  });

  it("shares one login among 1,000 concurrent calls and reuses it until the renewal window", async () => {
    const maxpay = client();
    const results = await Promise.all(Array.from({ length: 1000 }, () => maxpay.GET("/v1/me")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(fake.stats.tokenRequests).toBe(1);
    clock.advance((43_200 - 301) * 1000);
    await maxpay.GET("/v1/me");
    expect(fake.stats.tokenRequests).toBe(1);
    clock.advance(2000);
    await Promise.all(Array.from({ length: 100 }, () => maxpay.GET("/v1/me")));
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it("renews a short-lived token half-way through its life, not on every call", async () => {
    fake = createMaxPayFake({ clock, tokenLifetimeSeconds: 60 });
    fetch = createHandlersFetch(fake.handlers);
    const maxpay = client();
    for (let i = 0; i < 29; i++) {
      await maxpay.GET("/v1/me");
      clock.advance(1000);
    }
    expect(fake.stats.tokenRequests).toBe(1);
    clock.advance(1000);
    await maxpay.GET("/v1/me");
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it.each(["revoked", "expired"] as const)("replays once with a new token when the API says the token was %s", async (how) => {
    const maxpay = client();
    await maxpay.GET("/v1/me");
    if (how === "revoked") fake.revokeToken();
    else fake.failNext("api", { status: 401, code: "token-expired" });
    const replayed = await maxpay.GET("/v1/me");
    expect(replayed.response.status).toBe(200);
    expect(fake.stats.tokenRequests).toBe(2);
    expect(fake.stats.apiCalls).toBe(3);
  });

  it("does not loop when the replay is rejected too", async () => {
    const maxpay = client();
    fake.failNext("api", { status: 401, code: "invalid-token" }, 2);
    const { error, response } = await maxpay.GET("/v1/me");
    expect(response.status).toBe(401);
    expect(error?.code).toBe("invalid-token");
    expect(fake.stats.apiCalls).toBe(2);
  });

  it("returns a 403 insufficient-scope as a typed error without replaying", async () => {
    const maxpay = client();
    fake.failNext("api", { status: 403, code: "insufficient-scope" });
    const { error, response } = await maxpay.GET("/v1/me");
    expect(response.status).toBe(403);
    expect(error?.code).toBe("insufficient-scope");
    expect(fake.stats.tokenRequests).toBe(1);
    expect(fake.stats.apiCalls).toBe(1);
  });

  it("sends the token only to its own API origin", async () => {
    const maxpay = client();
    await maxpay.GET("/v1/me", { baseUrl: "https://elsewhere.test" });
    const foreign = sent.find((r) => r.url.startsWith("https://elsewhere.test"));
    expect(foreign).toBeDefined();
    expect(foreign?.headers.get("authorization")).toBeNull();
  });

  it("uses tokenUrl when given", async () => {
    const maxpay = client({ tokenUrl: "https://auth.maxpay.test/v1/auth/login" });
    await maxpay.auth.getToken();
    expect(sent[0]!.url).toBe("https://auth.maxpay.test/v1/auth/login");
  });

  it("invalidate() makes the next call log in again", async () => {
    const maxpay = client();
    await maxpay.auth.getToken();
    await maxpay.auth.invalidate();
    await maxpay.auth.getToken();
    expect(fake.stats.tokenRequests).toBe(2);
  });
});

describe("Max Pay errors", () => {
  it("maps bad credentials to invalid-credentials with no secret anywhere", async () => {
    const secret = "wrong-but-secret-value";
    const maxpay = client({ clientSecret: secret });
    const error = await catchAuthError(maxpay.GET("/v1/me"));
    expect(isAuthError(error, "invalid-credentials")).toBe(true);
    expect(error).toMatchObject({ status: 401, provider: "maxpay", providerCode: "invalid-credentials" });
    expect(error.message.startsWith("@payauth/maxpay: ")).toBe(true);
    for (const text of [error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(secret);
    }
  });

  it("maps 429 rate-limit-exceeded with Retry-After to rate-limited", async () => {
    fake.failNext("token", { status: 429, code: "rate-limit-exceeded", retryAfterSeconds: 30 });
    const error = await catchAuthError(client().auth.getToken());
    expect(error).toMatchObject({ code: "rate-limited", providerCode: "rate-limit-exceeded", status: 429, retryAfterMs: 30_000 });
  });

  it("maps the fake's own login rate limit to rate-limited", async () => {
    fake = createMaxPayFake({ clock, loginRateLimit: { max: 1, windowSeconds: 60 } });
    fetch = createHandlersFetch(fake.handlers);
    const maxpay = client();
    await maxpay.auth.getToken();
    const error = await catchAuthError(maxpay.auth.getToken({ forceRefresh: true }));
    expect(error.code).toBe("rate-limited");
    expect(error.retryAfterMs).toBe(60_000);
  });

  it("maps a 500 HTML page to server-error and does not poison the cache", async () => {
    fake.failNext("token", { status: 500, body: "<html>Internal Server Error</html>" });
    const maxpay = client();
    const error = await catchAuthError(maxpay.GET("/v1/me"));
    expect(error.code).toBe("server-error");
    const { response } = await maxpay.GET("/v1/me");
    expect(response.status).toBe(200);
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it.each([
    ["a wrong type", '{"accessToken":5,"tokenType":"Bearer","expiresIn":60,"scope":""}'],
    ["a missing field", '{"tokenType":"Bearer","expiresIn":60,"scope":""}'],
    ["a zero lifetime", '{"accessToken":"abc","tokenType":"Bearer","expiresIn":0,"scope":""}'],
    ["another token type", '{"accessToken":"abc","tokenType":"MAC","expiresIn":60,"scope":""}'],
    ["not JSON", "<html>ok</html>"],
    ["an empty body", ""],
  ])("maps a 200 token response with %s to invalid-response", async (_, body) => {
    fake.failNext("token", { status: 200, body });
    const error = await catchAuthError(client().auth.getToken());
    expect(error.code).toBe("invalid-response");
  });

  it("rejects bad options with an error naming the option", () => {
    expect(() => client({ baseUrl: "not a url" })).toThrow(InvalidOptionError);
    expect(() => client({ baseUrl: "not a url" })).toThrow(/option `baseUrl`/);
    expect(() => client({ clientId: "" })).toThrow(/option `clientId`/);
    expect(() => client({ clientSecret: "   " })).toThrow(/option `clientSecret`/);
    expect(() => client({ refreshWindowSeconds: -1 })).toThrow(/option `refreshWindowSeconds`/);
    expect(() => client({ tokenUrl: "ftp://x" })).toThrow(/option `tokenUrl`/);
  });
});
