// Loaded with `node --import` before each README example of scripts/check-user-path.sh, inside
// the user's project (the installed tarballs): the examples call the real providers' hosts with
// credentials from the environment, so this serves each provider's fake (from its /testing entry)
// on loopback, with the routes of the check's own specs behind the fake's token check
// (`requireToken`), sends the providers' documented hosts there, and sets the environment the
// examples read. Nothing leaves the machine: a host this does not know is refused.
//   MAXPAY_BASE_URL           the Max Pay fake (Max Pay's docs name no host)
//   <PROVIDER>_CLIENT_ID/_SECRET  the fakes' test credentials (getpaid: the sandbox ones)
//   GETPAID_SECRET_FILE       a file holding getpaid's secret (the secret-manager recipe)
//   HTTPS_PROXY               a CONNECT proxy on loopback that counts its tunnels (the proxy recipe)
//   PAYAUTH_TOKEN_KEY         a random 32-byte key; REDIS_URL comes from the check when it runs Redis
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { autopayFakeCredentials, createAutopayFake } from "@payauth/autopay/testing";
import { createGetpaidFake, getpaidFakeCredentials } from "@payauth/getpaid/testing";
import { createMaxPayFake, maxPayFakeCredentials, serveHandlers } from "@payauth/maxpay/testing";
import { createPayMeFake, payMeFakeCredentials } from "@payauth/payme/testing";
import { http, HttpResponse } from "msw";

const invoice = { id: "inv_1", status: "open", currency: "EUR", total_amount: 1250, customer_id: "cus_1" };

const maxpay = createMaxPayFake();
const getpaid = createGetpaidFake();
const payme = createPayMeFake();
const autopay = createAutopayFake();
const servers = {
  maxpay: await serveHandlers([
    ...maxpay.handlers,
    maxpay.requireToken(http.get("*/v1/receivables", () => HttpResponse.json({ items: [{ id: "rcv_1", amount: 1250 }] })), { scopes: ["receivables:read"] }),
  ]),
  getpaid: await serveHandlers([
    ...getpaid.handlers,
    getpaid.requireToken(http.get("*/invoices", () => HttpResponse.json({ data: [invoice], has_more: false }))),
    getpaid.requireToken(http.post("*/invoices", () => HttpResponse.json(invoice, { status: 201 })), { scopes: ["invoices:read_write"] }),
    getpaid.requireToken(http.get("*/invoices/:id", ({ params }) => HttpResponse.json({ ...invoice, id: String(params["id"]) }))),
  ]),
  payme: await serveHandlers([
    ...payme.handlers,
    payme.requireToken(http.post("*/charges", () => HttpResponse.json({ id: "chr_1", status: "approved" }, { status: 201 })), { scopes: ["post:charges"] }),
  ]),
  autopay: await serveHandlers([
    ...autopay.handlers,
    autopay.requireToken(http.get("*/customer-club/members", () => HttpResponse.json({ members: [{ id: "m_1", plate: "ABC-123" }] })), { scopes: ["customer_club"] }),
  ]),
};

/** The providers' documented hosts, and the fake that stands for each. */
const HOSTS = {
  "auth.getpaid.io": servers.getpaid,
  "api.getpaid.io": servers.getpaid,
  "api.sandbox.getpaid.io": servers.getpaid,
  "auth.preprod.alignet.io": servers.payme,
  "api.preprod.alignet.io": servers.payme,
  "auth.alignet.io": servers.payme,
  "api.alignet.io": servers.payme,
  "api-auth.autopay.io": servers.autopay,
  "api.autopay.io": servers.autopay,
};

const platformFetch = globalThis.fetch;
globalThis.fetch = async function fetchThroughFakes(input, init) {
  const request = input instanceof Request ? input : new Request(input, init);
  const url = new URL(request.url);
  if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return platformFetch(input, init);
  const server = HOSTS[url.hostname];
  if (server === undefined) throw new TypeError(`check:user-path: an example called ${url.origin}, which no fake stands for`);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const target = new Request(`${server.url}${url.pathname}${url.search}`, {
    method: request.method,
    headers: request.headers,
    body,
    redirect: request.redirect,
    signal: request.signal,
  });
  // `init` still carries what is not part of the request (undici's `dispatcher`: the proxy recipe).
  return platformFetch(target, init?.dispatcher === undefined ? undefined : { dispatcher: init.dispatcher });
};

// A CONNECT proxy on loopback, as HTTPS_PROXY: it counts the tunnels it opens.
let tunnels = 0;
const proxy = createServer((_request, response) => response.writeHead(405).end());
proxy.on("connect", (request, socket, head) => {
  tunnels++;
  const [host, port] = String(request.url).split(":");
  if (host !== "127.0.0.1") return socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  const upstream = connect(Number(port), host, () => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on("error", () => socket.destroy());
  socket.on("error", () => upstream.destroy());
});
await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
proxy.unref();

const secrets = mkdtempSync(join(tmpdir(), "payauth-user-path-secret-"));
writeFileSync(join(secrets, "getpaid-client-secret"), `${getpaidFakeCredentials.sandbox.clientSecret}\n`);

Object.assign(process.env, {
  MAXPAY_BASE_URL: servers.maxpay.url,
  MAXPAY_CLIENT_ID: maxPayFakeCredentials.clientId,
  MAXPAY_CLIENT_SECRET: maxPayFakeCredentials.clientSecret,
  GETPAID_CLIENT_ID: getpaidFakeCredentials.sandbox.clientId,
  GETPAID_CLIENT_SECRET: getpaidFakeCredentials.sandbox.clientSecret,
  GETPAID_SECRET_FILE: join(secrets, "getpaid-client-secret"),
  PAYME_CLIENT_ID: payMeFakeCredentials.clientId,
  PAYME_CLIENT_SECRET: payMeFakeCredentials.clientSecret,
  AUTOPAY_CLIENT_ID: autopayFakeCredentials.clientId,
  AUTOPAY_CLIENT_SECRET: autopayFakeCredentials.clientSecret,
  HTTPS_PROXY: `http://127.0.0.1:${proxy.address().port}`,
  PAYAUTH_TOKEN_KEY: process.env.PAYAUTH_TOKEN_KEY ?? randomBytes(32).toString("base64"),
});

process.on("exit", () => {
  const calls = Object.entries({ maxpay, getpaid, payme, autopay })
    .filter(([, fake]) => fake.stats.tokenRequests + fake.stats.apiCalls > 0)
    .map(([name, fake]) => `${name} ${fake.stats.tokenRequests} token/${fake.stats.apiCalls} api`);
  process.stderr.write(`[user-path] fakes: ${calls.join(", ") || "none called"}; proxy tunnels: ${tunnels}\n`);
  rmSync(secrets, { recursive: true, force: true });
});
