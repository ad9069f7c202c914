import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthError, isAuthError, type AuthErrorCode } from "../src/auth-error.js";
import { parseScopes } from "../src/parse-scopes.js";
import { requestToken, type ErrorContext, type MappedError, type RequestTokenOptions } from "../src/request-token.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike, TokenGrant } from "../src/types.js";

const TOKEN_URL = "https://auth.acme.test/oauth/token";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Body `{ access_token, expires_in, scope }`, or `{ success: false, error, message }`. */
function parseGrant(body: unknown): TokenGrant | MappedError {
  if (!isRecord(body)) return { code: "invalid-response", message: "token body is not an object" };
  if (body["success"] === false) {
    return {
      code: "invalid-credentials",
      providerCode: typeof body["error"] === "string" ? body["error"] : undefined,
      message: typeof body["message"] === "string" ? body["message"] : undefined,
    };
  }
  return {
    accessToken: String(body["access_token"]),
    expiresInSeconds: Number(body["expires_in"]),
    scopes: parseScopes(body["scope"]),
  };
}

/** Knows `{ error, message }` bodies with a few provider codes; anything else falls back to the status. */
function mapError({ body }: ErrorContext): MappedError | undefined {
  if (!isRecord(body) || typeof body["error"] !== "string") return undefined;
  const codes: Record<string, AuthErrorCode> = { "rate-limit-exceeded": "rate-limited", "bad-client": "invalid-credentials" };
  const code = codes[body["error"]];
  if (code === undefined) return undefined;
  return {
    code,
    providerCode: body["error"],
    message: typeof body["message"] === "string" ? body["message"] : undefined,
    details: { hint: "see provider docs" },
  };
}

function options(fetch: FetchLike, extra: Partial<RequestTokenOptions> = {}): RequestTokenOptions {
  return {
    provider: "acme",
    fetch,
    request: { url: TOKEN_URL, body: { client_id: "client-1", client_secret: "s3cr3t-value" } },
    secrets: ["s3cr3t-value"],
    parseGrant,
    mapError,
    ...extra,
  };
}

const respond = (response: () => Response): FetchLike => async () => response();

/**
 * Requests handed to `hangingFetch`, kept reachable from module scope. undici links
 * `request.signal` to the timeout signal only through a WeakRef, and a fetch that never answers
 * is reachable only from that request; if nothing else holds it, the garbage collector may drop
 * the whole chain (this test's own awaiting frame included) before the timeout fires, and the
 * test hangs. A real fetch keeps its in-flight request reachable, so this is a stub-only concern.
 */
const heldRequests: Request[] = [];
afterEach(() => {
  heldRequests.length = 0;
});

/** A fetch that never answers but rejects with `reason(request)` when its request's signal aborts. */
function hangingFetch(reason: (request: Request) => unknown = (request) => request.signal.reason): FetchLike {
  return (request) =>
    new Promise<Response>((_, reject) => {
      heldRequests.push(request);
      request.signal.addEventListener("abort", () => reject(reason(request)));
    });
}

