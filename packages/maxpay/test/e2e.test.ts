import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMaxPayClient, isAuthError } from "../src/index.js";
import { createMaxPayFake, maxPayFakeCredentials, type FakeServer } from "../src/testing/index.js";

// Over real HTTP: the fake served on loopback, the client using the platform's fetch.
const fake = createMaxPayFake();
let server: FakeServer;

beforeAll(async () => {
  server = await fake.serve();
});
afterAll(async () => {
  await server.close();
});

describe("@payauth/maxpay over loopback HTTP", () => {
  it("serves GET /v1/me, shares one login among concurrent calls, and recovers from a revoked token", async () => {
    const maxpay = createMaxPayClient({ baseUrl: server.url, ...maxPayFakeCredentials });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const first = await maxpay.GET("/v1/me");
    expect(first.data?.apiKey.environment).toBe("PRODUCTION");
    const results = await Promise.all(Array.from({ length: 200 }, () => maxpay.GET("/v1/me")));
    expect(results.filter((r) => r.response.status === 200)).toHaveLength(200);
    expect(fake.stats.tokenRequests).toBe(1);
    fake.revokeToken();
    const after = await maxpay.GET("/v1/me");
    expect(after.response.status).toBe(200);
    expect(fake.stats.tokenRequests).toBe(2);
  });

  it("throws a typed error for bad credentials and for a server error", async () => {
    const bad = createMaxPayClient({ baseUrl: server.url, clientId: "nobody", clientSecret: "nope-nope" });
    await expect(bad.GET("/v1/me")).rejects.toSatisfy((e) => isAuthError(e, "invalid-credentials"));
    fake.failNext("token", { status: 503, body: "unavailable" });
    const maxpay = createMaxPayClient({ baseUrl: server.url, ...maxPayFakeCredentials, retry: { maxAttempts: 1 } });
    await expect(maxpay.auth.getToken()).rejects.toSatisfy((e) => isAuthError(e, "server-error"));
    await expect(maxpay.auth.getToken()).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("reports a closed port as network-error", async () => {
    const closed = await createMaxPayFake().serve();
    await closed.close();
    const maxpay = createMaxPayClient({ baseUrl: closed.url, ...maxPayFakeCredentials });
    await expect(maxpay.auth.getToken()).rejects.toSatisfy((e) => isAuthError(e, "network-error"));
  });
});
