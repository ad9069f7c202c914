import { describe, expectTypeOf, it } from "vitest";
import { customScope, type AccessToken, type GetpaidClient, type GetpaidScope } from "../src/index.js";

declare const getpaid: GetpaidClient;

describe("@payauth/getpaid types", () => {
  it("types the token and its scopes", async () => {
    const token = await getpaid.auth.getToken();
    expectTypeOf(token).toEqualTypeOf<AccessToken<GetpaidScope>>();
    getpaid.auth.hasScope(customScope("added:later"));
    // @ts-expect-error: not a getpaid scope
    getpaid.auth.hasScope("no:such-scope");
  });
});
