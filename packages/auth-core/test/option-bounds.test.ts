import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAuthError } from "../src/auth-error.js";
import { createProviderClient, type CommonClientOptions, type ProviderClientConfig, type ProviderDefinition } from "../src/create-provider-client.js";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { Clock, FetchLike } from "../src/types.js";
import { InvalidOptionError } from "../src/validate-options.js";

// Issue 12, item 8: options that were accepted and then failed later (a raw RangeError, a timer
// that overflowed and fired at once, `clock.now is not a function`, a login sent to the wrong
// path) are refused at construction, by an InvalidOptionError that names the option and never
// shows the secret.

const SECRET = "s3cr3t-Option-Bounds-7f2c";
/** 2^31 − 1: the longest delay `setTimeout` and `AbortSignal.timeout` take without overflowing. */
const MAX = 2_147_483_647;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

const acme: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ clientId, clientSecret, tokenUrl }) => ({ url: tokenUrl, body: { client_id: clientId, client_secret: clientSecret } }),
  parseGrant: (body) =>
    isRecord(body) && typeof body["access_token"] === "string"
      ? { accessToken: body["access_token"], expiresInSeconds: 3600, scopes: [] }
      : { code: "invalid-response", message: "unexpected token body" },
  mapTokenError: () => undefined,
  isTokenRejected: () => false,
};

const config: ProviderClientConfig = { baseUrl: "https://api.acme.test", tokenUrl: "https://auth.acme.test/oauth/token" };
const base: CommonClientOptions = { clientId: "client-1", clientSecret: SECRET, fetch: async () => Response.json({ access_token: "tok" }) };

function build(options: Record<string, unknown> = {}, overrides: Partial<ProviderClientConfig> = {}) {
  return createProviderClient(acme, { ...base, ...options } as CommonClientOptions, { ...config, ...overrides });
}

/** What `fn` threw, or `undefined`. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The InvalidOptionError `fn` throws, checked to name `option` and to be free of the secret. */
function refused(fn: () => unknown, option: string): InvalidOptionError {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(InvalidOptionError);
  const e = error as InvalidOptionError;
  expect(e.option).toBe(option);
  expect(e.message.startsWith(`@payauth/acme: option \`${option}\` `)).toBe(true);
  expect(e.message).not.toContain(SECRET);
  expect(String(e.stack)).not.toContain(SECRET);
  return e;
}

describe("option bounds (issue 12, item 8): timeoutMs", () => {
  it.each([0.5, 1.5, 999.9, MAX + 1, 3e9, 2 ** 53])("refuses timeoutMs %d: a whole number from 1 to 2147483647", (timeoutMs) => {
    refused(() => build({ timeoutMs }), "timeoutMs");
  });

  it("accepts 1 and 2147483647, and with 2147483647 a slow answer does not time out at once", async () => {
    expect(() => build({ timeoutMs: 1 })).not.toThrow();
    const fetch: FetchLike = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return Response.json({ access_token: "slow-token" });
    };
    const client = build({ timeoutMs: MAX, fetch, retry: { maxAttempts: 1 } });
    expect((await client.auth.getToken()).accessToken).toBe("slow-token");
  });
});

describe("option bounds (issue 12, item 8): timers and counts", () => {
  const timerOptions: ReadonlyArray<[string, (n: number) => Record<string, unknown>, number]> = [
    ["retry.baseDelayMs", (n) => ({ retry: { baseDelayMs: n } }), MAX],
    ["retry.maxDelayMs", (n) => ({ retry: { maxDelayMs: n } }), MAX],
    ["retry.maxElapsedMs", (n) => ({ retry: { maxElapsedMs: n } }), MAX],
    ["tokenRequestLimit.windowMs", (n) => ({ tokenRequestLimit: { max: 10, windowMs: n } }), MAX],
    ["circuitBreaker.cooldownMs", (n) => ({ circuitBreaker: { failureThreshold: 3, cooldownMs: n } }), MAX],
    ["refreshWindowSeconds", (n) => ({ refreshWindowSeconds: n }), MAX / 1000],
  ];

  it.each(timerOptions)("refuses %s past 2^31 − 1 ms, and accepts it at the bound", (option, set, bound) => {
    expect(() => build(set(bound))).not.toThrow();
    for (const n of [option === "refreshWindowSeconds" ? 2_147_483.648 : MAX + 1, 4e9, 2 ** 63, Number.MAX_VALUE]) {
      const error = refused(() => build(set(n)), option);
      expect(error.message).toContain(`must be <= ${bound}`);
    }
  });

  it("retry.maxDelayMs 4e9 (then a long Retry-After slept on an overflowed timer: three requests in 48 ms) is refused", () => {
    refused(() => build({ retry: { maxDelayMs: 4e9 } }), "retry.maxDelayMs");
  });

  it.each<[string, (n: number) => Record<string, unknown>]>([
    ["retry.maxAttempts", (n) => ({ retry: { maxAttempts: n } })],
    ["tokenRequestLimit.max", (n) => ({ tokenRequestLimit: { max: n, windowMs: 60_000 } })],
    ["circuitBreaker.failureThreshold", (n) => ({ circuitBreaker: { failureThreshold: n, cooldownMs: 30_000 } })],
  ])("refuses %s that is not a whole number >= 1", (option, set) => {
    for (const n of [0, 0.5, 1.5, 2.25, -1, Number.NaN, Number.POSITIVE_INFINITY]) refused(() => build(set(n)), option);
    for (const n of [1, 2, 10]) expect(() => build(set(n))).not.toThrow();
  });
});

