import { writeFile, mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createManualClock, type FakeServer } from "@payauth/auth-core/testing";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ledgerRows, renderLedger, Tally } from "./ledger.js";
import { targets, type FaultTarget } from "./providers.js";
import { describeObservability } from "./observability.js";
import { describeRejectionStorm } from "./rejection-storm.js";

// Every case must end in a token or a typed AuthError, never a crash, a hang or a leaked secret
// (in any form it takes on the wire: see wireForms in ledger.ts).
const SECRET = "fault-suite-secret-7f3a9c";
/** A secret whose wire forms all differ: JSON-escaped, form- and percent-encoded, base64. */
const SPECIAL_SECRET = 'fault "suite" \\ s3cr3t+1 &=%2B/é✓😀\t:7f3a9c';
const SECRETS = [SECRET, SPECIAL_SECRET];
const RUNS = 150;
const PING = "/payauth-conformance/ping";

afterAll(async () => {
  const table = renderLedger();
  console.log(`\nFault-injection summary\n\n${table}\n`);
  await mkdir(".vitest", { recursive: true });
  await writeFile(".vitest/faults-report.md", `${table}\n`);
});

const status = fc.oneof(fc.constantFrom(200, 201, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504), fc.integer({ min: 200, max: 599 }));
const weirdNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2), fc.string(), fc.constant(null), fc.boolean());
const weirdString = fc.oneof(fc.string(), fc.constantFrom("", " ", "a b", "x\ny", "\u0000", "ä"), fc.integer(), fc.constant(null), fc.array(fc.string()));
const tokenValue = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/).map((s) => `tok_${s}`);

/** Response bodies: any JSON, provider-shaped bodies with mangled fields, HTML, empty. */
function bodies(target: FaultTarget) {
  const tokenShaped = fc
    .record({ token: fc.oneof(tokenValue, weirdString), expires: weirdNumber, drop: fc.subarray(["a", "b", "c", "d"]) })
    .map(({ token, expires, drop }) => {
      const body: Record<string, unknown> = target.tokenBody(token as string, expires);
      const keys = Object.keys(body);
      for (const k of drop) delete body[keys["abcd".indexOf(k)] ?? ""];
      return JSON.stringify(body);
    });
  const errorShaped = fc.record({ code: fc.string(), message: fc.string() }).map(({ code, message }) => JSON.stringify(target.errorBody(code, message)));
  return fc.oneof(
    tokenShaped,
    errorShaped,
    fc.json(),
    fc.constantFrom("", "<html><body>502 Bad Gateway</body></html>", "null", "[]", "{", '{"access_token":'),
  );
}

describe.each(targets)("$name: arbitrary token endpoint answers", (target) => {
  it(`ends every one of ${RUNS} cases in a token or a typed AuthError, with no secret shown`, async () => {
    const tally = new Tally(target.name, "property: arbitrary status and body", () => [...SECRETS, ...issued]);
    const issued: string[] = [];
    // Well-formed answers too (a quarter of the cases), so the success path is exercised as well.
    const wellFormed = fc
      .tuple(tokenValue, fc.integer({ min: 1, max: 10 ** 9 }))
      .map(([token, expiresIn]) => [200, JSON.stringify(target.tokenBody(token, expiresIn))] as const);
    const cases = fc.oneof({ arbitrary: wellFormed, weight: 1 }, { arbitrary: fc.tuple(status, bodies(target)), weight: 3 });
    await fc.assert(
      fc.asyncProperty(cases, fc.constantFrom(...SECRETS), async ([code, body], secret) => {
        const clock = createManualClock();
        const nullBody = code === 204 || code === 205 || code === 304;
        for (const m of body.matchAll(/tok_[A-Za-z0-9._-]+/g)) issued.push(m[0]);
        let requests = 0;
        const client = target.createClient({
          origin: "https://api.faults.test",
          clientSecret: secret,
          clock,
          retry: { maxAttempts: 2 },
          fetch: async () => {
            requests++;
            return new Response(nullBody ? null : body, { status: code, headers: { "content-type": "application/json" } });
          },
        });
        tally.row.faults++;
        const token = await tally.call(
          () => client.auth.getToken(),
          (t) => /^[\x21-\x7e]+$/.test(t.accessToken) && Number.isFinite(t.expiresAt) && t.expiresAt > clock.now(),
        );
        tally.row.tokenRequests += requests;
        tally.row.minimumTokenRequests += 1;
        if (token) issued.pop();
        return true;
      }),
      { numRuns: RUNS },
    );
    expect(tally.row.untyped).toBe(0);
    expect(tally.row.secretsSeen).toBe(0);
  });
});

