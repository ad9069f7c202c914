import { describe, expectTypeOf, it } from "vitest";
import type { Infer } from "@payauth/auth-core";
import {
  createMaxPayClient,
  isAuthError,
  maxPayOperationScopes,
  type AccessToken,
  type AuthErrorCode,
  type MaxPayClient,
  type MaxPayErrorCode,
  type MaxPayMe,
  type MaxPayOperation,
  type MaxPayOperationScope,
  type MaxPayScope,
  type OperationKey,
  type paths,
} from "../src/index.js";
import type { components } from "../src/generated/openapi.gen.js";
import type { ErrorSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";

declare const maxpay: MaxPayClient;

describe("@payauth/maxpay types", () => {
  it("types GET /v1/me from the spec", async () => {
    const { data, error } = await maxpay.GET("/v1/me");
    expectTypeOf(data).toEqualTypeOf<MaxPayMe | undefined>();
    expectTypeOf(data!.customer.id).toBeNumber();
    expectTypeOf(data!.apiKey.scopes).toEqualTypeOf<string[]>();
    expectTypeOf(error).toEqualTypeOf<components["schemas"]["Error"] | undefined>();
    // @ts-expect-error: not a path in specs/maxpay.yaml
    await maxpay.GET("/v1/nope");
    // @ts-expect-error: login is a POST
    await maxpay.GET("/v1/auth/login");
  });

  it("types the token and its scopes", async () => {
    const token = await maxpay.auth.getToken();
    expectTypeOf(token).toEqualTypeOf<AccessToken<MaxPayScope>>();
    expectTypeOf(token.tokenType).toEqualTypeOf<"Bearer">();
    expectTypeOf(token.expiresAt).toBeNumber();
    expectTypeOf(token.scopes).toEqualTypeOf<readonly MaxPayScope[]>();
    maxpay.auth.hasScope("receivables:write");
    // @ts-expect-error: not a Max Pay scope
    maxpay.auth.hasScope("receivables:delete");
    expectTypeOf<"webhooks:admin">().toExtend<MaxPayScope>();
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
    if (isAuthError(error, "rate-limited")) expectTypeOf(error.code).toEqualTypeOf<"rate-limited">();
    // @ts-expect-error: not an AuthError code
    isAuthError(error, "teapot");
    // @ts-expect-error: not a Max Pay error code
    const wrong: MaxPayErrorCode = "rate-limited";
    void wrong;
  });

  it("generates the scopes each operation needs: none for /v1/me", () => {
    expectTypeOf(maxPayOperationScopes).toEqualTypeOf<{ readonly "POST /v1/auth/login": readonly [readonly []]; readonly "GET /v1/me": readonly [readonly []] }>();
    expectTypeOf<MaxPayOperation>().toEqualTypeOf<OperationKey<paths>>();
    expectTypeOf<MaxPayOperationScope<"GET /v1/me">>().toBeNever();
    const options = { baseUrl: "https://api.maxpay.example", clientId: "id", clientSecret: "secret" };
    createMaxPayClient({ ...options, operationScopes: { "GET /v1/me": [["clients:read"]] }, scopeCheck: true });
    // @ts-expect-error: not an operation of specs/maxpay.yaml
    createMaxPayClient({ ...options, operationScopes: { "GET /v1/clients": [["clients:read"]] } });
    // @ts-expect-error: /v1/me has no POST
    createMaxPayClient({ ...options, operationScopes: { "POST /v1/me": [["clients:read"]] } });
  });

  it("types each generated validator with its schema's openapi-typescript type", () => {
    // One spec, two outputs: the validator checks exactly what the type describes.
    expectTypeOf<Infer<typeof TokenResponseSchema>>().toEqualTypeOf<components["schemas"]["TokenResponse"]>();
    expectTypeOf<Infer<typeof ErrorSchema>>().toEqualTypeOf<components["schemas"]["Error"]>();
    expectTypeOf<Infer<typeof ErrorSchema>["code"]>().toEqualTypeOf<MaxPayErrorCode>();
  });
});
