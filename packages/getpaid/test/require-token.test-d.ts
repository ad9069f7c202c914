import { http, HttpResponse, type HttpHandler } from "msw";
import { describe, expectTypeOf, it } from "vitest";
import { customScope } from "../src/index.js";
import { createGetpaidFake } from "../src/testing/index.js";

describe("requireToken: the scopes a route needs are typed", () => {
  const fake = createGetpaidFake();
  const route = http.get("*/v1/things", () => HttpResponse.json([]));

  it("takes the provider's scopes and customScope(), and returns an msw handler", () => {
    expectTypeOf(fake.requireToken(route)).toEqualTypeOf<HttpHandler>();
    fake.requireToken(route, { scopes: ["invoices:read"] });
    fake.requireToken(route, { scopes: [customScope("partners:read")] });
  });

  it("refuses a misspelt scope", () => {
    // @ts-expect-error not a scope of the provider: a typo does not compile
    fake.requireToken(route, { scopes: ["invoces:read"] });
  });
});
