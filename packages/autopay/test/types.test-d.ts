import { describe, expectTypeOf, it } from "vitest";
import type { Infer } from "@payauth/auth-core";
import type { components } from "../src/generated/openapi.gen.js";
import type { OAuthErrorSchema, TokenRequestSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";
import {
  AUTOPAY_AUDIENCE,
  AUTOPAY_ERROR_CODES,
  autopayOperationScopes,
  autopayScopes,
  createAutopayClient,
  customScope,
  isAuthError,
  type AccessToken,
  type AuthErrorCode,
  type AutopayClient,
  type AutopayClientOptions,
  type AutopayOperation,
  type AutopayOperationScope,
  type OperationKey,
  type paths,
  type AutopayError,
  type AutopayErrorCode,
  type AutopayScope,
  type AutopayTokenRequest,
} from "../src/index.js";
import { createAutopayFake, type AutopayFakeErrorCode } from "../src/testing/index.js";

declare const autopay: AutopayClient;

describe("@payauth/autopay types", () => {
  it("creates a client from clientId and clientSecret alone", () => {
    expectTypeOf(createAutopayClient({ clientId: "id", clientSecret: "secret" })).toEqualTypeOf<AutopayClient>();
    // @ts-expect-error: clientSecret is required
    createAutopayClient({ clientId: "id" });
  });

  it("types the token and its scopes as a literal union", async () => {
    const token = await autopay.auth.getToken();
    expectTypeOf(token).toEqualTypeOf<AccessToken<AutopayScope>>();
    expectTypeOf(token.tokenType).toEqualTypeOf<"Bearer">();
    expectTypeOf(token.expiresAt).toBeNumber();
    expectTypeOf(token.scopes).toEqualTypeOf<readonly AutopayScope[]>();
    expectTypeOf<AutopayScope>().toEqualTypeOf<"customer_club">();
    expectTypeOf(autopayScopes).toEqualTypeOf<readonly ["customer_club"]>();
    autopay.auth.hasScope("customer_club");
    autopay.auth.hasScope(customScope("added:later"));
    // @ts-expect-error: not an Autopay scope (a typo)
    autopay.auth.hasScope("customer-club");
    // @ts-expect-error: a plain string is not a scope; use customScope()
    autopay.auth.hasScope("added:later" as string);
  });

  it("takes no scopes and no environment, and an audience string", () => {
    const base = { clientId: "id", clientSecret: "secret" };
    // @ts-expect-error: Autopay's token request asks for no scopes
    createAutopayClient({ ...base, scopes: ["customer_club"] });
    // @ts-expect-error: Autopay documents one environment
    createAutopayClient({ ...base, environment: "sandbox" });
    createAutopayClient({ ...base, audience: "https://api.autopay.io", baseUrl: "https://proxy.test", tokenUrl: "https://proxy.test/oauth/token" });
    expectTypeOf<AutopayClientOptions["audience"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf(AUTOPAY_AUDIENCE).toEqualTypeOf<"https://api.autopay.io">();
    expectTypeOf<AutopayTokenRequest["audience"]>().toEqualTypeOf<"https://api.autopay.io">();
    expectTypeOf<AutopayTokenRequest["grant_type"]>().toEqualTypeOf<"client_credentials">();
    expectTypeOf<AutopayTokenRequest>().not.toHaveProperty("scope");
  });

  it("has closed error code unions to switch on exhaustively", () => {
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
    if (isAuthError(error, "invalid-credentials")) expectTypeOf(error.code).toEqualTypeOf<"invalid-credentials">();
    // @ts-expect-error: not an AuthError code
    isAuthError(error, "access_denied");
    expectTypeOf<AutopayErrorCode>().toEqualTypeOf<"access_denied">();
    expectTypeOf(AUTOPAY_ERROR_CODES).toEqualTypeOf<Readonly<Record<AutopayErrorCode, AuthErrorCode>>>();
    expectTypeOf<AutopayError>().toEqualTypeOf<{ error: string; error_description?: string }>();
    // @ts-expect-error: not an Autopay error code
    const wrong: AutopayErrorCode = "invalid_client";
    void wrong;
  });

  it("types the fake's faults", () => {
    const fake = createAutopayFake();
    fake.failNext("token", { status: 401, code: "access_denied" });
    fake.failNext("token", { status: 429, code: "too_many_requests", retryAfterSeconds: 30 });
    // @ts-expect-error: not a code the fake renders
    fake.failNext("token", { status: 401, code: "invalid-credentials" });
    expectTypeOf<AutopayErrorCode>().toExtend<AutopayFakeErrorCode>();
    // @ts-expect-error: excessiveTokens refuses with "rate-limit" or "terminate"
    createAutopayFake({ excessiveTokens: { max: 2, refuse: "ban" } });
  });

  it("generates the scopes each operation needs: the token endpoint needs none, despite the document's customer_club", () => {
    expectTypeOf(autopayOperationScopes).toEqualTypeOf<{ readonly "POST /oauth/token": readonly [readonly []] }>();
    expectTypeOf<AutopayOperation>().toEqualTypeOf<OperationKey<paths>>();
    expectTypeOf<AutopayOperationScope<"POST /oauth/token">>().toBeNever();
    // @ts-expect-error: not an operation of specs/autopay.yaml
    createAutopayClient({ clientId: "id", clientSecret: "secret", operationScopes: { "GET /customer-club/members": [["customer_club"]] } });
  });

  it("types each generated validator with its schema's openapi-typescript type", () => {
    // One spec, two outputs: the validator checks exactly what the type describes.
    expectTypeOf<Infer<typeof TokenResponseSchema>>().toEqualTypeOf<components["schemas"]["TokenResponse"]>();
    expectTypeOf<Infer<typeof TokenRequestSchema>>().toEqualTypeOf<components["schemas"]["TokenRequest"]>();
    expectTypeOf<Infer<typeof OAuthErrorSchema>>().toEqualTypeOf<components["schemas"]["OAuthError"]>();
  });
});
