import { afterEach, describe, expect, it, vi } from "vitest";
import { createProviderClient, type CommonClientOptions, type ProviderClientConfig, type ProviderDefinition } from "../src/create-provider-client.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { AuthEvent, FetchLike } from "../src/types.js";
import { InvalidOptionError } from "../src/validate-options.js";

const SECRET = "s3cr3t-value";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

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

const validOptions: CommonClientOptions = { clientId: "client-1", clientSecret: SECRET, fetch: async () => Response.json({ access_token: "tok" }) };
const validConfig: ProviderClientConfig = { baseUrl: "https://api.acme.test", tokenUrl: "https://auth.acme.test/oauth/token" };

function build(options: Partial<CommonClientOptions> | Record<string, unknown> = {}, config: Partial<ProviderClientConfig> = {}) {
  return createProviderClient(acme, { ...validOptions, ...options } as CommonClientOptions, { ...validConfig, ...config });
}

/** The InvalidOptionError `fn` throws, checked to name `option` and to be free of the secret. */
function optionError(fn: () => unknown, option: string): InvalidOptionError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidOptionError);
  const error = thrown as InvalidOptionError;
  expect(error.option).toBe(option);
  expect(error.message.startsWith(`@payauth/acme: option \`${option}\` `)).toBe(true);
  expect(error.message).not.toContain(SECRET);
  return error;
}

describe("createProviderClient: http:// URLs", () => {
  it.each<[keyof ProviderClientConfig, string]>([
    ["baseUrl", "http://api.acme.test"],
    ["tokenUrl", "http://auth.acme.test/oauth/token"],
    ["baseUrl", "http://10.0.0.5:8080"],
    ["tokenUrl", "http://localhost.evil.test/token"],
    ["tokenUrl", "http://127.0.0.1.nip.io/token"],
    ["baseUrl", "http://[::2]"],
  ])("refuses %s %s (not loopback), naming the option", (option, url) => {
    const error = optionError(() => build({}, { [option]: url }), option);
    expect(error.message).toContain("allowInsecureHttp");
  });

  it.each<[keyof ProviderClientConfig, string]>([
    ["baseUrl", "http://api.acme.test"],
    ["tokenUrl", "http://auth.acme.test/oauth/token"],
  ])("allows %s %s with allowInsecureHttp: true", (option, url) => {
    expect(() => build({ allowInsecureHttp: true }, { [option]: url })).not.toThrow();
  });

  it.each(["http://localhost", "http://localhost:3000/api", "http://127.0.0.1:8080", "http://127.1.2.3", "http://[::1]", "http://[::1]:9000/v1"])(
    "allows the loopback URL %s without allowInsecureHttp",
    (url) => {
      expect(() => build({}, { baseUrl: url, tokenUrl: `${url}/token` })).not.toThrow();
    },
  );

  it("still refuses a non-http scheme and credentials with allowInsecureHttp: true", () => {
    optionError(() => build({ allowInsecureHttp: true }, { baseUrl: "ftp://api.acme.test" }), "baseUrl");
    optionError(() => build({ allowInsecureHttp: true }, { tokenUrl: "http://u:p@auth.acme.test/t" }), "tokenUrl");
  });

  it("allowInsecureHttp must be exactly true: a truthy string does not count", () => {
    optionError(() => build({ allowInsecureHttp: "yes" }, { baseUrl: "http://api.acme.test" }), "baseUrl");
  });

  it("sends the token request to an allowed http:// loopback tokenUrl", async () => {
    const fetch = vi.fn<FetchLike>(async () => Response.json({ access_token: "loopback-token" }));
    const client = build({ fetch, clock: createManualClock() }, { baseUrl: "http://127.0.0.1:8080", tokenUrl: "http://127.0.0.1:8080/token" });
    expect((await client.auth.getToken()).accessToken).toBe("loopback-token");
    expect(fetch.mock.calls[0]?.[0].url).toBe("http://127.0.0.1:8080/token");
  });
});

