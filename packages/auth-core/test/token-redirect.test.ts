// Redirects from the token endpoint are never followed: the credentials go to tokenUrl only.
// The request is sent with `redirect: "error"`, so fetch refuses a redirect itself (and on Node
// frees the socket of an aborted request, which "manual" does not); where the Request
// constructor refuses "error" (Cloudflare Workers), it is sent with "manual" and any 3xx is
// refused as fetch would refuse it: network-error, the body unread, never followed.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { requestToken, type RequestTokenOptions } from "../src/request-token.js";
import type { FetchLike } from "../src/types.js";

const TOKEN_URL = "https://auth.acme.test/oauth/token";
const SECRET = "s3cr3t-redirect-value";
const NativeRequest = globalThis.Request;

/** workerd's Request: `redirect` must be "follow" or "manual". */
class WorkerdLikeRequest extends NativeRequest {
  constructor(input: ConstructorParameters<typeof Request>[0], init?: RequestInit) {
    if (init?.redirect === "error") throw new TypeError('Invalid redirect value, must be one of "follow" or "manual"');
    super(input, init);
  }
}

function options(fetch: FetchLike, url = TOKEN_URL): RequestTokenOptions {
  return {
    provider: "acme",
    fetch,
    request: { url, body: { client_id: "client-1", client_secret: SECRET } },
    secrets: [SECRET],
    parseGrant: (body) => ({ accessToken: String((body as { access_token: unknown }).access_token), expiresInSeconds: 60, scopes: [] }),
    mapError: () => ({ code: "invalid-credentials" }),
  };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a redirect from the token endpoint", () => {
  it('the request asks fetch to refuse redirects (redirect: "error")', async () => {
    const seen: Request[] = [];
    await requestToken(options(async (request) => (seen.push(request), Response.json({ access_token: "tok" }))));
    expect(seen[0]!.redirect).toBe("error");
  });

  it.each([301, 302, 303, 307, 308, 300, 399])(
    "HTTP %i from a fetch that does not refuse it is network-error with its status, its body unread and cancelled, nothing followed",
    async (status) => {
      const seen: Request[] = [];
      let cancelled = false;
      const body = new ReadableStream({
        pull: () => new Promise(() => undefined), // never ends: reading it would hang
        cancel: () => void (cancelled = true),
      });
      const fetch: FetchLike = async (request) => {
        seen.push(request);
        return new Response(body, { status, headers: { location: "https://elsewhere.test/token" } });
      };
      const error = await refusal(requestToken(options(fetch)));
      expect(error.code).toBe("network-error");
      expect(error.status).toBe(status);
      expect(error.message).toContain("redirected");
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(SECRET);
      expect(seen).toHaveLength(1);
      expect(cancelled).toBe(true);
    },
  );

  it("a browser's opaque redirect (type opaqueredirect, status 0) is refused too", async () => {
    const opaque = new Response(null);
    Object.defineProperty(opaque, "type", { value: "opaqueredirect" });
    Object.defineProperty(opaque, "status", { value: 0 });
    const error = await refusal(requestToken(options(async () => opaque)));
    expect(error.code).toBe("network-error");
  });

  it('where Request refuses redirect: "error" (Cloudflare Workers), the request is sent with "manual" and a 3xx refused', async () => {
    vi.stubGlobal("Request", WorkerdLikeRequest);
    const seen: Request[] = [];
    const fetch: FetchLike = async (request) => {
      seen.push(request);
      return new Response(null, { status: 307, headers: { location: "https://elsewhere.test/token" } });
    };
    const error = await refusal(requestToken(options(fetch)));
    expect(error.code).toBe("network-error");
    expect(error.status).toBe(307);
    expect(seen.map((r) => r.redirect)).toEqual(["manual"]);
    expect(await requestToken(options(async () => Response.json({ access_token: "tok" })))).toMatchObject({ accessToken: "tok" });
  });

  describe("over real HTTP", () => {
    const servers: Server[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    });
    async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    it("a 307 to another origin is not followed: the other origin never gets the credentials", async () => {
      const elsewhere: string[] = [];
      const other = await serve((request, response) => {
        elsewhere.push(`${request.method} ${request.url}`);
        response.writeHead(200, { "content-type": "application/json" }).end('{"access_token":"stolen"}');
      });
      const tokenEndpoint = await serve((_, response) => response.writeHead(307, { location: `${other}/token` }).end("moved"));
      const error = await refusal(requestToken(options((request) => globalThis.fetch(request), `${tokenEndpoint}/oauth/token`)));
      expect(error.code).toBe("network-error");
      expect(elsewhere).toEqual([]);
    });

    it("regression: after a stalled token request times out, the next one to the same origin is answered (it hung with redirect: manual on Node)", async () => {
      let requests = 0;
      const tokenEndpoint = await serve((request, response) => {
        request.resume();
        if (++requests === 1) return; // stalls until the client gives up
        response.writeHead(200, { "content-type": "application/json" }).end('{"access_token":"tok-ok"}');
      });
      const url = `${tokenEndpoint}/oauth/token`;
      const fetch: FetchLike = (request) => globalThis.fetch(request);
      expect((await refusal(requestToken({ ...options(fetch, url), timeoutMs: 50 }))).code).toBe("timeout");
      expect(await requestToken({ ...options(fetch, url), timeoutMs: 2_000 })).toMatchObject({ accessToken: "tok-ok" });
    });
  });
});
