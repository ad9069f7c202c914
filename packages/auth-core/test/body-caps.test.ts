import { describe, expect, it, vi } from "vitest";
import { AuthError, isAuthError, type AuthErrorCode } from "../src/auth-error.js";
import { createAuthMiddleware } from "../src/create-auth-middleware.js";
import { createTokenManager } from "../src/create-token-manager.js";
import { readCappedText } from "../src/read-capped-text.js";
import { requestToken, type RequestTokenOptions } from "../src/request-token.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike, TokenGrant } from "../src/types.js";

// Issue 12, item 5: every body payauth reads stops at its cap (or at the timeout) and is cancelled.

const CAP = 64 * 1024;
const CHUNK = 16 * 1024;
const MB = 1024 * 1024;

/**
 * A body produced lazily, one chunk per read (`highWaterMark: 0`): `pulled` counts the bytes the
 * reader asked for, `cancelled` says whether the source was cancelled. `total: Infinity` never ends;
 * `stallAfter` stops producing (without closing) once that many bytes were given.
 */
function lazyBody({ head = "", total = Infinity, stallAfter = Infinity }: { head?: string; total?: number; stallAfter?: number }) {
  const state = { pulled: 0, cancelled: false, cancelReason: undefined as unknown };
  const first = new TextEncoder().encode(head);
  const filler = new Uint8Array(CHUNK).fill(0x78); // "x"
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (state.pulled >= stallAfter) return new Promise<void>(() => {});
        // As a socket would, let timers run between chunks (a synchronous endless source would starve them).
        await new Promise((resolve) => setImmediate(resolve));
        if (state.pulled >= total) return controller.close();
        const chunk = state.pulled === 0 && first.length > 0 ? first : filler.slice(0, Math.min(CHUNK, total - state.pulled));
        state.pulled += chunk.byteLength;
        controller.enqueue(chunk);
        return undefined;
      },
      cancel(reason) {
        state.cancelled = true;
        state.cancelReason = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const SLACK = 2 * CHUNK;

function tokenOptions(fetch: FetchLike, extra: Partial<RequestTokenOptions> = {}): RequestTokenOptions {
  return {
    provider: "acme",
    fetch,
    request: { url: "https://auth.acme.test/oauth/token", body: { client_id: "client-1", client_secret: "s3cr3t-value" } },
    secrets: ["s3cr3t-value"],
    parseGrant: (body) => {
      const b = body as { access_token?: unknown; expires_in?: unknown };
      return { accessToken: String(b.access_token), expiresInSeconds: Number(b.expires_in), scopes: [] };
    },
    mapError: () => undefined,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>, code: AuthErrorCode): Promise<AuthError> {
  const error = await promise.then(
    () => expect.unreachable("expected the token request to fail"),
    (e: unknown) => e,
  );
  expect(isAuthError(error, code), String(error)).toBe(true);
  return error as AuthError;
}

describe("requestToken: the token response body is read up to 64 KiB, then cancelled", () => {
  it("stops a 200 MB token body (generated lazily) at the cap: invalid-response, source cancelled", async () => {
    const { stream, state } = lazyBody({ head: '{"access_token":"tok","expires_in":60,"padding":"', total: 200 * MB });
    const started = performance.now();
    const error = await failure(requestToken(tokenOptions(async () => new Response(stream))), "invalid-response");
    const elapsed = performance.now() - started;
    expect(error.message).toContain("over 65536 bytes");
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeGreaterThan(CAP);
    expect(state.pulled).toBeLessThanOrEqual(CAP + SLACK);
    expect(elapsed).toBeLessThan(2_000); // reading 200 MB took seconds; about 64 KiB takes milliseconds
  });

  it("stops an endless token body at the cap, on an error status too", async () => {
    for (const status of [200, 400, 503]) {
      const { stream, state } = lazyBody({ head: "{" });
      await failure(requestToken(tokenOptions(async () => new Response(stream, { status }), { timeoutMs: 5_000 })), "invalid-response");
      expect(state.cancelled).toBe(true);
      expect(state.pulled).toBeLessThanOrEqual(CAP + SLACK);
    }
  });

  it("counts bytes, not characters: 64 KiB of UTF-8 is accepted, one byte more is not", async () => {
    const body = (bytes: number) => {
      const head = '{"access_token":"tok","expires_in":60,"p":"';
      const tail = '"}';
      // "é" is two bytes in UTF-8; an odd remainder is one "x".
      const room = bytes - head.length - tail.length;
      return head + "é".repeat(Math.floor(room / 2)) + "x".repeat(room % 2) + tail;
    };
    expect(new TextEncoder().encode(body(CAP)).byteLength).toBe(CAP);
    const grant = await requestToken(tokenOptions(async () => new Response(body(CAP))));
    expect(grant.accessToken).toBe("tok");
    await failure(requestToken(tokenOptions(async () => new Response(body(CAP + 1)))), "invalid-response");
  });

  it("ends a body that stalls after its headers in timeout, and cancels it", async () => {
    const { stream, state } = lazyBody({ head: '{"access_token":', stallAfter: 1 });
    const error = await failure(requestToken(tokenOptions(async () => new Response(stream), { timeoutMs: 50 })), "timeout");
    expect(error.message).toContain("timed out after 50 ms");
    await vi.waitFor(() => expect(state.cancelled).toBe(true));
    expect(state.pulled).toBe('{"access_token":'.length);
  });

  it("ends a body that stalls mid-chunk stream on an error status in timeout too", async () => {
    const { stream, state } = lazyBody({ head: "{", stallAfter: 3 * CHUNK });
    await failure(requestToken(tokenOptions(async () => new Response(stream, { status: 500 }), { timeoutMs: 50 })), "timeout");
    await vi.waitFor(() => expect(state.cancelled).toBe(true));
  });
});

describe("readCappedText", () => {
  it("returns the whole text under the cap, undefined over it, '' without a body", async () => {
    expect(await readCappedText(new Response("hello"), 5)).toBe("hello");
    expect(await readCappedText(new Response("hello!"), 5)).toBeUndefined();
    expect(await readCappedText(new Response(null), 5)).toBe("");
  });

  it("decodes UTF-8 split across chunks, as res.text() does (BOM dropped)", async () => {
    const text = '{"access_token":"tök✓😀","expires_in":60}';
    const bytes = new TextEncoder().encode(`\uFEFF${text}`);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b])); // one byte per chunk
        controller.close();
      },
    });
    expect(await readCappedText(new Response(stream), CAP)).toBe(text);
  });

  it("rejects with the signal's reason when it aborts during a read, and cancels the body", async () => {
    const { stream, state } = lazyBody({ head: "{", stallAfter: 1 });
    const controller = new AbortController();
    const reading = readCappedText(new Response(stream), CAP, controller.signal);
    const reason = new Error("gave up");
    setTimeout(() => controller.abort(reason), 10);
    await expect(reading).rejects.toBe(reason);
    expect(state.cancelled).toBe(true);
  });

  it("does not read at all when the signal has already aborted", async () => {
    const { stream, state } = lazyBody({});
    await expect(readCappedText(new Response(stream), CAP, AbortSignal.abort())).rejects.toThrow();
    expect(state.pulled).toBe(0);
    expect(state.cancelled).toBe(true);
  });
});