describe("createProviderClient: retry, tokenRequestLimit, circuitBreaker, onEvent", () => {
  it.each<[string, unknown, string, string]>([
    ["maxAttempts 0", { maxAttempts: 0 }, "retry.maxAttempts", "must be a finite number >= 1"],
    ["maxAttempts 1.5", { maxAttempts: 1.5 }, "retry.maxAttempts", "must be a whole number >= 1"],
    ["maxAttempts -1", { maxAttempts: -1 }, "retry.maxAttempts", "must be a finite number >= 1"],
    ["maxAttempts Infinity", { maxAttempts: Number.POSITIVE_INFINITY }, "retry.maxAttempts", "must be a finite number >= 1"],
    ["maxAttempts as a string", { maxAttempts: "3" }, "retry.maxAttempts", "must be a finite number >= 1"],
    ["a negative baseDelayMs", { baseDelayMs: -1 }, "retry.baseDelayMs", "must be a finite number >= 0"],
    ["a negative maxDelayMs", { maxDelayMs: -100 }, "retry.maxDelayMs", "must be a finite number >= 0"],
    ["a NaN maxElapsedMs", { maxElapsedMs: Number.NaN }, "retry.maxElapsedMs", "must be a finite number >= 0"],
    ["a number", 3, "retry", "must be an object"],
    ["null", null, "retry", "must be an object"],
  ])("rejects retry with %s", (_, retry, option, problem) => {
    const error = optionError(() => build({ retry }), option);
    expect(error.message).toBe(`@payauth/acme: option \`${option}\` ${problem}`);
  });

  it("accepts a valid retry, an empty one and zero delays", () => {
    expect(() => build({ retry: { maxAttempts: 1 } })).not.toThrow();
    expect(() => build({ retry: {} })).not.toThrow();
    expect(() => build({ retry: { maxAttempts: 5, baseDelayMs: 0, maxDelayMs: 0, maxElapsedMs: 0 } })).not.toThrow();
  });

  it.each<[string, string, unknown, string, string]>([
    ["tokenRequestLimit", "max 0", { max: 0, windowMs: 60_000 }, "tokenRequestLimit.max", "must be a finite number > 0"],
    ["tokenRequestLimit", "a missing windowMs", { max: 3 }, "tokenRequestLimit.windowMs", "is required"],
    ["tokenRequestLimit", "a missing max", { windowMs: 1000 }, "tokenRequestLimit.max", "is required"],
    ["tokenRequestLimit", "a negative windowMs", { max: 3, windowMs: -1 }, "tokenRequestLimit.windowMs", "must be a finite number > 0"],
    ["tokenRequestLimit", "true", true, "tokenRequestLimit", "must be false or { max, windowMs }"],
    ["tokenRequestLimit", "null", null, "tokenRequestLimit", "must be false or { max, windowMs }"],
    ["circuitBreaker", "failureThreshold 0", { failureThreshold: 0, cooldownMs: 1000 }, "circuitBreaker.failureThreshold", "must be a finite number > 0"],
    ["circuitBreaker", "a missing cooldownMs", { failureThreshold: 2 }, "circuitBreaker.cooldownMs", "is required"],
    ["circuitBreaker", "a string", "off", "circuitBreaker", "must be false or { failureThreshold, cooldownMs }"],
  ])("rejects %s with %s", (option, _, value, named, problem) => {
    const error = optionError(() => build({ [option]: value }), named);
    expect(error.message).toBe(`@payauth/acme: option \`${named}\` ${problem}`);
  });

  it("accepts false and valid objects for tokenRequestLimit and circuitBreaker", () => {
    expect(() => build({ tokenRequestLimit: false, circuitBreaker: false })).not.toThrow();
    expect(() => build({ tokenRequestLimit: { max: 1, windowMs: 1 }, circuitBreaker: { failureThreshold: 1, cooldownMs: 1 } })).not.toThrow();
  });

  it.each([
    ["a string", "console.log"],
    ["an object", { log: () => {} }],
    ["null", null],
  ])("rejects onEvent that is %s", (_, onEvent) => {
    const error = optionError(() => build({ onEvent }), "onEvent");
    expect(error.message).toBe("@payauth/acme: option `onEvent` must be a function");
  });

  it("wires retry, tokenRequestLimit and onEvent into the client's token manager", async () => {
    const events: AuthEvent[] = [];
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls += 1;
      return calls === 1 ? new Response("", { status: 503 }) : Response.json({ access_token: `tok-${calls}` });
    };
    const client = build({ fetch, clock: createManualClock(), retry: { maxAttempts: 2, baseDelayMs: 0 }, tokenRequestLimit: { max: 2, windowMs: 60_000 }, onEvent: (e: AuthEvent) => events.push(e) });

    expect((await client.auth.getToken()).accessToken).toBe("tok-2");
    expect(events.map((e) => e.type)).toEqual(["token-request-retried", "token-fetched"]);
    // The limit of 2 is used up by the retry.
    await client.auth.invalidate();
    await expect(client.auth.getToken()).rejects.toMatchObject({ code: "rate-limited" });
    expect(calls).toBe(2);
    expect(events.at(-1)).toMatchObject({ type: "token-request-refused", reason: "request-limit", provider: "acme" });
  });

  it("wires circuitBreaker into the client's token manager", async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls += 1;
      return new Response("", { status: 401 });
    };
    const client = build({ fetch, clock: createManualClock(), circuitBreaker: { failureThreshold: 1, cooldownMs: 5000 } });

    await expect(client.auth.getToken()).rejects.toMatchObject({ code: "invalid-credentials" });
    await expect(client.auth.getToken()).rejects.toMatchObject({ code: "invalid-credentials", retryAfterMs: 5000 });
    expect(calls).toBe(1);
  });
});