describe("option bounds (issue 12, item 8): clock", () => {
  it.each<[string, unknown]>([
    ["an empty object", {}],
    ["null", null],
    ["a number", 1_700_000_000_000],
    ["a string", "Date"],
    ["now that is not a function", { now: 1 }],
    ["monotonicNow that is not a function", { now: () => 0, monotonicNow: 0 }],
    ["sleep that is not a function", { now: () => 0, sleep: "later" }],
  ])("refuses a clock that is %s", (_, clock) => {
    refused(() => build({ clock }), "clock");
  });

  it("accepts Date, a { now } object and a full clock, and a call then works", async () => {
    expect(() => build({ clock: Date })).not.toThrow();
    // null counts as absent, as it does when the clock is completed (the system's sleep is used).
    expect(() => build({ clock: { now: () => 0, sleep: null } })).not.toThrow();
    expect(() => build({ clock: { now: () => Date.now() } })).not.toThrow();
    const client = build({ clock: createManualClock() });
    expect((await client.auth.getToken()).accessToken).toBe("tok");
  });
});

describe("option bounds (issue 12, item 8): baseUrl and tokenUrl", () => {
  it.each([
    "https://api.acme.test?tenant=1",
    "https://api.acme.test/v1?",
    "https://api.acme.test/#top",
    "https://api.acme.test#",
    `https://api.acme.test/?key=${SECRET}`,
  ])("refuses a baseUrl with a query or a fragment: %s", (baseUrl) => {
    refused(() => build({}, { baseUrl }), "baseUrl");
  });

  it("refuses a tokenUrl with a fragment, and accepts one with a query", () => {
    refused(() => build({}, { tokenUrl: "https://auth.acme.test/oauth/token#x" }), "tokenUrl");
    refused(() => build({}, { tokenUrl: `https://auth.acme.test/oauth/token?k=1#${SECRET}` }), "tokenUrl");
    expect(() => build({}, { tokenUrl: "https://auth.acme.test/oauth/token?api-version=2" })).not.toThrow();
  });

  it("names baseUrl when a token URL derived from it carries its query too", () => {
    const baseUrl = "https://api.acme.test?x=1";
    refused(() => build({}, { baseUrl, tokenUrl: `${baseUrl}/v1/auth/login` }), "baseUrl");
  });
});

