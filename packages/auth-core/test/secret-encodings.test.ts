import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AuthError, isAuthError } from "../src/auth-error.js";
import { redact, redactError, redactJson, REDACTED } from "../src/redact.js";
import { requestToken, type ErrorContext, type MappedError, type RequestTokenOptions } from "../src/request-token.js";
import type { FetchLike, TokenGrant } from "../src/types.js";

// Issue 12, item 7: the secret must not appear in an error in any form it takes on the wire.
// The encodings are computed here independently of src/redact.ts (Buffer, URLSearchParams,
// encodeURIComponent), as a server or a log would produce them.

const form = (s: string) => new URLSearchParams([["", s]]).toString().slice(1);
const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const base64 = (s: string) => Buffer.from(s).toString("base64");
const base64url = (s: string) => Buffer.from(s).toString("base64url");

/** What a server may echo: the secret in each encoding, named. */
function echoes(secret: string, clientId: string): Record<string, string> {
  return {
    literal: secret,
    "JSON-escaped": JSON.stringify(secret).slice(1, -1),
    "form-urlencoded": form(secret),
    "percent-encoded": encodeURIComponent(secret),
    "percent-encoded, lower-case hex": lowerHex(encodeURIComponent(secret)),
    "Basic header": `Basic ${base64(`${clientId}:${secret}`)}`,
    "Basic header, form-encoded first (RFC 6749 §2.3.1)": `Basic ${base64(`${form(clientId)}:${form(secret)}`)}`,
    "Basic header, url-safe base64": `Basic ${base64url(`${clientId}:${secret}`)}`,
  };
}

/**
 * The strings that must appear nowhere: every non-base64 echo, and for base64 the part of
 * base64(x + s) that depends only on s, for x of 0, 1 and 2 bytes (the three alignments), for s
 * as it is and form-encoded, in both alphabets.
 */
function forbidden(secret: string): string[] {
  const out = new Set([secret, JSON.stringify(secret).slice(1, -1), form(secret), encodeURIComponent(secret), lowerHex(encodeURIComponent(secret))]);
  for (const s of [secret, form(secret)]) {
    const bytes = Buffer.from(s);
    for (let k = 0; k < 3; k++) {
      const all = Buffer.concat([Buffer.alloc(k), bytes]);
      const [from, to] = [Math.ceil((k * 4) / 3), Math.floor(((k + bytes.length) * 4) / 3)];
      out.add(all.toString("base64").slice(from, to));
      out.add(all.toString("base64url").slice(from, to));
    }
  }
  return [...out];
}

/** Every string in `value`, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
}

/** Everything that could be printed or logged about an error. */
function renderings(error: AuthError): Record<string, string> {
  const out: Record<string, string> = {
    message: error.message,
    stack: error.stack ?? "",
    details: JSON.stringify(error.details) ?? "",
    // The strings themselves too, as a logger printing `details.body.message` would show them.
    "details' strings": strings(error.details).join("\n"),
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: Infinity }),
    "inspect, hidden": inspect(error, { depth: Infinity, showHidden: true }),
  };
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined; depth++) {
    out[`cause ${depth}`] = cause instanceof Error ? `${cause.name} ${cause.message} ${cause.stack} ${JSON.stringify(cause)}` : String(cause);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return out;
}

