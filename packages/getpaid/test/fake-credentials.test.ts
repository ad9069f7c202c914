import { describe, expect, expectTypeOf, it } from "vitest";
import { createGetpaidClient, GETPAID_AUDIENCES } from "../src/index.js";
import { createGetpaidFake, createHandlersFetch, createManualClock, getpaidFakeCredentials, type GetpaidFakeOptions } from "../src/testing/index.js";

// Issue 12, item 10: the README says the fake's `clients` default is `getpaidFakeCredentials.live`
// and `.sandbox`; those documented values can be passed back as `clients` entries as they are.

const once = { maxAttempts: 1 };

describe("getpaidFakeCredentials as `clients` entries (issue 12, item 10)", () => {
  it("type-checks as documented: the two credentials, copies with scopes, and full entries", () => {
    expectTypeOf([getpaidFakeCredentials.live]).toExtend<NonNullable<GetpaidFakeOptions["clients"]>>();
    expectTypeOf([getpaidFakeCredentials.live, getpaidFakeCredentials.sandbox]).toExtend<NonNullable<GetpaidFakeOptions["clients"]>>();
    createGetpaidFake({ clients: [getpaidFakeCredentials.live] });
    createGetpaidFake({ clients: [{ ...getpaidFakeCredentials.sandbox, scopes: ["invoices:read"] }] });
    createGetpaidFake({ clients: [{ clientId: "other", clientSecret: "other-secret", environment: "live" }] });
    // @ts-expect-error: a credential the fake does not know needs its environment
    createGetpaidFake({ clients: [{ clientId: "other", clientSecret: "other-secret" }] });
  });

  it("createGetpaidFake({ clients: [getpaidFakeCredentials.live] }): a live client gets a token, a sandbox one does not", async () => {
    const clock = createManualClock();
    const fake = createGetpaidFake({ clients: [getpaidFakeCredentials.live], clock });
    const fetch = createHandlersFetch(fake.handlers);

    const live = createGetpaidClient({ environment: "live", ...getpaidFakeCredentials.live, fetch, clock, retry: once });
    const token = await live.auth.getToken();
    expect(token.accessToken).toEqual(expect.any(String));
    expect(fake.stats.tokensIssued).toBe(1);

    // The live credential with the sandbox audience is refused (403), and the sandbox one is not listed (401).
    const crossed = createGetpaidClient({ ...getpaidFakeCredentials.live, environment: "sandbox", fetch, clock, retry: once });
    await expect(crossed.auth.getToken()).rejects.toMatchObject({ code: "invalid-credentials", status: 403 });
    const sandbox = createGetpaidClient({ environment: "sandbox", ...getpaidFakeCredentials.sandbox, fetch, clock, retry: once });
    await expect(sandbox.auth.getToken()).rejects.toMatchObject({ code: "invalid-credentials", status: 401 });
  });

  it("a sandbox copy with scopes is a sandbox credential with those scopes", async () => {
    const clock = createManualClock();
    const fake = createGetpaidFake({ clients: [{ ...getpaidFakeCredentials.sandbox, scopes: ["invoices:read"] }], clock, includeScope: true });
    const fetch = createHandlersFetch(fake.handlers);
    const sandbox = createGetpaidClient({ environment: "sandbox", ...getpaidFakeCredentials.sandbox, fetch, clock, retry: once, scopes: ["invoices:read"] });
    expect((await sandbox.auth.getToken()).scopes).toEqual(["invoices:read"]);
    const wider = createGetpaidClient({ environment: "sandbox", ...getpaidFakeCredentials.sandbox, fetch, clock, retry: once, scopes: ["invoices:read_write"] });
    await expect(wider.auth.getToken()).rejects.toMatchObject({ code: "insufficient-scope" });
  });

  it("the default is exactly those two credentials, and they stay frozen { clientId, clientSecret } objects", async () => {
    expect(Object.isFrozen(getpaidFakeCredentials.live)).toBe(true);
    expect(Object.keys(getpaidFakeCredentials.live).sort()).toEqual(["clientId", "clientSecret"]);
    const clock = createManualClock();
    const fake = createGetpaidFake({ clock });
    const fetch = createHandlersFetch(fake.handlers);
    for (const environment of ["live", "sandbox"] as const) {
      const client = createGetpaidClient({ environment, ...getpaidFakeCredentials[environment], fetch, clock, retry: once });
      await client.auth.getToken();
    }
    expect(fake.stats.tokensIssued).toBe(2);
    expect(GETPAID_AUDIENCES.live).toBe("https://api.getpaid.io");
  });
});