/** Runs `story` against the provider's fake served on loopback, then closes it. */
async function onLoopback(target: FaultTarget, story: (server: FakeServer, fake: ReturnType<FaultTarget["createFake"]>) => Promise<void>) {
  const fake = target.createFake();
  const server = await fake.serve();
  try {
    await story(server, fake);
  } finally {
    await server.close();
  }
}

describe.each(targets)("$name: a misbehaving token server on loopback", (target) => {
  const fast = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 2_000 };

  it("survives a dropped connection and a stall past the timeout", async () => {
    await onLoopback(target, async (server, fake) => {
      const tally = new Tally(target.name, "drop, then stall past timeout", () => [SECRET]);
      const client = target.createClient({ origin: server.url, retry: fast, timeoutMs: 300 });
      fake.failNext("token", { kind: "drop", status: 0 });
      fake.failNext("token", { kind: "stall", status: 0 });
      tally.row.faults = 2;
      const results = await Promise.all(Array.from({ length: 20 }, () => tally.call(() => client.GET(PING), (r) => r.response.ok)));
      tally.row.tokenRequests = fake.stats.tokenRequests;
      tally.row.minimumTokenRequests = 1;
      expect(results.every((r) => r?.response.status === 200)).toBe(true);
      expect(fake.stats.tokenRequests).toBe(3);
    });
  });

  it("answers 500 three times then 200: one call fails typed, the next succeeds", async () => {
    await onLoopback(target, async (server, fake) => {
      const tally = new Tally(target.name, "500 ×3, then 200", () => [SECRET]);
      const client = target.createClient({ origin: server.url, retry: { ...fast, maxAttempts: 3 } });
      fake.failNext("token", { status: 500, body: "<html>Internal Server Error</html>" }, 3);
      tally.row.faults = 3;
      await tally.call(() => client.GET(PING), (r) => r.response.ok);
      await tally.call(() => client.GET(PING), (r) => r.response.ok);
      tally.row.tokenRequests = fake.stats.tokenRequests;
      tally.row.minimumTokenRequests = 1;
      expect(tally.row.typed["server-error"]).toBe(1);
      expect(tally.row.succeeded).toBe(1);
    });
  });

  it("rate-limits with Retry-After while 1,000 callers wait: one retry, everyone served", async () => {
    await onLoopback(target, async (server, fake) => {
      const tally = new Tally(target.name, "429 Retry-After: 1 under 1,000 callers", () => [SECRET]);
      const client = target.createClient({ origin: server.url, retry: fast });
      fake.failNext("token", { status: 429, body: "", retryAfterSeconds: 1 });
      tally.row.faults = 1;
      await Promise.all(Array.from({ length: 1000 }, () => tally.call(() => client.GET(PING), (r) => r.response.ok)));
      tally.row.tokenRequests = fake.stats.tokenRequests;
      tally.row.minimumTokenRequests = 1;
      expect(tally.row.succeeded).toBe(1000);
      expect(fake.stats.tokenRequests).toBe(2);
    });
  });

  it("revokes the token mid-stream: in-flight calls are replayed with one new token", async () => {
    await onLoopback(target, async (server, fake) => {
      const tally = new Tally(target.name, "token revoked mid-stream", () => [SECRET]);
      const client = target.createClient({ origin: server.url, retry: fast });
      await tally.call(() => client.GET(PING), (r) => r.response.ok);
      const calls = Array.from({ length: 200 }, (_, i) => {
        if (i === 100) fake.revokeToken();
        return tally.call(() => client.GET(PING), (r) => r.response.ok);
      });
      fake.revokeToken();
      tally.row.faults = 1;
      await Promise.all(calls);
      tally.row.tokenRequests = fake.stats.tokenRequests;
      tally.row.minimumTokenRequests = 2;
      expect(tally.row.succeeded).toBe(201);
      expect(fake.stats.tokenRequests).toBe(2);
    });
  });

  it.each([
    ["wrong secret, 50 calls", SECRET],
    ["wrong secret with special characters, 50 calls", SPECIAL_SECRET],
  ])("refuses wrong credentials once and then fails fast, without hammering: %s", async (scenario, secret) => {
    await onLoopback(target, async (server, fake) => {
      const tally = new Tally(target.name, scenario, () => [secret]);
      const client = target.createClient({ origin: server.url, clientSecret: secret, retry: fast });
      for (let i = 0; i < 50; i++) await tally.call(() => client.GET(PING), (r) => r.response.ok);
      tally.row.faults = 1;
      tally.row.tokenRequests = fake.stats.tokenRequests;
      tally.row.minimumTokenRequests = 1;
      expect(tally.row.typed["invalid-credentials"]).toBe(50);
      expect(fake.stats.tokenRequests).toBeLessThanOrEqual(3);
    });
  });
});

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const formEncode = (text: string) => new URLSearchParams([["", text]]).toString().slice(1);
const base64 = (text: string, alphabet: "base64" | "base64url" = "base64") => Buffer.from(text).toString(alphabet);

