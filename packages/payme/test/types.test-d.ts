import { describe, expectTypeOf, it } from "vitest";
import type { Infer } from "@payauth/auth-core";
import {
  createPayMeClient,
  customScope,
  isAuthError,
  PAYME_API_VERSION,
  payMeOperationScopes,
  type AccessToken,
  type AuthErrorCode,
  type OperationKey,
  type paths,
  type PayMeOperation,
  type PayMeClient,
  type PayMeClientOptions,
  type PayMeEnvironment,
  type PayMeErrorDetails,
  type PayMeScope,
  type PayMeTokenRequest,
  type PayMeTokenResponse,
} from "../src/index.js";
import type { components } from "../src/generated/openapi.gen.js";
import type { TokenRefusalSchema, TokenRequestSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";

declare const payMe: PayMeClient;
const credentials = { clientId: "id", clientSecret: "secret" };

describe("@payauth/payme types", () => {
  it("has the documented scopes as a literal union, and customScope for others", () => {
    expectTypeOf<PayMeScope>().toEqualTypeOf<"create:token" | "post:charges" | "get:charges" | "delete:charges">();
    createPayMeClient({ environment: "preprod", ...credentials, scopes: ["post:charges", "get:charges"] });
    createPayMeClient({ environment: "production", ...credentials, scopes: ["create:token", "delete:charges", customScope("refunds:create")] });
    // @ts-expect-error: not a Pay-me scope (a typo)
    createPayMeClient({ environment: "preprod", ...credentials, scopes: ["post:charge"] });
    // @ts-expect-error: a plain string is not a custom scope
    createPayMeClient({ environment: "preprod", ...credentials, scopes: ["refunds:create" as string] });
    payMe.auth.hasScope(customScope("added:later"));
    payMe.auth.hasScope("delete:charges");
    // @ts-expect-error: not a Pay-me scope
    payMe.auth.hasScope("no:such-scope");
  });

  it("requires an environment from a literal union", () => {
    expectTypeOf<PayMeEnvironment>().toEqualTypeOf<"preprod" | "production">();
    expectTypeOf<PayMeClientOptions["environment"]>().toEqualTypeOf<PayMeEnvironment>();
    // @ts-expect-error: environment is required
    createPayMeClient({ ...credentials });
    // @ts-expect-error: not a Pay-me environment
    createPayMeClient({ environment: "prod", ...credentials });
    // @ts-expect-error: not a Pay-me environment
    createPayMeClient({ environment: "sandbox", ...credentials });
  });

  it("types the token", async () => {
    const token = await payMe.auth.getToken();
    expectTypeOf(token).toEqualTypeOf<AccessToken<PayMeScope>>();
    expectTypeOf(token.tokenType).toEqualTypeOf<"Bearer">();
    expectTypeOf(token.scopes).toEqualTypeOf<readonly PayMeScope[]>();
    expectTypeOf(token.expiresAt).toBeNumber();
  });

  it("has a closed AuthError code union to switch on exhaustively", () => {
    const describeCode = (code: AuthErrorCode): string => {
      switch (code) {
        case "invalid-credentials":
        case "insufficient-scope":
        case "token-expired":
        case "invalid-token":
        case "rate-limited":
        case "invalid-request":
        case "server-error":
        case "network-error":
        case "timeout":
        case "invalid-response":
          return code;
        default: {
          const unreachable: never = code;
          return unreachable;
        }
      }
    };
    expectTypeOf(describeCode).parameter(0).toEqualTypeOf<AuthErrorCode>();
    const error: unknown = new Error();
    if (isAuthError(error, "invalid-request")) {
      expectTypeOf(error.code).toEqualTypeOf<"invalid-request">();
      const details = error.details as PayMeErrorDetails | undefined;
      expectTypeOf(details!.messages[0]!.value).toBeString();
    }
    // @ts-expect-error: not an AuthError code
    isAuthError(error, "teapot");
  });

  it("types the token request from the spec, ALG-API-VERSION included", () => {
    expectTypeOf(PAYME_API_VERSION).toEqualTypeOf<"1709847567">();
    expectTypeOf<PayMeTokenRequest["action"]>().toEqualTypeOf<"authorize">();
    expectTypeOf<PayMeTokenRequest["grant_type"]>().toEqualTypeOf<"client_credentials">();
    expectTypeOf<PayMeTokenRequest["scope"]>().toBeString();
    expectTypeOf<PayMeTokenResponse["success"]>().toEqualTypeOf<true>();
  });

  it("generates the scopes each operation needs: the token endpoint needs none", () => {
    expectTypeOf(payMeOperationScopes).toEqualTypeOf<{ readonly "POST /token": readonly [readonly []] }>();
    expectTypeOf<PayMeOperation>().toEqualTypeOf<OperationKey<paths>>();
    createPayMeClient({ environment: "preprod", ...credentials, operationScopes: payMeOperationScopes, scopeCheck: false });
    // @ts-expect-error: not an operation of specs/payme.yaml (pass your own paths to name yours)
    createPayMeClient({ environment: "preprod", ...credentials, operationScopes: { "POST /charges": [["post:charges"]] } });
  });

  it("types each generated validator with its schema's openapi-typescript type", () => {
    // One spec, two outputs: the validator checks exactly what the type describes.
    expectTypeOf<Infer<typeof TokenRequestSchema>>().toEqualTypeOf<components["schemas"]["TokenRequest"]>();
    expectTypeOf<Infer<typeof TokenResponseSchema>>().toEqualTypeOf<components["schemas"]["TokenResponse"]>();
    expectTypeOf<Infer<typeof TokenRefusalSchema>>().toEqualTypeOf<components["schemas"]["TokenRefusal"]>();
    expectTypeOf<Infer<typeof TokenRefusalSchema>["success"]>().toEqualTypeOf<false>();
    expectTypeOf<Infer<typeof TokenResponseSchema>["success"]>().toEqualTypeOf<true>();
  });
});