describe("createProviderClient: the browser guard", () => {
  const g = globalThis as { window?: unknown; document?: unknown; importScripts?: unknown };
  const saved = {
    window: Object.getOwnPropertyDescriptor(globalThis, "window"),
    document: Object.getOwnPropertyDescriptor(globalThis, "document"),
    importScripts: Object.getOwnPropertyDescriptor(globalThis, "importScripts"),
  };

  afterEach(() => {
    for (const [name, descriptor] of Object.entries(saved)) {
      if (descriptor === undefined) delete (globalThis as Record<string, unknown>)[name];
      else Object.defineProperty(globalThis, name, descriptor);
    }
  });

  it("is not triggered in Node", () => {
    expect(g.window).toBeUndefined();
    expect(g.document).toBeUndefined();
    expect(() => build()).not.toThrow();
  });

  it("refuses to create a client when window and document exist, naming dangerouslyAllowBrowser", () => {
    g.window = {};
    g.document = {};
    const error = optionError(() => build(), "dangerouslyAllowBrowser");
    expect(error.message).toContain("client secret would be exposed");
  });

  it("refuses in a web worker (importScripts is a function)", () => {
    g.importScripts = () => {};
    optionError(() => build(), "dangerouslyAllowBrowser");
  });

  it("checks the browser before anything else, even invalid options", () => {
    g.window = {};
    g.document = {};
    optionError(() => build({ clientId: "" }), "dangerouslyAllowBrowser");
  });

  it("allows it with dangerouslyAllowBrowser: true", async () => {
    g.window = {};
    g.document = {};
    const client = build({ dangerouslyAllowBrowser: true, clock: createManualClock() });
    expect((await client.auth.getToken()).accessToken).toBe("tok");
  });

  it("a truthy non-true dangerouslyAllowBrowser does not count", () => {
    g.window = {};
    g.document = {};
    optionError(() => build({ dangerouslyAllowBrowser: "true" }), "dangerouslyAllowBrowser");
  });

  it("window without document (e.g. Deno) is not a browser", () => {
    g.window = {};
    expect(() => build()).not.toThrow();
  });

  it("the globals are restored after each test", () => {
    expect(g.window).toBeUndefined();
    expect(g.document).toBeUndefined();
    expect(g.importScripts).toBeUndefined();
  });
});