/** The secret as a server may echo it, in each encoding (`id`: the client id sent with it). */
const ECHOES: Record<string, (secret: string, id: string) => string> = {
  literal: (s) => s,
  "JSON-escaped": (s) => JSON.stringify(s).slice(1, -1),
  "form-urlencoded": (s) => formEncode(s),
  "percent-encoded": (s) => encodeURIComponent(s),
  "percent-encoded, lower-case hex": (s) => lowerHex(encodeURIComponent(s)),
  "Basic header": (s, id) => `Basic ${base64(`${id}:${s}`)}`,
  "Basic header, form-encoded first": (s, id) => `Basic ${base64(`${formEncode(id)}:${formEncode(s)}`)}`,
  "Basic header, url-safe base64": (s, id) => `Basic ${base64(`${id}:${s}`, "base64url")}`,
};

/** Where a token endpoint puts the echo: its error message, its error code, a header-like dump, a plain-text body, a 200 refusal. */
const ECHO_SHAPES: Record<string, (target: FaultTarget, echo: string) => Response> = {
  message: (t, v) => Response.json(t.errorBody("invalid_client", `unknown client secret ${v}`), { status: 401 }),
  code: (t, v) => Response.json(t.errorBody(v, "bad request"), { status: 400 }),
  "header-like dump": (t, v) => Response.json(t.errorBody("invalid_request", `POST /token HTTP/1.1\r\nauthorization: ${v}\r\nx-echo: ${v}\r\n\r\nclient_secret=${v}`), { status: 400 }),
  "plain text": (_, v) => new Response(`client_secret=${v}`, { status: 401, headers: { "content-type": "text/plain" } }),
  "200 refusal": (t, v) => Response.json(t.errorBody("invalid_client", `refused: ${v}`), { status: 200 }),
};

describe.each(targets)("$name: a token endpoint that echoes the secret", (target) => {
  const cases = Object.keys(ECHOES).length * Object.keys(ECHO_SHAPES).length * SECRETS.length;
  it(`shows no form of it in ${cases} cases: ${Object.keys(ECHOES).length} encodings × ${Object.keys(ECHO_SHAPES).length} places × ${SECRETS.length} secrets`, async () => {
    const tally = new Tally(target.name, "token endpoint echoes the secret in every encoding", () => SECRETS);
    for (const secret of SECRETS) {
      for (const echo of Object.values(ECHOES)) {
        for (const shape of Object.values(ECHO_SHAPES)) {
          let requests = 0;
          const client = target.createClient({
            origin: "https://api.faults.test",
            clientSecret: secret,
            retry: { maxAttempts: 1 },
            // The echo is made from the request the endpoint received, as a server's would be.
            fetch: async (request) => {
              requests++;
              const sent = (await request.json()) as Record<string, unknown>;
              return shape(target, echo(String(sent["client_secret"] ?? sent["clientSecret"]), String(sent["client_id"] ?? sent["clientId"])));
            },
          });
          tally.row.faults++;
          await tally.call(() => client.auth.getToken());
          tally.row.tokenRequests += requests;
          tally.row.minimumTokenRequests += 1;
        }
      }
    }
    expect(tally.row.calls).toBe(cases);
    expect(tally.row.succeeded).toBe(0);
    expect(tally.row.untyped).toBe(0);
    expect(tally.row.secretsSeen).toBe(0);
  });
});

const MB = 1024 * 1024;

/** A token server on loopback that sends what `handle` says; counts the body bytes it wrote and the responses cut short by the client. */
interface HostileServer {
  url: string;
  tokenRequests: number;
  written: number;
  cutShort: number;
}

