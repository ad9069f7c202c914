import { createAutopayFake } from "@payauth/autopay/testing";
import { createHandlersFetch, createManualClock } from "@payauth/auth-core/testing";
import type { ProviderFake } from "@payauth/auth-core/testing";
import { describe, expect, it } from "vitest";
import { Tally } from "./ledger.js";
import { targets } from "./providers.js";

const BROKEN = "/always-401";
const PING = "/payauth-conformance/ping";
const ORIGIN = "https://api.faults.test";
const HOUR = 3_600_000;

/**
 * The documented bound on token requests an endpoint that always answers 401 may cost in an
 * hour: the first token, its replacement, and one more each time the backoff (5 min doubling;
 * Autopay: 1 h doubling, as it warns about excessive tokens) passes.
 */
const BOUND: Record<string, number> = { maxpay: 5, payme: 5, getpaid: 5, autopay: 3 };

/**
 * Issue 13, item 1: an API 401 a new token cannot fix. For every provider, 1,000 calls over an
 * hour to an endpoint that always answers 401 (the provider's own "invalid token" error, with and
 * without RFC 6750's WWW-Authenticate), interleaved with calls to one that works: every working
 * call succeeds, token requests stay within the documented bound, and the Autopay fake (which
 * terminates a credential holding 3 live tokens) never terminates it.
 */
export function describeRejectionStorm(): void {
  describe.each(targets)("$name: an endpoint that always answers 401", (target) => {
    it.each([false, true])("1,000 calls over an hour, WWW-Authenticate %s: working calls all succeed, token requests within the bound", async (challenge) => {
      const clock = createManualClock();
      const fake: ProviderFake =
        target.name === "autopay" ? createAutopayFake({ clock, excessiveTokens: { max: 3, refuse: "terminate" } }) : target.createFake({ clock });
      const handlers = createHandlersFetch(fake.handlers);
      const fetch = async (request: Request): Promise<Response> => {
        if (new URL(request.url).pathname !== BROKEN) return handlers(request);
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (challenge) headers["www-authenticate"] = 'Bearer realm="api", error="invalid_token"';
        // The provider's own words for a bad token, so that its rule alone would replace the token.
        const code = target.name === "maxpay" ? "invalid-token" : "invalid_token";
        return new Response(JSON.stringify(target.errorBody(code, "The access token is invalid")), { status: 401, headers });
      };
      const client = target.createClient({ origin: ORIGIN, fetch, clock }) as unknown as {
        GET(path: string): Promise<{ response: Response }>;
      };
      const tally = new Tally(target.name, `storm: an always-401 endpoint${challenge ? " (WWW-Authenticate)" : ""}, 1,000 calls in 1 h beside working ones`, () => [target.credentials.clientSecret]);
      for (let i = 0; i < 1000; i++) {
        tally.row.faults++;
        await tally.call(() => client.GET(BROKEN), ({ response }) => response.status === 401);
        await tally.call(() => client.GET(PING), ({ response }) => response.status === 200);
        clock.advance(HOUR / 1000);
      }
      tally.row.tokenRequests += fake.stats.tokenRequests;
      tally.row.minimumTokenRequests += 2;
      expect(tally.row.succeeded).toBe(2000);
      expect(fake.stats.tokenRequests).toBeLessThanOrEqual(BOUND[target.name]!);
      expect(fake.stats.tokenRequests).toBeGreaterThanOrEqual(2);
    });
  });
}
