// A tiny HTTP server on 127.0.0.1 for the benchmarks, run in its own process so that the
// client being measured has its event loop (and one of the two cores) to itself.
//
//   GET  /v1/me           the API: a fixed JSON body (401 without a bearer token)
//   POST /v1/auth/login   Max Pay's token endpoint: JSON in, camelCase JSON out
//   POST /oauth/token     a standard OAuth 2.0 client_credentials endpoint (RFC 6749 §4.4):
//                         form or JSON body, client_secret_basic or client_secret_post
//
// Token requests and API calls are counted here, at the server.
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

export const CLIENT_ID = "bench-client-id";
export const CLIENT_SECRET = "bench-client-secret";
export const TOKEN_LIFETIME_SECONDS = 3600;

/** What GET /v1/me answers, shaped like Max Pay's `Me`. */
export const ME = {
  customer: { id: 17, businessName: "DistribuidoraDemo S.A.", taxId: "30999999999", creationDate: "2025-11-01T10:00:00-03:00" },
  apiKey: { id: 88, name: "ERP bench", scopes: ["clients:read", "receivables:read"], environment: "PRODUCTION", rateLimitTier: "STANDARD" },
};
export const ME_JSON = JSON.stringify(ME);

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on("data", (c) => chunks.push(c));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Client credentials from `Authorization: Basic …` or from the body, as RFC 6749 §2.3.1 allows. */
function credentials(request, params) {
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const unform = (s) => decodeURIComponent(s.replace(/\+/g, " "));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  }
  return { id: params.client_id, secret: params.client_secret };
}

export function createHandler() {
  const stats = { tokenRequests: 0, apiCalls: 0 };
  let issued = 0;
  const send = (res, status, body) => {
    res.writeHead(status, JSON_HEADERS);
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };

  async function handle(req, res) {
    const path = req.url.split("?")[0];
    if (req.method === "GET" && path === "/v1/me") {
      stats.apiCalls++;
      if (!/^Bearer \S+$/i.test(req.headers.authorization ?? "")) return send(res, 401, { code: "invalid-token", message: "Malformed token" });
      return send(res, 200, ME_JSON);
    }
    if (req.method === "POST" && path === "/v1/auth/login") {
      stats.tokenRequests++;
      const body = JSON.parse((await readBody(req)) || "{}");
      if (body.clientId !== CLIENT_ID || body.clientSecret !== CLIENT_SECRET) return send(res, 401, { code: "invalid-credentials", message: "Incorrect credentials" });
      return send(res, 200, { accessToken: `mp-${++issued}`, tokenType: "Bearer", expiresIn: TOKEN_LIFETIME_SECONDS, scope: "clients:read receivables:read" });
    }
    if (req.method === "POST" && path === "/oauth/token") {
      stats.tokenRequests++;
      const raw = await readBody(req);
      const params = (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(raw || "{}") : Object.fromEntries(new URLSearchParams(raw));
      if (params.grant_type !== "client_credentials") return send(res, 400, { error: "unsupported_grant_type" });
      const { id, secret } = credentials(req, params);
      if (id !== CLIENT_ID || secret !== CLIENT_SECRET) return send(res, 401, { error: "invalid_client" });
      return send(res, 200, { access_token: `oa-${++issued}`, token_type: "Bearer", expires_in: TOKEN_LIFETIME_SECONDS });
    }
    return send(res, 404, { message: "not found" });
  }

  return {
    stats,
    reset() {
      stats.tokenRequests = 0;
      stats.apiCalls = 0;
    },
    handle: (req, res) =>
      handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, { message: "bench server error" });
        else res.end();
      }),
  };
}

/** The server in this process. */
export async function startServer() {
  const handler = createHandler();
  const server = createServer({ keepAliveTimeout: 60_000 }, handler.handle);
  server.maxConnections = 20_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    // A deep accept queue: 10,000 concurrent connects must not overflow it (Linux caps it at somaxconn).
    server.listen({ port: 0, host: "127.0.0.1", backlog: 65_535 }, resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats: handler.stats,
    /** Zeroes the counters and drops idle keep-alive connections, so that the next run connects afresh. */
    reset() {
      handler.reset();
      server.closeIdleConnections();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The server in a child process: `stats()` and `reset()` ask it over IPC. */
export async function startServerProcess() {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map();
  let nextId = 0;
  const ready = new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on("message", (message) => {
      if (message.type === "ready") return resolve(message.url);
      pending.get(message.id)?.(message.value);
      pending.delete(message.id);
    });
  });
  const url = await ready;
  const ask = (type) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ type, id });
    });
  return {
    url,
    stats: () => ask("stats"),
    /** Zeroes the counters and drops idle connections; waits a moment so that clients see them closed. */
    reset: async () => {
      await ask("reset");
      await new Promise((r) => setTimeout(r, 50));
    },
    close: async () => {
      child.removeAllListeners("exit");
      const exited = new Promise((r) => child.once("exit", r));
      child.send({ type: "exit" });
      await exited;
    },
  };
}

// Run as the child of startServerProcess().
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const server = await startServer();
  process.on("message", async (message) => {
    if (message.type === "stats") process.send({ id: message.id, value: { ...server.stats } });
    if (message.type === "reset") {
      server.reset();
      process.send({ id: message.id, value: true });
    }
    if (message.type === "exit") {
      await server.close();
      process.exit(0);
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send({ type: "ready", url: server.url });
}
