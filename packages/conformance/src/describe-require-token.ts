import type { Clock, FetchLike } from "@payauth/auth-core";
import { createHandlersFetch, createManualClock, type FakeFault, type ManualClock, type ProviderFake } from "@payauth/auth-core/testing";
import { http, HttpHandler, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";

/** The calls the tests make on a provider client, to routes its spec does not type. */
export interface GuardedRouteClient {
  auth: { getToken(): Promise<{ accessToken: string }> };
  GET(path: string, init?: { params?: { path?: Record<string, string> } }): Promise<{ response: Response; data?: unknown; error?: unknown }>;
  POST(path: string, init: { body: unknown }): Promise<{ response: Response; data?: unknown }>;
}

/** How the provider's API refuses a request: the status and part of the body it answers with. */
export interface Refusal {
  status: number;
  body: Record<string, unknown>;
}

export interface RequireTokenTarget {
  provider: string;
  createFake(options: { clock: Clock; tokenLifetimeSeconds: number }): ProviderFake<string, any>;
  /** A client of the fake whose API is at `origin`, with the fake's valid credentials. */
  createClient(options: { origin: string; fetch: FetchLike; clock: Clock }): GuardedRouteClient;
  /** A scope the client's token is granted, and one it is not. */
  grantedScope: string;
  missingScope: string;
  /** Headers every API request needs besides the token (Pay-me's `ALG-API-VERSION`). */
  apiHeaders?: Record<string, string>;
  /** The provider's API refusals: a revoked or unknown token, an expired one, a missing token, a missing scope. */
  refusals: { revoked: Refusal; expired: Refusal; missing: Refusal; scope: Refusal };
  /** An API fault for `failNext("api", …)`, and what it answers. */
  apiFault: { fault: FakeFault; expect: Refusal };
}

const ORIGIN = "https://api.guarded.test";
const LIFETIME = 3600;

/** Registers the tests of `fake.requireToken(handler, { scopes })` for one provider. */
export function describeRequireToken(target: RequireTokenTarget): void {
  describe(`${target.provider}: requireToken guards the user's own routes`, () => {
    function setup(scopes: readonly string[] = [target.grantedScope]) {
      const clock: ManualClock = createManualClock();
      const fake = target.createFake({ clock, tokenLifetimeSeconds: LIFETIME });
      const seen: { path: string; body: unknown }[] = [];
      const routes = [
        fake.requireToken(
          http.get(`${ORIGIN}/v1/things/:id`, ({ params }) => {
            seen.push({ path: `/v1/things/${String(params["id"])}`, body: undefined });
            return HttpResponse.json({ id: params["id"], kind: "thing" });
          }),
          { scopes },
        ),
        fake.requireToken(
          http.post(`${ORIGIN}/v1/things`, async ({ request }) => {
            const body: unknown = await request.json();
            seen.push({ path: "/v1/things", body });
            return HttpResponse.json({ created: body }, { status: 201 });
          }),
          { scopes },
        ),
      ];
      const fetch = createHandlersFetch([...fake.handlers, ...routes]);
      const client = target.createClient({ origin: ORIGIN, fetch, clock });
      const direct = (token: string | undefined) =>
        fetch(new Request(`${ORIGIN}/v1/things/7`, { headers: { ...target.apiHeaders, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } }));
      return { clock, fake, seen, client, direct };
    }

    it("a request with a valid token reaches the route, with its path parameters and body", async () => {
      const { fake, seen, client } = setup();
      const got = await client.GET("/v1/things/{id}", { params: { path: { id: "42" } } });
      expect(got.response.status).toBe(200);
      expect(got.data).toEqual({ id: "42", kind: "thing" });
      const created = await client.POST("/v1/things", { body: { name: "a thing" } });
      expect(created.response.status).toBe(201);
      expect(created.data).toEqual({ created: { name: "a thing" } });
      expect(seen).toEqual([
        { path: "/v1/things/42", body: undefined },
        { path: "/v1/things", body: { name: "a thing" } },
      ]);
      expect(fake.stats).toMatchObject({ tokensIssued: 1, apiCalls: 2 });
    });

    it("revokeToken() reaches the route: the client gets the provider's 401, takes a new token and replays once", async () => {
      const { fake, seen, client, direct } = setup();
      const old = (await client.auth.getToken()).accessToken;
      await client.GET("/v1/things/{id}", { params: { path: { id: "1" } } });
      fake.revokeToken();

      const revoked = await direct(old);
      expect(revoked.status).toBe(target.refusals.revoked.status);
      expect(await revoked.json()).toMatchObject(target.refusals.revoked.body);

      const replayed = await client.GET("/v1/things/{id}", { params: { path: { id: "2" } } });
      expect(replayed.response.status).toBe(200);
      expect(fake.stats.tokensIssued).toBe(2);
      expect(seen.map((s) => s.path)).toEqual(["/v1/things/1", "/v1/things/2"]); // the revoked token never reached the route
    });

    it("an expired token (on the fake's clock) and a missing one are refused the provider's way", async () => {
      const { clock, client, direct, seen } = setup();
      const token = (await client.auth.getToken()).accessToken;
      clock.advance((LIFETIME + 1) * 1000);
      const expired = await direct(token);
      expect(expired.status).toBe(target.refusals.expired.status);
      expect(await expired.json()).toMatchObject(target.refusals.expired.body);
      const missing = await direct(undefined);
      expect(missing.status).toBe(target.refusals.missing.status);
      expect(await missing.json()).toMatchObject(target.refusals.missing.body);
      expect(seen).toEqual([]);
    });

    it("a token without every required scope gets the provider's 403, not replayed", async () => {
      const { fake, client, seen } = setup([target.grantedScope, target.missingScope]);
      const got = await client.GET("/v1/things/{id}", { params: { path: { id: "3" } } });
      expect(got.response.status).toBe(target.refusals.scope.status);
      expect(got.error).toMatchObject(target.refusals.scope.body); // openapi-fetch read the body as `error`
      expect(fake.stats.tokensIssued).toBe(1);
      expect(seen).toEqual([]);
    });

    it("failNext('api', …) answers the user's route too", async () => {
      const { fake, client, seen } = setup();
      fake.failNext("api", target.apiFault.fault);
      const got = await client.GET("/v1/things/{id}", { params: { path: { id: "4" } } });
      expect(got.response.status).toBe(target.apiFault.expect.status);
      expect(got.error).toMatchObject(target.apiFault.expect.body);
      expect(seen).toEqual([]);
      expect((await client.GET("/v1/things/{id}", { params: { path: { id: "5" } } })).response.status).toBe(200);
    });

    it("guards only what the handler matches, and takes only msw HTTP handlers", async () => {
      const { fake, client } = setup();
      expect((await client.GET("/v1/elsewhere")).response.status).toBe(404); // no handler: the fake's 404, not a 401
      expect(fake.stats.apiCalls).toBe(0);
      expect(() => fake.requireToken((() => undefined) as unknown as HttpHandler)).toThrow(TypeError);
      expect(() => fake.requireToken(http.get(`${ORIGIN}/x`, () => undefined), { scopes: ["two words"] })).toThrow(TypeError);
    });
  });
}
