import { describe, expectTypeOf, it } from "vitest";
import { customScope, type AccessToken, type AutopayClient, type AutopayScope } from "../src/index.js";

declare const autopay: AutopayClient;

describe("@payauth/autopay types", () => {
  it("types the token and its scopes", async () => {
    const token = await autopay.auth.getToken();
    expectTypeOf(token).toEqualTypeOf<AccessToken<AutopayScope>>();
    autopay.auth.hasScope(customScope("added:later"));
    // @ts-expect-error: not a Autopay scope
    autopay.auth.hasScope("no:such-scope");
  });
});
