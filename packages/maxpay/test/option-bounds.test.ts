import { describe, expect, it } from "vitest";
import { createMaxPayClient, InvalidOptionError, type FetchLike } from "../src/index.js";
import { maxPayFakeCredentials } from "../src/testing/index.js";

// Issue 12, item 8, through this provider's factory: options that were accepted and failed later
// are refused at construction, naming the option, never showing the secret.

const SECRET = maxPayFakeCredentials.clientSecret;
/** Options as a user might pass them from JavaScript or untyped config: any value. */
type Options = Record<string, unknown>;
const make = (options: Options = {}) => createMaxPayClient({ baseUrl: "https://api.maxpay.test", ...maxPayFakeCredentials, ...options } as Parameters<typeof createMaxPayClient>[0]);

function refused(fn: () => unknown, option: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidOptionError);
  expect((thrown as InvalidOptionError).option).toBe(option);
  expect((thrown as Error).message).toMatch(new RegExp(`^@payauth/maxpay: option \`${option.replace(".", "\\.")}\` `));
  expect((thrown as Error).message).not.toContain(SECRET);
}

describe("createMaxPayClient: options refused at construction (issue 12, item 8)", () => {
  // Max Pay's login URL is built from baseUrl (`${baseUrl}/v1/auth/login`): the refusal names baseUrl, not a URL the user never wrote.
  it.each(["https://api.maxpay.test?tenant=1", "https://api.maxpay.test/?", "https://api.maxpay.test/#top", "https://api.maxpay.test/v1#", `https://api.maxpay.test/?key=${SECRET}`])(
    "refuses baseUrl %s (a query or a fragment), naming baseUrl",
    (baseUrl) => refused(() => make({ baseUrl }), "baseUrl"),
  );

  it("refuses a tokenUrl with a fragment, and keeps one with a query", async () => {
    refused(() => make({ tokenUrl: "https://api.maxpay.test/v1/auth/login#x" }), "tokenUrl");
    const sent: string[] = [];
    const fetch: FetchLike = async (request) => {
      sent.push(request.url);
      return new Response("", { status: 503 });
    };
    const client = make({ tokenUrl: "https://api.maxpay.test/v1/auth/login?api-version=2", fetch, retry: { maxAttempts: 1 } });
    await expect(client.auth.getToken()).rejects.toMatchObject({ code: "server-error" });
    expect(sent).toEqual(["https://api.maxpay.test/v1/auth/login?api-version=2"]);
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
