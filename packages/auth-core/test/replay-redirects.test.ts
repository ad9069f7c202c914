import fc from "fast-check";
import createClient from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { createAuthMiddleware } from "../src/create-auth-middleware.js";
import { createTokenManager } from "../src/create-token-manager.js";
import { manualRedirectRequest } from "../src/manual-redirect-request.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { TokenGrant } from "../src/types.js";

// The token must never leave the API origin, on the first attempt or on the replay after a
// rejected token, whatever `fetch` does with redirects: here a `fetch` that follows redirects
// itself (when the request's mode lets it) and keeps every header, as some custom fetches do.
const API = "https://api.acme.test";
const OTHER = "https://files.other.test";

interface paths {
  "/v1/files/{id}": { get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": unknown } } } } };
  "/v1/payments": { post: { requestBody: { content: { "application/json": { amount: number } } }; responses: { 200: { content: { "application/json": unknown } } } } };
}

type Answer = "ok" | "reject" | "same" | "cross";
type Mode = "follow" | "manual" | "error";

interface Hop {
  url: string;
  authorization: string | null;
  redirect: string;
}

/** A server scripted per request (then "ok"), behind a fetch that follows redirects with all headers when the mode is "follow". */
function hostileFetch(script: readonly Answer[]) {
  const hops: Hop[] = [];
  let n = 0;
  const answer = (url: string): Response => {
    if (!url.startsWith(`${API}/`)) return Response.json({ where: url });
    const a = script[n++] ?? "ok";
    if (a === "reject") return Response.json({ error: "invalid_token" }, { status: 401 });
    if (a === "same") return new Response(null, { status: 302, headers: { location: `${API}/v1/files/moved-${n}` } });
    if (a === "cross") return new Response(null, { status: 302, headers: { location: `${OTHER}/blob-${n}` } });
    return Response.json({ where: url });
  };
  const fetch = vi.fn(async (request: Request): Promise<Response> => {
    let url = request.url;
    for (let i = 0; i < 25; i++) {
      hops.push({ url, authorization: request.headers.get("authorization"), redirect: request.redirect });
      const response = answer(url);
      const location = response.headers.get("location");
      if (location === null || response.status < 300 || response.status > 399) return response;
      if (request.redirect === "error") throw new TypeError("fetch failed: redirect mode is error");
      if (request.redirect === "manual") return response;
      url = new URL(location, url).href; // follows, keeping the Authorization header
    }
    throw new TypeError("too many redirects");
  });
  return { fetch, hops };
}

function setup(script: readonly Answer[], RequestClass: typeof Request = manualRedirectRequest()) {
  let tokens = 0;
  const requestToken = vi.fn(async (): Promise<TokenGrant> => ({ accessToken: `token-${++tokens}`, expiresInSeconds: 3600, scopes: [] }));
  const auth = createTokenManager({ cacheKey: "k", requestToken, clock: createManualClock() });
  const { fetch, hops } = hostileFetch(script);
  const client = createClient<paths>({ baseUrl: API, fetch, Request: RequestClass });
  client.use(createAuthMiddleware({ auth, apiOrigin: API, fetch, isTokenRejected: ({ status }) => status === 401 }));
  return { client, hops, requestToken };
}

const leaked = (hops: Hop[]) => hops.filter((h) => !h.url.startsWith(`${API}/`) && h.authorization !== null);

describe("the replay after a rejected token keeps the caller's redirect handling", () => {
  it("regression: redirect: \"error\", token rejected, the replay redirected to another origin: no token sent there, the caller gets fetch's error", async () => {
    const { client, hops } = setup(["reject", "cross"]);
    const error = await client.GET("/v1/files/{id}", { params: { path: { id: "a" } }, redirect: "error" }).catch((e: unknown) => e);
    expect(leaked(hops)).toEqual([]);
    expect(error).toBeInstanceOf(TypeError);
  });

  it("regression: redirect: \"manual\", token rejected, the replay redirected: the caller gets the 3xx, nothing followed", async () => {
    const { client, hops } = setup(["reject", "cross"]);
    const { response } = await client.GET("/v1/files/{id}", { params: { path: { id: "a" } }, redirect: "manual" });
    expect(response.status).toBe(302);
    expect(leaked(hops)).toEqual([]);
    expect(hops.at(-1)?.url.startsWith(API)).toBe(true);
  });

  it("redirects followed (the default): the replay's cross-origin hop goes without the token", async () => {
    const { client, hops } = setup(["reject", "cross"]);
    const { data } = await client.GET("/v1/files/{id}", { params: { path: { id: "a" } } });
    expect(data).toEqual({ where: `${OTHER}/blob-2` });
    expect(leaked(hops)).toEqual([]);
  });

  it("property: for any caller mode, body or not, Request class and server script, the token is only ever sent to the API origin", async () => {
    const answers = fc.constantFrom<Answer>("ok", "reject", "same", "cross");
    await fc.assert(
      fc.asyncProperty(
        fc.array(answers, { maxLength: 6 }),
        fc.constantFrom<Mode>("follow", "manual", "error"),
        fc.boolean(),
        fc.boolean(),
        async (script, redirect, withBody, manualClass) => {
          const { client, hops } = setup(script, manualClass ? manualRedirectRequest() : Request);
          const call = withBody
            ? client.POST("/v1/payments", { body: { amount: 1 }, redirect })
            : client.GET("/v1/files/{id}", { params: { path: { id: "a" } }, redirect });
          await call.catch((e: unknown) => {
            // The only acceptable failure: fetch refusing a redirect the caller said is an error.
            expect(redirect).toBe("error");
            expect(e).toBeInstanceOf(TypeError);
          });
          expect(leaked(hops)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a 401 whose body stalls after its headers", () => {
  it("does not hold the call: the middleware stops reading when the caller aborts", async () => {
    let tokens = 0;
    const auth = createTokenManager({ cacheKey: "k", requestToken: async () => ({ accessToken: `token-${++tokens}`, expiresInSeconds: 3600, scopes: [] }), clock: createManualClock() });
    let cancelled = false;
    const fetch = async () =>
      new Response(
        new ReadableStream({
          pull: () => new Promise<void>(() => undefined),
          cancel: () => {
            cancelled = true;
          },
        }),
        { status: 401 },
      );
    const client = createClient<paths>({ baseUrl: API, fetch, Request: manualRedirectRequest() });
    client.use(createAuthMiddleware({ auth, apiOrigin: API, fetch, isTokenRejected: ({ status }) => status === 401 }));
    const outcome = await client.GET("/v1/files/{id}", { params: { path: { id: "a" } }, signal: AbortSignal.timeout(200) }).then(
      () => "settled",
      (e: unknown) => (e as Error).name,
    );
    expect(["settled", "TimeoutError", "AbortError"]).toContain(outcome);
    expect(cancelled).toBe(true);
  });
});
