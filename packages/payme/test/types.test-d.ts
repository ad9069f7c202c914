import { describe, expectTypeOf, it } from "vitest";
import { customScope, type AccessToken, type PayMeClient, type PayMeScope } from "../src/index.js";

declare const payMe: PayMeClient;

describe("@payauth/payme types", () => {
  it("types the token and its scopes", async () => {
    const token = await payMe.auth.getToken();
    expectTypeOf(token).toEqualTypeOf<AccessToken<PayMeScope>>();
    payMe.auth.hasScope(customScope("added:later"));
    // @ts-expect-error: not a Pay-me scope
    payMe.auth.hasScope("no:such-scope");
  });
});