function expectNoForm(error: unknown, secret: string, where: string): void {
  expect(isAuthError(error), `${where}: ${String(error)}`).toBe(true);
  const texts = renderings(error as AuthError);
  for (const f of forbidden(secret)) {
    for (const [place, text] of Object.entries(texts)) {
      if (text.includes(f)) expect.fail(`${where}: ${JSON.stringify(f)} (a form of ${JSON.stringify(secret)}) found in ${place}: ${text.slice(0, 400)}`);
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function options(secret: string, clientId: string, fetch: FetchLike): RequestTokenOptions {
  return {
    provider: "acme",
    fetch,
    request: { url: "https://auth.acme.test/oauth/token", body: { client_id: clientId, client_secret: secret } },
    secrets: [secret],
    parseGrant: (body): TokenGrant | MappedError =>
      isRecord(body) && body["success"] === false
        ? { code: "invalid-credentials", providerCode: String(body["error"]), message: String(body["message"]), details: { echoed: [body["message"]], [String(body["message"])]: 1 } }
        : { code: "invalid-response" },
    // Every string of the body is shown: as providerCode, message and details (keys too).
    mapError: ({ body }: ErrorContext): MappedError | undefined =>
      isRecord(body) && typeof body["error"] === "string"
        ? { code: "invalid-credentials", providerCode: body["error"], message: String(body["message"]), details: { body, [String(body["message"])]: true } }
        : undefined,
  };
}

/** The ways a token endpoint (or the transport) can show `v`. */
function shapes(v: string): Record<string, FetchLike> {
  const json = (body: unknown, status: number) => async () => Response.json(body, { status });
  return {
    "JSON message field": json({ error: "bad-client", message: `client secret ${v} is wrong` }, 401),
    "JSON error code": json({ error: v, message: "no" }, 400),
    "header-like string": json({ error: "bad-request", message: `POST /oauth/token HTTP/1.1\r\nauthorization: ${v}\r\nx-echo: ${v}\r\n\r\nclient_secret=${v}` }, 400),
    "plain text body": async () => new Response(`client secret ${v} is wrong`, { status: 401, headers: { "content-type": "text/plain" } }),
    "200 refusal": json({ success: false, error: v, message: `refused: ${v}` }, 200),
    "transport error and its cause chain": async () => {
      throw new TypeError(`fetch failed: ${v}`, { cause: Object.assign(new Error(`socket sent ${v}`, { cause: new Error(v) }), { code: v }) });
    },
  };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected the token request to fail"),
    (e: unknown) => e,
  );
}

const SPECIALS = ['"', "\\", " ", "  ", "+", "&", "=", "%", "%2B", "/", ":", "'", "~", "*", "!", "(", "é", "✓", "😀", "\u0000", "\n", "\r", "\t", "\u001f", "\u007f", "\u2028"];
const secrets = fc.oneof(
  fc.string({ unit: fc.oneof(fc.constantFrom(...SPECIALS), fc.constantFrom(..."abcdefXYZ0123456789-_.")), minLength: 8, maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 8, maxLength: 24 }),
);
const clientIds = fc.constantFrom("c", "cl", "cli", "client-1", "ünï cødé", "id+with&special=chars");

describe("no form of the secret in an AuthError", () => {
  it("property: for every encoding a token endpoint echoes, none of the forms is in message, stack, cause chain, details, JSON or inspect", async () => {
    await fc.assert(
      fc.asyncProperty(secrets, clientIds, async (secret, clientId) => {
        for (const [encoding, v] of Object.entries(echoes(secret, clientId))) {
          for (const [shape, fetch] of Object.entries(shapes(v))) {
            expectNoForm(await errorOf(requestToken(options(secret, clientId, fetch))), secret, `${encoding} in ${shape}`);
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000); // 40 secrets × 8 encodings × 6 shapes: about 2,000 failed token requests

  it.each([
    ["a quote and a backslash, JSON-escaped", 'pa"ss\\word', '{"client_secret":"pa\\"ss\\\\word"}'],
    ["a space, + and &, form-encoded", "my secret+1&2", "client_id=c&client_secret=my+secret%2B1%262"],
    ["é, percent-encoded with lower-case hex", "sécret-42", "client_secret=s%c3%a9cret-42"],
    ["é, JSON-escaped as \\u00e9 (ASCII-only JSON) and \\u00E9", "sécret-42", 'secret "s\\u00e9cret-42" or "s\\u00E9cret-42"'],
    ["/, JSON-escaped as \\/ (PHP)", "abc/def/ghi", '{"client_secret":"abc\\/def\\/ghi"}'],
    ["in a Basic header", "s3cr3t-value", `Authorization: Basic ${base64("client-1:s3cr3t-value")}`],
    ["in a Basic header after form-encoding", "a b+c", `Authorization: Basic ${base64("my+id:a+b%2Bc")}`],
    ["in url-safe base64", "???>>>???", `token ${base64url("xy:???>>>???")}`],
  ])("redacts a secret with %s", (_, secret, text) => {
    const out = redact(text, [secret]);
    expect(out).toContain(REDACTED);
    for (const f of forbidden(secret)) expect(out).not.toContain(f);
  });

  it("finds the secret at each of the three base64 alignments inside a longer base64 text", () => {
    const secret = "alignment-secret";
    for (const prefix of ["", "a", "ab", "abc", "abcd"]) {
      const text = `Basic ${base64(`${prefix}${secret}:trailing-bytes`)}`;
      const out = redact(text, [secret]);
      expect(out, prefix).toContain(REDACTED);
      for (const f of forbidden(secret)) expect(out, prefix).not.toContain(f);
    }
  });

  it("leaves text without the secret alone, and secrets under 4 characters too", () => {
    expect(redact("nothing to see: %41 \\u0041 QUJD", ["s3cr3t-value"])).toBe("nothing to see: %41 \\u0041 QUJD");
    expect(redact("abc a%62c", ["abc"])).toBe("abc a%62c");
  });

  it("redactError and redactJson cover every form too (keys included)", () => {
    const secret = 'k"e y+%';
    const shown = form(secret);
    const cause = redactError(new Error(`sent ${shown}`, { cause: new Error(JSON.stringify(secret)) }), [secret]) as Error;
    expect(cause.message).toBe(`sent ${REDACTED}`);
    expect((cause.cause as Error).message).toBe(`"${REDACTED}"`);
    expect(redactJson({ [shown]: [`x ${encodeURIComponent(secret)}`], n: 1 }, [secret])).toEqual({ [REDACTED]: [`x ${REDACTED}`], n: 1 });
  });

  it("never backtracks exponentially on a run of characters that have several forms (backslash, %, quote, space)", () => {
    // Each form's alternatives for one character start differently. Mixing forms in one pattern
    // (\\ as itself or as \\\\) took 100 s for 24 backslashes against 72.
    for (const [char, shown] of [["\\", "\\"], ["%", "%25"], ['"', '\\"'], [" ", "+"]] as const) {
      const started = performance.now();
      expect(redact(`${shown.repeat(72)}b`, [`${char.repeat(24)}a`])).toBe(`${shown.repeat(72)}b`);
      expect(performance.now() - started, char).toBeLessThan(1_000);
    }
  });

  it("is fast enough on an error path: a 2 KB token and a secret over a 64 KiB text in well under 50 ms", () => {
    const token = `eyJ${"x".repeat(2_000)}`;
    const text = `${"lorem ipsum %41 \\u0041 ".repeat(3_000)}${token}`;
    const started = performance.now();
    const out = redact(text, ["s3cr3t-value", token]);
    expect(performance.now() - started).toBeLessThan(50);
    expect(out.endsWith(REDACTED)).toBe(true);
  });
});
