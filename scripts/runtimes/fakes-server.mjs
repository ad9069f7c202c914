// The fakes every runtime of `pnpm test:runtimes` calls, served from Node on 127.0.0.1.
// run.sh copies this file into the consumer project, so `@payauth/<provider>/testing` and msw
// are the packed packages as a user installed them.
//
// Prints one line, `<control url>`, then serves until SIGTERM. The control API (JSON):
//   POST /fakes { provider, tokenLifetimeSeconds? }  a new fake on its own port:
//                                                     { id, provider, url, clientId, clientSecret }
//   GET  /fakes/<id>/stats                            { tokenRequests, tokensIssued, apiCalls }
//   POST /fakes/<id>/revoke                           every token issued so far is refused (401)
//   POST /fakes/<id>/fail { route, fault, times? }    e.g. { route: "token", fault: { kind: "stall", status: 0 } }
//   GET  /fakes/<id>/elsewhere                        what reached the other origin for this fake
//   POST /fakes/<id>/close
// Each fake also answers two routes of its own, for the redirect scenario:
//   GET  <fake>/payauth-runtimes/redirect-away   307 to <control>/elsewhere/<id>/landing (another origin)
//   POST <fake>/payauth-runtimes/token-redirect  307 to <control>/elsewhere/<id>/token
// and the control server, on its own port, is that other origin: it records the method, path and
// whether an Authorization header or a body arrived, and answers 200 { elsewhere: true }.
import { createServer } from "node:http";
import { http, HttpResponse } from "msw";

const fakes = {
  maxpay: async (options) => {
    const { createMaxPayFake, maxPayFakeCredentials } = await import("@payauth/maxpay/testing");
    return [createMaxPayFake(options), maxPayFakeCredentials];
  },
  payme: async (options) => {
    const { createPayMeFake, payMeFakeCredentials } = await import("@payauth/payme/testing");
    return [createPayMeFake(options), payMeFakeCredentials];
  },
  getpaid: async (options) => {
    const { createGetpaidFake, getpaidFakeCredentials } = await import("@payauth/getpaid/testing");
    return [createGetpaidFake(options), getpaidFakeCredentials.sandbox];
  },
  autopay: async (options) => {
    const { createAutopayFake, autopayFakeCredentials } = await import("@payauth/autopay/testing");
    return [createAutopayFake(options), autopayFakeCredentials];
  },
};

const MAX_FAKES = 2000; // bounded: a runaway caller cannot open ports for ever
const live = new Map(); // id -> { fake, server, elsewhere: [] }
let nextId = 1;
let created = 0;
let control = "";

async function readJson(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("body too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : JSON.parse(text);
}

function send(out, status, body) {
  out.writeHead(status, { "content-type": "application/json" });
  out.end(JSON.stringify(body));
}

async function createFake({ provider, tokenLifetimeSeconds }) {
  if (!Object.hasOwn(fakes, provider)) throw new Error(`unknown provider ${JSON.stringify(provider)}`);
  if (++created > MAX_FAKES) throw new Error(`more than ${MAX_FAKES} fakes asked for`);
  const id = String(nextId++);
  const [fake, credentials] = await fakes[provider](tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds });
  const away = (path) => `${control}/elsewhere/${id}/${path}`;
  const extra = [
    http.get("*/payauth-runtimes/redirect-away", () => new HttpResponse(null, { status: 307, headers: { location: away("landing") } })),
    http.post("*/payauth-runtimes/token-redirect", () => new HttpResponse(null, { status: 307, headers: { location: away("token") } })),
  ];
  // The fake's own knobs and counters stay on `fake`; only the served handler list has the extras.
  const { serveHandlers } = await import("@payauth/maxpay/testing");
  const server = await serveHandlers([...extra, ...fake.handlers]);
  live.set(id, { fake, server, elsewhere: [] });
  return { id, provider, url: server.url, clientId: credentials.clientId, clientSecret: credentials.clientSecret };
}

const server = createServer((request, out) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const parts = url.pathname.split("/").filter(Boolean);
  (async () => {
    if (parts[0] === "elsewhere") {
      // The other origin: never answers with anything a client could mistake for a token.
      const entry = live.get(parts[1]);
      let bodyBytes = 0;
      for await (const chunk of request) bodyBytes += chunk.length;
      entry?.elsewhere.push({ method: request.method, path: `/${parts.slice(2).join("/")}`, authorization: request.headers.authorization !== undefined, bodyBytes });
      return send(out, 200, { elsewhere: true });
    }
    if (request.method === "POST" && parts.length === 1 && parts[0] === "fakes") return send(out, 200, await createFake(await readJson(request)));
    if (parts[0] !== "fakes" || parts.length !== 3) return send(out, 404, { error: "no such route" });
    const entry = live.get(parts[1]);
    if (!entry) return send(out, 404, { error: `no fake ${parts[1]}` });
    const action = `${request.method} ${parts[2]}`;
    if (action === "GET stats") return send(out, 200, { ...entry.fake.stats });
    if (action === "GET elsewhere") return send(out, 200, entry.elsewhere);
    if (action === "POST revoke") {
      entry.fake.revokeToken();
      return send(out, 200, {});
    }
    if (action === "POST fail") {
      const { route, fault, times } = await readJson(request);
      entry.fake.failNext(route, fault, times);
      return send(out, 200, {});
    }
    if (action === "POST close") {
      live.delete(parts[1]);
      await entry.server.close();
      return send(out, 200, {});
    }
    return send(out, 404, { error: "no such route" });
  })().catch((error) => {
    if (!out.headersSent) send(out, 500, { error: String(error?.message ?? error) });
    else out.end();
  });
});

server.listen(0, "127.0.0.1", () => {
  control = `http://127.0.0.1:${server.address().port}`;
  console.log(control);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([...live.values()].map((entry) => entry.server.close()));
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
