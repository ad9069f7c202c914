// A user's own test (scripts/check-user-path.sh runs it with `node --test` in the user's project,
// against the installed tarballs): their getpaid routes, typed by `payauth-generate` from their
// spec, served by msw handlers of theirs behind the getpaid fake's token check.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createGetpaidClient, isAuthError } from "@payauth/getpaid";
import { createGetpaidFake, createHandlersFetch, createManualClock, getpaidFakeCredentials } from "@payauth/getpaid/testing";
import { http, HttpResponse } from "msw";
import type { paths } from "./getpaid/openapi.gen.js";
import { operationScopes } from "./getpaid/operations.gen.js";

const invoice = { id: "inv_1", status: "open", currency: "EUR", total_amount: 1250, customer_id: "cus_1" } as const;

function setup(options: { scopes?: ["invoices:read"] | ["invoices:read_write"]; scopeCheck?: boolean } = {}) {
  const clock = createManualClock();
  const fake = createGetpaidFake({ clock, tokenLifetimeSeconds: 3600 });
  const seen: string[] = [];
  const routes = [
    fake.requireToken(
      http.get("*/invoices/:id", ({ params }) => {
        seen.push(`GET ${String(params["id"])}`);
        return HttpResponse.json({ ...invoice, id: String(params["id"]) });
      }),
      { scopes: ["invoices:read"] },
    ),
    fake.requireToken(
      http.post("*/invoices", async ({ request }) => {
        seen.push("POST");
        const body = (await request.json()) as { customer_id: string; currency: string };
        return HttpResponse.json({ ...invoice, customer_id: body.customer_id, currency: body.currency }, { status: 201 });
      }),
      { scopes: ["invoices:read_write"] },
    ),
  ];
  const getpaid = createGetpaidClient<paths>({
    environment: "sandbox",
    ...getpaidFakeCredentials.sandbox,
    scopes: options.scopes ?? ["invoices:read"],
    operationScopes,
    ...(options.scopeCheck === undefined ? {} : { scopeCheck: options.scopeCheck }),
    clock,
    fetch: createHandlersFetch([...fake.handlers, ...routes]),
  });
  return { clock, fake, seen, getpaid };
}

const read = (getpaid: ReturnType<typeof setup>["getpaid"], id: string) => getpaid.GET("/invoices/{invoiceId}", { params: { path: { invoiceId: id } } });

test("a revoked token: the route refuses it with 401, the client takes a new one and replays", async () => {
  const { fake, seen, getpaid } = setup();
  assert.equal((await read(getpaid, "inv_1")).data?.id, "inv_1");
  fake.revokeToken();
  const { data, response } = await read(getpaid, "inv_2");
  assert.equal(response.status, 200);
  assert.equal(data?.id, "inv_2");
  assert.equal(fake.stats.tokensIssued, 2);
  assert.equal(fake.stats.apiCalls, 3); // the refused attempt, and the replay
  assert.deepEqual(seen, ["GET inv_1", "GET inv_2"]); // the revoked token never reached the route
});

test("an expired token on the fake's clock: refused by the route like a revoked one", async () => {
  const { clock, fake, getpaid } = setup();
  const { accessToken } = await getpaid.auth.getToken();
  clock.advance(3601 * 1000);
  const response = await createHandlersFetch(fake.handlers.concat(fake.requireToken(http.get("*/invoices/:id", () => HttpResponse.json(invoice)))))(
    new Request("https://api.sandbox.getpaid.io/invoices/inv_1", { headers: { authorization: `Bearer ${accessToken}` } }),
  );
  assert.equal(response.status, 401);
  assert.deepEqual(await response.json(), { error: "invalid_token", error_description: "The access token expired" });
  assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token"/);
  assert.equal((await read(getpaid, "inv_3")).response.status, 200); // the client renewed before using it
});

test("a missing scope: the client refuses before sending, or the route answers 403 when the check is off", async () => {
  const checked = setup();
  const body = { customer_id: "cus_9", currency: "EUR", lines: [{ description: "Parking", quantity: 1, unit_amount: 1250 }] };
  await assert.rejects(checked.getpaid.POST("/invoices", { body }), (e) => isAuthError(e, "insufficient-scope") && JSON.stringify(e.details?.["missingScopes"]) === '["invoices:read_write"]');
  assert.deepEqual(checked.seen, []);
  assert.equal(checked.fake.stats.apiCalls, 0);

  const unchecked = setup({ scopeCheck: false });
  const { error, response } = await unchecked.getpaid.POST("/invoices", { body });
  assert.equal(response.status, 403);
  assert.deepEqual(error, { error: "insufficient_scope", error_description: "The access token lacks a required scope" });
  assert.deepEqual(unchecked.seen, []);

  const granted = setup({ scopes: ["invoices:read_write"] });
  const created = await granted.getpaid.POST("/invoices", { body });
  assert.equal(created.response.status, 201);
  assert.equal(created.data?.customer_id, "cus_9");
});

test("failNext('api') reaches the route: a 503 comes back as the response, typed from the spec's error shape", async () => {
  const { fake, getpaid, seen } = setup();
  fake.failNext("api", { status: 503, code: "temporarily_unavailable" });
  const { response } = await read(getpaid, "inv_4");
  assert.equal(response.status, 503);
  assert.deepEqual(seen, []);
});
