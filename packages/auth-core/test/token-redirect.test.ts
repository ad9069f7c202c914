// The token request is sent with `redirect: "manual"` (workerd refuses `"error"`), and any
// redirect from the token endpoint is refused as invalid-response, without following it, reading
// its body or retrying: the credentials go to tokenUrl and nowhere else. Over real HTTP too.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { requestToken, type RequestTokenOptions } from "../src/request-token.js";
import type { FetchLike } from "../src/types.js";

const TOKEN_URL = "https://auth.acme.test/oauth/token";
const SECRET = "s3cr3t-redirect-value";

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

describe("a redirect from the token endpoint", () => {
  it.each([301, 302, 303, 307, 308, 300, 399])("HTTP %i is invalid-response, its body unread and cancelled, the request sent once with redirect: manual", async (status) => {
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
    expect(error.code).toBe("invalid-response");
    expect(error.status).toBe(status);
    expect(error.message).toContain("redirect");
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(SECRET);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.redirect).toBe("manual");
    expect(cancelled).toBe(true);
  });

  it("a browser's opaque redirect (type opaqueredirect, status 0) is refused too", async () => {
    const opaque = new Response(null);
    Object.defineProperty(opaque, "type", { value: "opaqueredirect" });
    Object.defineProperty(opaque, "status", { value: 0 });
    const error = await refusal(requestToken(options(async () => opaque)));
    expect(error.code).toBe("invalid-response");
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
      expect(error.code).toBe("invalid-response");
      expect(error.status).toBe(307);
      expect(elsewhere).toEqual([]);
    });
  });
});