describe("option bounds (issue 12, item 8): functions, stores and switches of the wrong type", () => {
  it.each<[string, unknown]>([
    ["tokenStore", null],
    ["tokenStore", {}],
    ["tokenStore", "memory"],
    ["onEvent", "console.log"],
    ["onEvent", {}],
    ["fetch", { fetch: () => {} }],
    ["fetch", null],
    ["scopeCheck", "false"],
    ["scopeCheck", 0],
    ["allowInsecureHttp", "true"],
    ["allowInsecureHttp", 1],
    ["dangerouslyAllowBrowser", "true"],
    ["dangerouslyAllowBrowser", null],
  ])("refuses %s: %o", (option, value) => {
    refused(() => build({ [option]: value }), option);
  });

  it("accepts the right types", () => {
    const client = build({
      tokenStore: createMemoryTokenStore(),
      onEvent: () => {},
      scopeCheck: false,
      allowInsecureHttp: false,
      dangerouslyAllowBrowser: false,
    });
    expect(typeof client.auth.getToken).toBe("function");
    expect(() => build({ scopeCheck: true, allowInsecureHttp: true, dangerouslyAllowBrowser: true })).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// The wider property: every numeric option, any value.

/**
 * A manual clock whose `sleep` checks what a real timer needs (a finite delay from 0 to
 * 2^31 − 1 ms) and throws the RangeError a real one would hit (or records the overflow it would
 * silently suffer), then advances at once.
 */
function strictClock() {
  const clock = createManualClock();
  const sleeps: number[] = [];
  const strict: Required<Clock> = {
    now: clock.now,
    monotonicNow: clock.monotonicNow,
    async sleep(ms) {
      sleeps.push(ms);
      if (!Number.isFinite(ms) || ms < 0 || ms > MAX) throw new RangeError(`sleep(${ms}): out of a timer's range`);
      await clock.sleep(ms);
    },
  };
  return { clock: strict, sleeps };
}

type NumericOption = {
  /** The options with `value` in place. */
  set: (value: unknown) => Record<string, unknown>;
  /** Whether `value` (a finite number here) is one the option accepts, as documented. */
  valid: (n: number) => boolean;
};

const whole = (n: number) => Number.isInteger(n) && n >= 1;
const timer = (n: number) => n >= 0 && n <= MAX;
const positiveTimer = (n: number) => n > 0 && n <= MAX;

const NUMERIC: Readonly<Record<string, NumericOption>> = {
  timeoutMs: { set: (v) => ({ timeoutMs: v }), valid: (n) => Number.isInteger(n) && n >= 1 && n <= MAX },
  refreshWindowSeconds: { set: (v) => ({ refreshWindowSeconds: v }), valid: (n) => n >= 0 && n <= 2_147_483.647 },
  "retry.maxAttempts": { set: (v) => ({ retry: { maxAttempts: v } }), valid: whole },
  "retry.baseDelayMs": { set: (v) => ({ retry: { maxAttempts: 3, baseDelayMs: v } }), valid: timer },
  "retry.maxDelayMs": { set: (v) => ({ retry: { maxAttempts: 3, maxDelayMs: v } }), valid: timer },
  "retry.maxElapsedMs": { set: (v) => ({ retry: { maxAttempts: 3, maxElapsedMs: v } }), valid: timer },
  "tokenRequestLimit.max": { set: (v) => ({ tokenRequestLimit: { max: v, windowMs: 60_000 } }), valid: whole },
  "tokenRequestLimit.windowMs": { set: (v) => ({ tokenRequestLimit: { max: 10, windowMs: v } }), valid: positiveTimer },
  "circuitBreaker.failureThreshold": { set: (v) => ({ circuitBreaker: { failureThreshold: v, cooldownMs: 30_000 } }), valid: whole },
  "circuitBreaker.cooldownMs": { set: (v) => ({ circuitBreaker: { failureThreshold: 3, cooldownMs: v } }), valid: positiveTimer },
};

const EDGES = [
  0, -0, 0.5, 1, 1.5, 2, 3, 999.5, 1000, 2_147_483.647, 2_147_483.648, MAX - 0.5, MAX, MAX + 1, 2 ** 31, 3e9, 4e9, 2 ** 32, 2 ** 53,
  2 ** 63, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, -1, -MAX, Number.NaN,
  Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
];

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGES), weight: 4 },
  { arbitrary: fc.integer({ min: -5, max: 20 }), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.maxSafeInteger(), weight: 1 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: fc.double({ min: 0, max: 5e9, noNaN: true }), weight: 2 },
  { arbitrary: fc.constantFrom<unknown>("1000", "", null, true, {}, [], 10n), weight: 1 },
);

/**
 * A token endpoint that answers after a short real delay (so that a timer that overflowed and
 * fired at once would show as a timeout): first 503 with `Retry-After: 2`, then a token. The
 * API answers 200 to a request with the token.
 */
function scriptedFetch() {
  let tokenRequests = 0;
  const fetch: FetchLike = async (request) => {
    if (request.url.startsWith(config.tokenUrl)) {
      tokenRequests += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
      return tokenRequests === 1 ? new Response("busy", { status: 503, headers: { "retry-after": "2" } }) : Response.json({ access_token: `tok-${tokenRequests}` });
    }
    const ok = request.headers.get("authorization") === `Bearer tok-${tokenRequests}`;
    return Response.json({ ok }, { status: ok ? 200 : 401 });
  };
  return fetch;
}

type PlainGet = { GET(path: string): Promise<{ response: Response }> };

describe("option bounds (issue 12, item 8): every numeric option, any value (fast-check)", () => {
  it.each(Object.keys(NUMERIC))(
    "%s: refused at construction naming it (no secret), or accepted as documented and a call then works without a raw RangeError",
    async (name) => {
      const option = NUMERIC[name]!;
      await fc.assert(
        fc.asyncProperty(anyValue, async (value) => {
          const { clock, sleeps } = strictClock();
          const documented = typeof value === "number" && Number.isFinite(value) && option.valid(value);
          let client: ReturnType<typeof build> | undefined;
          const error = thrownBy(() => {
            client = build({ ...option.set(value), fetch: scriptedFetch(), clock });
          });
          if (error !== undefined) {
            expect(error).toBeInstanceOf(InvalidOptionError);
            expect((error as InvalidOptionError).option).toBe(name);
            expect((error as Error).message).not.toContain(SECRET);
            expect(documented).toBe(false);
            return;
          }
          let outcome: "token" | "auth-error";
          try {
            await client!.auth.getToken();
            outcome = "token";
          } catch (e) {
            // A typed failure the script explains, never a raw RangeError.
            expect(isAuthError(e)).toBe(true);
            if (!isAuthError(e)) throw e;
            expect(e.message).not.toContain(SECRET);
            const explained =
              e.code === "server-error" || // no retry: maxAttempts 1, maxDelayMs < Retry-After, maxElapsedMs < the wait
              (e.code === "rate-limited" && name === "tokenRequestLimit.max") || // max 1: the retry is over the cap
              (e.code === "timeout" && name === "timeoutMs" && (value as number) < 100); // a legitimately short time limit
            expect(explained, `${e.code}: ${e.message}`).toBe(true);
            outcome = "auth-error";
          }
          for (const ms of sleeps) {
            expect(Number.isFinite(ms) && ms >= 0 && ms <= MAX).toBe(true);
          }
          if (outcome === "token") {
            const { response } = await (client as unknown as PlainGet).GET("/ping");
            expect(response.status).toBe(200);
          }
          // The call worked; and the value is one the option documents (not a bound left unchecked).
          expect(documented, `accepted ${String(value)}`).toBe(true);
        }),
        { numRuns: 80 },
      );
    },
    30_000,
  );

  const TYPED: Readonly<Record<string, (value: unknown) => boolean>> = {
    fetch: (v) => typeof v === "function",
    onEvent: (v) => typeof v === "function",
    scopeCheck: (v) => typeof v === "boolean",
    allowInsecureHttp: (v) => typeof v === "boolean",
    dangerouslyAllowBrowser: (v) => typeof v === "boolean",
    clock: (v) =>
      (typeof v === "function" || isRecord(v)) &&
      typeof (v as Record<string, unknown>)["now"] === "function" &&
      ["monotonicNow", "sleep"].every((m) => (v as Record<string, unknown>)[m] == null || typeof (v as Record<string, unknown>)[m] === "function"),
    tokenStore: (v) => isRecord(v) && ["get", "set", "delete"].every((m) => typeof v[m] === "function"),
  };
  const fn = () => {};
  const shapes = fc.constantFrom<unknown>(
    fn,
    Date,
    { now: fn },
    { now: fn, monotonicNow: fn, sleep: fn },
    { now: fn, sleep: 5 },
    { get: fn, set: fn, delete: fn },
    { get: fn, set: fn, delete: fn, coordinate: fn },
    { get: fn, set: fn },
    "true",
    "false",
    0,
    1,
  );

  it.each(Object.keys(TYPED))("%s: any value is accepted exactly when it has the documented type, else refused naming it", (name) => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.boolean(), shapes), (value) => {
        const documented = value === undefined || TYPED[name]!(value);
        const error = thrownBy(() => build({ [name]: value }));
        if (documented) {
          expect(error).toBeUndefined();
        } else {
          expect(error).toBeInstanceOf(InvalidOptionError);
          expect((error as InvalidOptionError).option).toBe(name);
          expect((error as Error).message).not.toContain(SECRET);
        }
      }),
      { numRuns: 150 },
    );
  });
});