async function onHostileLoopback(handle: (request: IncomingMessage, response: ServerResponse, server: HostileServer) => void, story: (server: HostileServer) => Promise<void>) {
  const http = createServer((request, response) => {
    if (request.method === "POST") server.tokenRequests++;
    response.on("close", () => {
      if (!response.writableFinished) server.cutShort++;
    });
    handle(request, response, server);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const server: HostileServer = { url: `http://127.0.0.1:${(http.address() as { port: number }).port}`, tokenRequests: 0, written: 0, cutShort: 0 };
  try {
    await story(server);
  } finally {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
}

/** Writes `head`, then `total` bytes of padding as fast as the client takes them, then `tail`; stops when the client goes away. */
function streamBody(response: ServerResponse, server: HostileServer, head: string, total: number, tail = '"}'): void {
  const chunk = Buffer.alloc(64 * 1024, "x");
  response.write(head);
  let sent = 0;
  const pump = () => {
    while (sent < total && !response.destroyed) {
      sent += chunk.length;
      server.written += chunk.length;
      if (!response.write(chunk)) return void response.once("drain", pump);
    }
    if (!response.destroyed) response.end(tail);
  };
  pump();
}

describe.each(targets)("$name: hostile bodies on loopback", (target) => {
  // Reading stops at 64 KiB; what the server manages to write beyond that sits in socket buffers.
  const FAR_BELOW_200_MB = 32 * MB;

  it("a 200 MB token body is cut at 64 KiB: invalid-response, connection closed", async () => {
    await onHostileLoopback(
      (_, response, server) => {
        response.writeHead(200, { "content-type": "application/json" });
        streamBody(response, server, '{"access_token":"tok_big","expires_in":3600,"padding":"', 200 * MB);
      },
      async (server) => {
        const tally = new Tally(target.name, "token body of 200 MB, streamed", () => SECRETS);
        const client = target.createClient({ origin: server.url, retry: { maxAttempts: 1 }, timeoutMs: 30_000 });
        tally.row.faults = 1;
        await tally.call(() => client.auth.getToken());
        tally.row.tokenRequests = server.tokenRequests;
        tally.row.minimumTokenRequests = 1;
        expect(tally.row.typed["invalid-response"]).toBe(1);
        await vi.waitFor(() => expect(server.cutShort).toBe(1));
        expect(server.written).toBeLessThan(FAR_BELOW_200_MB);
      },
    );
  });

  it("a token body that stalls after its headers ends in timeout, connection closed", async () => {
    await onHostileLoopback(
      (_, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.write('{"access_token":');
      },
      async (server) => {
        const tally = new Tally(target.name, "token body stalls after headers", () => SECRETS);
        const client = target.createClient({ origin: server.url, retry: { maxAttempts: 1 }, timeoutMs: 300 });
        tally.row.faults = 1;
        await tally.call(() => client.auth.getToken());
        tally.row.tokenRequests = server.tokenRequests;
        tally.row.minimumTokenRequests = 1;
        expect(tally.row.typed.timeout).toBe(1);
        await vi.waitFor(() => expect(server.cutShort).toBe(1));
      },
    );
  });

  it("a 200 MB API 401 body: the middleware reads at most 64 KiB of it and the caller gets it whole", async () => {
    const head = '{"code":"token-expired","padding":"';
    await onHostileLoopback(
      (request, response, server) => {
        if (request.method === "POST") return void response.end(JSON.stringify(target.tokenBody(`tok_${server.tokenRequests}`, 3600)));
        response.writeHead(401, { "content-type": "application/json" });
        streamBody(response, server, head, 200 * MB);
      },
      async (server) => {
        const tally = new Tally(target.name, "API 401 body of 200 MB, streamed", () => SECRETS);
        // openapi-fetch reads an error body whole with response.text(): the caller's part, not
        // payauth's. Here that read notes how much the server had sent by then, checks the body
        // still starts at its first byte, and stops.
        const handedOver: Array<{ written: number; start: string }> = [];
        class HandedOver extends Response {
          override async text(): Promise<string> {
            const written = server.written;
            const reader = this.body!.getReader();
            const { value } = await reader.read();
            await reader.cancel();
            handedOver.push({ written, start: new TextDecoder().decode(value).slice(0, head.length) });
            return "";
          }
        }
        const client = target.createClient({
          origin: server.url,
          retry: { maxAttempts: 1 },
          fetch: async (request) => {
            const response = await fetch(request);
            return response.status === 401 ? new HandedOver(response.body, response) : response;
          },
        });
        tally.row.faults = 1;
        await tally.call(() => client.GET(PING), (r) => r.response.status === 401);
        tally.row.tokenRequests = server.tokenRequests;
        tally.row.minimumTokenRequests = 1;
        expect(tally.row.succeeded).toBe(1);
        expect(handedOver).toHaveLength(1);
        expect(handedOver[0]!.start).toBe(head);
        expect(handedOver[0]!.written).toBeLessThan(FAR_BELOW_200_MB);
        await vi.waitFor(() => expect(server.cutShort).toBeGreaterThanOrEqual(1));
      },
    );
  });
});

describeRejectionStorm();

describeObservability({ secrets: SECRETS, echoes: ECHOES, shapes: ECHO_SHAPES });

describe("the report", () => {
  it("counts no untyped error and no secret seen", () => {
    const rows = ledgerRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.untyped, 0)).toBe(0);
    expect(rows.reduce((n, r) => n + r.secretsSeen, 0)).toBe(0);
  });
});
