import { describe, expectTypeOf, it } from "vitest";
import { createGetpaidFake, getpaidFakeCredentials, type GetpaidFakeOptions } from "../src/testing/index.js";

// Issue 12, item 10: the documented default `clients` values are accepted back as `clients` entries.

type Clients = NonNullable<GetpaidFakeOptions["clients"]>;

describe("getpaidFakeCredentials as `clients` entries (types)", () => {
  it("accepts the two credentials as they are, and copies with scopes or an audience", () => {
    expectTypeOf(createGetpaidFake).toBeCallableWith({ clients: [getpaidFakeCredentials.live] });
    expectTypeOf(createGetpaidFake).toBeCallableWith({ clients: [getpaidFakeCredentials.live, getpaidFakeCredentials.sandbox] });
    expectTypeOf([{ ...getpaidFakeCredentials.sandbox, scopes: ["invoices:read"] }]).toExtend<Clients>();
    expectTypeOf([{ ...getpaidFakeCredentials.live, audience: "https://api.getpaid.io/v2" }]).toExtend<Clients>();
  });

  it("still requires an environment for any other credential", () => {
    expectTypeOf([{ clientId: "other", clientSecret: "s", environment: "live" as const }]).toExtend<Clients>();
    expectTypeOf([{ clientId: "other", clientSecret: "s" }]).not.toExtend<Clients>();
    expectTypeOf([{ clientId: "other", clientSecret: "s", environment: "staging" as const }]).not.toExtend<Clients>();
  });
});