describe("createAuthMiddleware: the 401 body it reads is capped, and the caller's response stays whole", () => {
  const API = "https://api.acme.test";

  function middleware(isTokenRejected = vi.fn(({ body }: { body: unknown }) => (body as { code?: unknown } | undefined)?.code === "token-expired")) {
    let n = 0;
    const requestToken = vi.fn(async (): Promise<TokenGrant> => ({ accessToken: `token-${++n}`, expiresInSeconds: 3600, scopes: [] }));
    const auth = createTokenManager({ cacheKey: "payauth:acme:caps", requestToken, clock: createManualClock() });
    const fetch = vi.fn(async () => Response.json({ ok: true }));
    const mw = createAuthMiddleware({ auth, apiOrigin: API, fetch, isTokenRejected });
    /** The request hook, then the response hook with `response`, as openapi-fetch calls them. */
    async function call(response: Response) {
      const base = { schemaPath: "/v1/me", params: {}, options: {} as never, id: "1" };
      const sent = (await mw.onRequest!({ request: new Request(`${API}/v1/me`), ...base })) as Request;
      const replaced = await mw.onResponse!({ request: sent, response, ...base });
      return (replaced as Response | undefined) ?? response;
    }
    return { call, isTokenRejected, requestToken, fetch };
  }

  it("reads at most about 64 KiB of a 200 MB 401 body, and hands the caller the whole body", async () => {
    const { call, isTokenRejected, fetch } = middleware();
    const head = '{"code":"token-expired","padding":"';
    const { stream, state } = lazyBody({ head, total: 200 * MB });
    const started = performance.now();
    const response = await call(new Response(stream, { status: 401, headers: { "content-type": "application/json" } }));
    const elapsed = performance.now() - started;
    // Over the cap is "not JSON": the token is not judged rejected, and nothing is replayed.
    expect(isTokenRejected).toHaveBeenCalledWith(expect.objectContaining({ status: 401, body: undefined }));
    expect(fetch).not.toHaveBeenCalled();
    expect(state.pulled).toBeLessThanOrEqual(CAP + SLACK);
    expect(elapsed).toBeLessThan(2_000);
    // The caller's response is the one it would have had: same status, body from its first byte.
    expect(response.status).toBe(401);
    expect(response.bodyUsed).toBe(false);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value).startsWith(head)).toBe(true);
    // Reading more of it pulls more from the source: the caller is not limited by our cap.
    let read = value!.byteLength;
    while (read < 2 * CAP) read += (await reader.read()).value!.byteLength;
    expect(state.pulled).toBeGreaterThanOrEqual(2 * CAP);
    await reader.cancel();
    // Both readers gone: the source is cancelled.
    expect(state.cancelled).toBe(true);
  });

  it("treats a valid JSON 401 body over the cap as not JSON, and gives the caller every byte of it", async () => {
    const { call, isTokenRejected, requestToken, fetch } = middleware();
    const text = JSON.stringify({ code: "token-expired", padding: "y".repeat(100_000) });
    const response = await call(new Response(text, { status: 401 }));
    expect(isTokenRejected).toHaveBeenCalledWith(expect.objectContaining({ body: undefined }));
    expect(fetch).not.toHaveBeenCalled();
    expect(requestToken).toHaveBeenCalledTimes(1);
    expect(await response.text()).toBe(text);
  });

  it("still reads a 401 body under the cap as JSON and replays after a rejected token", async () => {
    const { call, isTokenRejected, requestToken, fetch } = middleware();
    const response = await call(Response.json({ code: "token-expired", padding: "z".repeat(60_000) }, { status: 401 }));
    expect(isTokenRejected).toHaveBeenCalledWith(expect.objectContaining({ body: expect.objectContaining({ code: "token-expired" }) }));
    expect(requestToken).toHaveBeenCalledTimes(2);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("gives the caller an intact 401 body it judged, under the cap", async () => {
    const { call } = middleware();
    const response = await call(Response.json({ code: "account-locked" }, { status: 401 }));
    expect(await response.json()).toEqual({ code: "account-locked" });
  });
});
