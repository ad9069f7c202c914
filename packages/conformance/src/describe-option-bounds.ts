import { InvalidOptionError, type FetchLike } from "@payauth/auth-core";
import { describe, expect, it } from "vitest";

/** Options as a user might pass them from JavaScript or untyped config: any value. */
export type AnyOptions = Record<string, unknown>;

export interface OptionBoundsTarget {
  /** The provider's short name, as error messages start: `@payauth/<provider>: option …`. */
  provider: string;
  /** The factory's name, for the suite's title. */
  factory: string;
  /** A client from the fake's credentials with `options` over them (any values: they are what is tested). */
  make: (options?: AnyOptions) => { auth: { getToken(): Promise<unknown> } };
  /** The credentials' secret: never in a refusal. */
  secret: string;
  /** The provider's API base URL, as documented. */
  baseUrl: string;
  /** The provider's token URL, as documented. */
  tokenUrl: string;
}

/**
 * Issue 12, item 8, through a provider's factory: options that were accepted and failed later are
 * refused at construction with an `InvalidOptionError` naming the option, never showing the secret.
 */
export function describeOptionBounds({ provider, factory, make, secret, baseUrl, tokenUrl }: OptionBoundsTarget): void {
  function refused(fn: () => unknown, option: string): void {
    let thrown: unknown;
    try {
      fn();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect((thrown as InvalidOptionError).option).toBe(option);
    expect((thrown as Error).message).toMatch(new RegExp(`^@payauth/${provider}: option \`${option.replace(".", "\\.")}\` `));
    expect((thrown as Error).message).not.toContain(secret);
  }

  describe(`${factory}: options refused at construction (issue 12, item 8)`, () => {
    // A token URL built from baseUrl (Max Pay's login): the refusal names baseUrl, not a URL the user never wrote.
    it.each([`${baseUrl}?tenant=1`, `${baseUrl}/?`, `${baseUrl}/#top`, `${baseUrl}/v1#`, `${baseUrl}/?key=${secret}`])(
      "refuses baseUrl %s (a query or a fragment), naming baseUrl",
      (url) => refused(() => make({ baseUrl: url }), "baseUrl"),
    );

    it("refuses a tokenUrl with a fragment, and keeps one with a query", async () => {
      refused(() => make({ tokenUrl: `${tokenUrl}#x` }), "tokenUrl");
      const sent: string[] = [];
      const fetch: FetchLike = async (request) => {
        sent.push(request.url);
        return new Response("", { status: 503 });
      };
      const client = make({ tokenUrl: `${tokenUrl}?api-version=2`, fetch, retry: { maxAttempts: 1 } });
      await expect(client.auth.getToken()).rejects.toMatchObject({ code: "server-error" });
      expect(sent).toEqual([`${tokenUrl}?api-version=2`]);
    });

    it.each<[string, AnyOptions]>([
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
}
