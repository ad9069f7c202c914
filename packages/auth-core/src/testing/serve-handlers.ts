import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getResponse, type RequestHandler } from "msw";

export interface FakeServer {
  /** `http://127.0.0.1:<port>`: pass it as `baseUrl`. */
  readonly url: string;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

export interface ServeOptions {
  /** A loopback host: `127.0.0.1` (default), `localhost` or `::1`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

async function toRequest(incoming: IncomingMessage, origin: string, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && chunks.length > 0;
  return new Request(new URL(incoming.url ?? "/", origin), { method, headers, signal, ...(hasBody ? { body: Buffer.concat(chunks) } : {}) });
}

async function send(response: Response, out: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  out.writeHead(response.status, headers);
  out.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * Serves msw request handlers as a real HTTP server on loopback, answering through
 * msw's `getResponse`, so a fake provider can be called over the network (demo, e2e tests).
 * Requests no handler answers get 404.
 */
export async function serveHandlers(handlers: readonly RequestHandler[], options: ServeOptions = {}): Promise<FakeServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) throw new TypeError(`@payauth/auth-core: serveHandlers only listens on loopback, not ${host}`);
  const list = [...handlers];
  let origin = "";
  const server = createServer((incoming, out) => {
    // Aborted when the client goes away, so that a stalled handler can end.
    const gone = new AbortController();
    out.on("close", () => gone.abort());
    toRequest(incoming, origin, gone.signal)
      .then((request) => getResponse(list, request))
      .then((response) => {
        // `HttpResponse.error()`: drop the connection without an answer.
        if (response?.type === "error") return void incoming.socket.destroy();
        return send(response ?? Response.json({ message: "no fake handler for this request" }, { status: 404 }), out);
      })
      .catch(() => {
        if (!out.headersSent) out.writeHead(500, { "content-type": "application/json" });
        out.end('{"message":"fake server error"}');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A `fetch` that answers from msw request handlers in memory, without patching globals:
 * pass it as a client's `fetch` option in tests. Requests no handler answers get 404.
 */
export function createHandlersFetch(handlers: readonly RequestHandler[]): (request: Request) => Promise<Response> {
  const list = [...handlers];
  return async (request) => {
    const response = await getResponse(list, request);
    // `HttpResponse.error()` stands for a dropped connection: fail as the platform fetch does.
    if (response?.type === "error") throw new TypeError("fetch failed", { cause: new Error("connection dropped by the fake") });
    return response ?? Response.json({ message: "no fake handler for this request" }, { status: 404 });
  };
}