/** The rejection of `promise`, checked to be a well-formed AuthError of `code` from provider `acme`. */
async function failure(promise: Promise<unknown>, code: AuthErrorCode): Promise<AuthError> {
  const error = await promise.then(
    () => expect.unreachable("expected the token request to fail"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect(isAuthError(error, code)).toBe(true);
  const authError = error as AuthError;
  expect(authError.code).toBe(code);
  expect(authError.provider).toBe("acme");
  expect(authError.message.startsWith("@payauth/acme: ")).toBe(true);
  return authError;
}

describe("requestToken: the request", () => {
  it("POSTs the JSON body with content-type, accept and the extra headers", async () => {
    const seen: Array<{ request: Request; body: string }> = [];
    const fetch = vi.fn(async (request: Request) => {
      seen.push({ request, body: await request.text() });
      return Response.json({ access_token: "tok", expires_in: 60, scope: "" });
    });

    await requestToken(
      options(fetch, {
        request: { url: TOKEN_URL, headers: { "x-api-version": "2026-01-01" }, body: { grant_type: "client_credentials", n: 1 } },
      }),
    );

    expect(fetch).toHaveBeenCalledTimes(1);
    const { request, body } = seen[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe(TOKEN_URL);
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("accept")).toBe("application/json");
    expect(request.headers.get("x-api-version")).toBe("2026-01-01");
    expect(request.redirect).toBe("error");
    expect(JSON.parse(body)).toEqual({ grant_type: "client_credentials", n: 1 });
  });
});

describe("requestToken: successful responses", () => {
  it("returns the grant parsed from a 200 JSON body", async () => {
    const grant = await requestToken(
      options(respond(() => Response.json({ access_token: "tok_abc.123", expires_in: 3600, scope: "payments:read  refunds:write" }))),
    );
    expect(grant).toEqual({ accessToken: "tok_abc.123", expiresInSeconds: 3600, scopes: ["payments:read", "refunds:write"] });
  });

  it.each([
    ["a non-JSON body", "<html>oops</html>"],
    ["an empty body", ""],
  ])("refuses a 200 with %s as invalid-response", async (_, text) => {
    const error = await failure(requestToken(options(respond(() => new Response(text, { status: 200 })))), "invalid-response");
    expect(error.status).toBe(200);
    expect(error.message).toContain("without a JSON body");
  });

  it("refuses a body over 64 KiB as invalid-response", async () => {
    const huge = JSON.stringify({ access_token: "tok", expires_in: 60, padding: "x".repeat(70_000) });
    await failure(requestToken(options(respond(() => new Response(huge)))), "invalid-response");
  });

  it("uses the code of a MappedError returned by parseGrant", async () => {
    const error = await failure(
      requestToken(options(respond(() => Response.json({ success: false, error: "client-disabled", message: "client is disabled" })))),
      "invalid-credentials",
    );
    expect(error.providerCode).toBe("client-disabled");
    expect(error.status).toBe(200);
    expect(error.message).toBe("@payauth/acme: token request was refused (client-disabled): client is disabled");
  });

  it.each([
    ["a space", "tok abc"],
    ["a newline", "tok\nabc"],
    ["a tab", "tok\tabc"],
    ["a non-ASCII character", "tok\u00e9"],
    ["nothing", ""],
  ])("refuses an access token containing %s as invalid-response, without echoing it", async (_, accessToken) => {
    const error = await failure(
      requestToken(options(respond(() => Response.json({ access_token: accessToken, expires_in: 60 })))),
      "invalid-response",
    );
    expect(error.message).toContain("cannot be sent in a header");
    if (accessToken !== "") expect(error.message).not.toContain(accessToken);
  });

  it.each([
    ["0", 0],
    ["negative", -5],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])("refuses expiresInSeconds %s as invalid-response", async (_, expiresInSeconds) => {
    const fetch = respond(() => Response.json({}));
    const error = await failure(
      requestToken(options(fetch, { parseGrant: () => ({ accessToken: "tok", expiresInSeconds, scopes: [] }) })),
      "invalid-response",
    );
    expect(error.message).toContain("no positive lifetime");
  });
});

describe("requestToken: error statuses", () => {
  it("uses mapError's code, provider code, message and details", async () => {
    const error = await failure(
      requestToken(options(respond(() => Response.json({ error: "rate-limit-exceeded", message: "slow\n   down" }, { status: 400 })))),
      "rate-limited",
    );
    expect(error.status).toBe(400);
    expect(error.providerCode).toBe("rate-limit-exceeded");
    expect(error.details).toEqual({ hint: "see provider docs" });
    expect(error.message).toBe("@payauth/acme: token request failed with HTTP 400 (rate-limit-exceeded): slow down");
  });

  it("passes status, parsed body and headers to mapError", async () => {
    const seen: ErrorContext[] = [];
    await failure(
      requestToken(
        options(
          respond(() => Response.json({ error: "x" }, { status: 418, headers: { "x-request-id": "req-7" } })),
          { mapError: (context) => (seen.push(context), undefined) },
        ),
      ),
      "invalid-request",
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.status).toBe(418);
    expect(seen[0]?.body).toEqual({ error: "x" });
    expect(seen[0]?.headers.get("x-request-id")).toBe("req-7");
  });

  it.each<[number, AuthErrorCode]>([
    [400, "invalid-request"],
    [401, "invalid-credentials"],
    [403, "insufficient-scope"],
    [404, "invalid-request"],
    [408, "timeout"],
    [429, "rate-limited"],
    [500, "server-error"],
    [503, "server-error"],
  ])("falls back to the status when mapError returns undefined: HTTP %i is %s", async (status, code) => {
    const error = await failure(
      requestToken(options(respond(() => new Response("not json", { status })))),
      code,
    );
    expect(error.status).toBe(status);
    expect(error.providerCode).toBeUndefined();
    expect(error.message).toBe(`@payauth/acme: token request failed with HTTP ${status}`);
  });

  it("reads Retry-After in seconds", async () => {
    const error = await failure(
      requestToken(options(respond(() => new Response("", { status: 429, headers: { "retry-after": "120" } })))),
      "rate-limited",
    );
    expect(error.retryAfterMs).toBe(120_000);
  });

  it("reads Retry-After as an HTTP date, relative to the injected clock", async () => {
    const clock = createManualClock();
    const date = new Date(clock.now() + 90_000).toUTCString();
    const error = await failure(
      requestToken(options(respond(() => new Response("", { status: 503, headers: { "retry-after": date } })), { clock })),
      "server-error",
    );
    expect(error.retryAfterMs).toBe(90_000);
  });

  it("leaves retryAfterMs undefined without a Retry-After header", async () => {
    const error = await failure(requestToken(options(respond(() => new Response("", { status: 429 })))), "rate-limited");
    expect(error.retryAfterMs).toBeUndefined();
  });
});

describe("requestToken: transport failures", () => {
  it("turns a fetch TypeError into network-error with a cause", async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" }) });
    };
    const error = await failure(requestToken(options(fetch)), "network-error");
    // The host (never the path), and the code found along the cause chain.
    expect(error.message).toBe("@payauth/acme: token request to auth.acme.test failed before a response arrived: ECONNREFUSED");
    expect(error.cause).toBeInstanceOf(Error);
    const cause = error.cause as Error;
    expect(cause.name).toBe("TypeError");
    expect(cause.message).toBe("fetch failed");
    expect((cause.cause as { code?: unknown }).code).toBe("ECONNREFUSED");
  });

  it("times out a request that never answers but respects its signal", async () => {
    const error = await failure(requestToken(options(hangingFetch(), { timeoutMs: 20 })), "timeout");
    expect(heldRequests).toHaveLength(1);
    expect(heldRequests[0]?.signal.aborted).toBe(true);
    expect(error.message).toBe("@payauth/acme: token request to auth.acme.test timed out after 20 ms");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("times out a fetch that ignores its signal", async () => {
    const ignoring: FetchLike = () => new Promise<Response>(() => {});
    await failure(requestToken(options(ignoring, { timeoutMs: 20 })), "timeout");
  });

  it("times out a body that never finishes", async () => {
    const stalled: FetchLike = async () => new Response(new ReadableStream({ start() {} }), { status: 200 });
    await failure(requestToken(options(stalled, { timeoutMs: 20 })), "timeout");
  });
});

describe("requestToken: redaction", () => {
  const SECRET = "s3cr3t-value";

  function expectNoSecret(error: AuthError): void {
    const cause = error.cause as Error | undefined;
    const places = {
      message: error.message,
      stack: error.stack ?? "",
      cause: String(error.cause),
      causeStack: cause?.stack ?? "",
      json: JSON.stringify(error),
      inspect: inspect(error, { depth: 10 }),
    };
    for (const [where, text] of Object.entries(places)) {
      expect(text, where).not.toContain(SECRET);
    }
  }

  it("removes the secret from a provider message on an error status", async () => {
    const error = await failure(
      requestToken(options(respond(() => Response.json({ error: "bad-client", message: `secret ${SECRET} is wrong` }, { status: 401 })))),
      "invalid-credentials",
    );
    expect(error.message).toBe("@payauth/acme: token request failed with HTTP 401 (bad-client): secret [REDACTED] is wrong");
    expectNoSecret(error);
  });

  it("removes the secret from a provider message in a 200 refusal", async () => {
    const error = await failure(
      requestToken(options(respond(() => Response.json({ success: false, message: `unknown client secret "${SECRET}"` })))),
      "invalid-credentials",
    );
    expect(error.message).toContain("[REDACTED]");
    expectNoSecret(error);
  });

  it("removes the secret from the fetch error, its stack and its cause chain", async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError(`request to https://auth.acme.test/?secret=${SECRET} failed`, {
        cause: new Error(`socket hang up while sending ${SECRET}`, { cause: new Error(`deeper ${SECRET}`) }),
      });
    };
    const error = await failure(requestToken(options(fetch)), "network-error");
    const cause = error.cause as Error;
    expect(cause.message).toBe("request to https://auth.acme.test/?secret=[REDACTED] failed");
    expect((cause.cause as Error).message).toBe("socket hang up while sending [REDACTED]");
    expectNoSecret(error);
    expect((cause.cause as Error).stack).not.toContain(SECRET);
    const shown = inspect(error, { depth: 10 });
    expect(shown).toContain("[REDACTED]");
    expect(shown).not.toContain(SECRET);
  });

  it("removes the secret from a timeout's cause", async () => {
    const fetch = hangingFetch(() => new Error(`aborted while sending ${SECRET}`));
    const error = await failure(requestToken(options(fetch, { timeoutMs: 20 })), "timeout");
    expect((error.cause as Error).name).toBe("TimeoutError");
    expectNoSecret(error);
  });
});
