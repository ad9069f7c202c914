import { describe, expect, it } from "vitest";
import { createAutopayClient, InvalidOptionError, type FetchLike } from "../src/index.js";
import { autopayFakeCredentials } from "../src/testing/index.js";

// Issue 12, item 8, through this provider's factory: options that were accepted and failed later
// are refused at construction, naming the option, never showing the secret.

const SECRET = autopayFakeCredentials.clientSecret;
/** Options as a user might pass them from JavaScript or untyped config: any value. */
type Options = Record<string, unknown>;
const make = (options: Options = {}) => createAutopayClient({ ...autopayFakeCredentials, ...options } as Parameters<typeof createAutopayClient>[0]);

function refused(fn: () => unknown, option: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidOptionError);
  expect((thrown as InvalidOptionError).option).toBe(option);
  expect((thrown as Error).message).toMatch(new RegExp(`^@payauth/autopay: option \`${option.replace(".", "\\.")}\` `));
  expect((thrown as Error).message).not.toContain(SECRET);
}

describe("createAutopayClient: options refused at construction (issue 12, item 8)", () => {
  it.each(["https://api.autopay.io?tenant=1", "https://api.autopay.io/?", "https://api.autopay.io/#top", "https://api.autopay.io/v1#", `https://api.autopay.io/?key=${SECRET}`])(
    "refuses baseUrl %s (a query or a fragment), naming baseUrl",
    (baseUrl) => refused(() => make({ baseUrl }), "baseUrl"),
  );

  it("refuses a tokenUrl with a fragment, and keeps one with a query", async () => {
    refused(() => make({ tokenUrl: "https://api-auth.autopay.io/oauth/token#x" }), "tokenUrl");
    const sent: string[] = [];
    const fetch: FetchLike = async (request) => {
      sent.push(request.url);
      return new Response("", { status: 503 });
    };
    const client = make({ tokenUrl: "https://api-auth.autopay.io/oauth/token?api-version=2", fetch, retry: { maxAttempts: 1 } });
    await expect(client.auth.getToken()).rejects.toMatchObject({ code: "server-error" });
    expect(sent).toEqual(["https://api-auth.autopay.io/oauth/token?api-version=2"]);
  });

  it.each<[string, Options]>([
    ["timeoutMs", { timeoutMs: 0.5 }],
    ["timeoutMs", { timeoutMs: 3e9 }],
    ["retry.maxDelayMs", { retry: { maxDelayMs: 4e9 } }],
    ["tokenRequestLimit.windowMs", { tokenRequestLimit: { max: 10, windowMs: 2 ** 31 } }],
    ["circuitBreaker.failureThreshold", { circuitBreaker: { failureThreshold: 1.5, cooldownMs: 1000 } }],
    ["refreshWindowSeconds", { refreshWindowSeconds: 3e6 }],
    ["clock", { clock: {} }],
    ["allowInsecureHttp", { allowInsecureHttp: "true" }],
    ["dangerouslyAllowBrowser", { dangerouslyAllowBrowser: 1 }],
  ])("refuses %s: %o", (option, options) => refused(() => make(options), option));
});
