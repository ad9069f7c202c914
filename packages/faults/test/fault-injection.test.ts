import { writeFile, mkdir } from "node:fs/promises";
import { createManualClock, type FakeServer } from "@payauth/auth-core/testing";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ledgerRows, renderLedger, Tally } from "./ledger.js";
import { targets, type FaultTarget } from "./providers.js";

// Every case must end in a token or a typed AuthError, never a crash, a hang or a leaked secret.
const SECRET = "fault-suite-secret-7f3a9c";
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
    const tally = new Tally(target.name, "property: arbitrary status and body", () => [SECRET, ...issued]);
    const issued: string[] = [];
    // Well-formed answers too (a quarter of the cases), so the success path is exercised as well.
    const wellFormed = fc
      .tuple(tokenValue, fc.integer({ min: 1, max: 10 ** 9 }))
      .map(([token, expiresIn]) => [200, JSON.stringify(target.tokenBody(token, expiresIn))] as const);
    const cases = fc.oneof({ arbitrary: wellFormed, weight: 1 }, { arbitrary: fc.tuple(status, bodies(target)), weight: 3 });
    await fc.assert(
      fc.asyncProperty(cases, async ([code, body]) => {
        const clock = createManualClock();
        const nullBody = code === 204 || code === 205 || code === 304;
        for (const m of body.matchAll(/tok_[A-Za-z0-9._-]+/g)) issued.push(m[0]);
        let requests = 0;
        const client = target.createClient({
          origin: "https://api.faults.test",
          clientSecret: SECRET,
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

  it("refuses wrong credentials once and then fails fast, without hammering", async () => {
    await onLoopback(target, async (server, fake) => {
      const tally = new Tally(target.name, "wrong secret, 50 calls", () => [SECRET]);
      const client = target.createClient({ origin: server.url, clientSecret: SECRET, retry: fast });
      for (let i = 0; i < 50; i++) await tally.call(() => client.GET(PING), (r) => r.response.ok);
      tally.row.faults = 1;
      tally.row.tokenRequests = fake.stats.tokenRequests;
      tally.row.minimumTokenRequests = 1;
      expect(tally.row.typed["invalid-credentials"]).toBe(50);
      expect(fake.stats.tokenRequests).toBeLessThanOrEqual(3);
    });
  });
});

describe("the report", () => {
  it("counts no untyped error and no secret seen", () => {
    const rows = ledgerRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.untyped, 0)).toBe(0);
    expect(rows.reduce((n, r) => n + r.secretsSeen, 0)).toBe(0);
  });
});
