import createClient from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { createAuthMiddleware } from "../src/create-auth-middleware.js";
import { createTokenManager } from "../src/create-token-manager.js";
import type { ErrorContext } from "../src/request-token.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { TokenGrant } from "../src/types.js";

const API = "https://api.acme.test";

interface Payment {
  id: string;
  amount: number;
}

interface paths {
  "/v1/payments": {
    get: {
      responses: {
        200: { content: { "application/json": { items: Payment[] } } };
        401: { content: { "application/json": { code: string } } };
      };
    };
    post: {
      requestBody: { content: { "application/json": { amount: number; note: string } } };
      responses: {
        200: { content: { "application/json": Payment } };
        401: { content: { "application/json": { code: string } } };
      };
    };
  };
}

interface Sent {
  url: string;
  method: string;
  authorization: string | null;
  body: string;
}

/**
 * A test setup: a token manager over a counting `requestToken` (token-1, token-2, …), and an API
 * `fetch` that records every request and answers with `answer(n)` for the n-th one (0-based).
 */
function setup(answer: (n: number, sent: Sent) => Response, isTokenRejected: (context: ErrorContext) => boolean = ({ body }) => isRejectedBody(body)) {
  let tokens = 0;
  const requestToken = vi.fn(async (): Promise<TokenGrant> => {
    tokens += 1;
    return { accessToken: `token-${tokens}`, expiresInSeconds: 3600, scopes: [] };
  });
  const auth = createTokenManager({ cacheKey: "payauth:acme:test", requestToken, clock: createManualClock() });
  const sent: Sent[] = [];
  const fetch = vi.fn(async (request: Request) => {
    const entry = { url: request.url, method: request.method, authorization: request.headers.get("authorization"), body: await request.text() };
    sent.push(entry);
    return answer(sent.length - 1, entry);
  });
  const rejected = vi.fn(isTokenRejected);
  const client = createClient<paths>({ baseUrl: API, fetch });
  client.use(createAuthMiddleware({ auth, apiOrigin: API, fetch, isTokenRejected: rejected }));
  return { client, requestToken, fetch, sent, rejected };
}

function isRejectedBody(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { code?: unknown }).code === "token-expired";
}

const payments = () => Response.json({ items: [{ id: "p1", amount: 5 }] });
const expired = () => Response.json({ code: "token-expired" }, { status: 401 });

describe("createAuthMiddleware: attaching the token", () => {
  it("adds Authorization: Bearer <token> to requests for the API origin, fetching the token once", async () => {
    const { client, requestToken, sent } = setup(() => payments());

    for (let i = 0; i < 3; i++) {
      const { data, error } = await client.GET("/v1/payments");
      expect(error).toBeUndefined();
      expect(data).toEqual({ items: [{ id: "p1", amount: 5 }] });
    }
    expect(sent.map((s) => s.authorization)).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-1"]);
    expect(sent[0]?.url).toBe(`${API}/v1/payments`);
    expect(requestToken).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["another origin", "https://other.example.net"],
    ["a look-alike host", "https://api.acme.test.evil.example"],
    ["the same host on another port", "https://api.acme.test:8443"],
    ["the same host over http", "http://api.acme.test"],
  ])("does not add the token for a per-request baseUrl on %s", async (_, baseUrl) => {
    const { client, requestToken, sent } = setup(() => payments());

    await client.GET("/v1/payments", { baseUrl });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(`${baseUrl}/v1/payments`);
    expect(sent[0]?.authorization).toBeNull();
    expect(requestToken).toHaveBeenCalledTimes(0);
  });
});

describe("createAuthMiddleware: a rejected token", () => {
  it("invalidates the token, fetches a new one and replays the request once", async () => {
    const { client, requestToken, fetch, sent } = setup((n) => (n === 0 ? expired() : payments()));

    const { data, error, response } = await client.GET("/v1/payments");
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual({ items: [{ id: "p1", amount: 5 }] });
    expect(requestToken).toHaveBeenCalledTimes(2);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(sent.map((s) => s.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);

    // The new token is kept for later requests.
    await client.GET("/v1/payments");
    expect(sent[2]?.authorization).toBe("Bearer token-2");
    expect(requestToken).toHaveBeenCalledTimes(2);
  });

  it("replays a POST with its body intact", async () => {
    const { client, sent } = setup((n, s) => (n === 0 ? expired() : Response.json({ id: "p2", ...(JSON.parse(s.body) as object) })));

    const { data, response } = await client.POST("/v1/payments", { body: { amount: 1250, note: "ünïcode ✓" } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ id: "p2", amount: 1250, note: "ünïcode ✓" });
    expect(sent).toHaveLength(2);
    expect(sent.map((s) => s.method)).toEqual(["POST", "POST"]);
    expect(JSON.parse(sent[0]!.body)).toEqual({ amount: 1250, note: "ünïcode ✓" });
    expect(sent[1]?.body).toBe(sent[0]?.body);
    expect(sent[1]?.url).toBe(`${API}/v1/payments`);
    expect(sent[1]?.authorization).toBe("Bearer token-2");
  });

  it("returns a 401 that does not reject the token as it is, without replay", async () => {
    const { client, requestToken, fetch, rejected } = setup(() => Response.json({ code: "account-locked" }, { status: 401 }));

    const { data, error, response } = await client.GET("/v1/payments");
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toEqual({ code: "account-locked" });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(rejected).toHaveBeenCalledTimes(1);
    expect(rejected.mock.calls[0]?.[0]).toMatchObject({ status: 401, body: { code: "account-locked" } });
  });

  it("does not ask about statuses other than 401", async () => {
    const { client, fetch, rejected } = setup(() => Response.json({ code: "token-expired" }, { status: 403 }));

    const { response } = await client.GET("/v1/payments");
    expect(response.status).toBe(403);
    expect(rejected).not.toHaveBeenCalled();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("returns a replay that also gets 401 as it is, without looping", async () => {
    const { client, requestToken, fetch, sent } = setup(() => expired());

    const { error, response } = await client.GET("/v1/payments");
    expect(response.status).toBe(401);
    expect(error).toEqual({ code: "token-expired" });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(requestToken).toHaveBeenCalledTimes(2);
    expect(sent.map((s) => s.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });
});
