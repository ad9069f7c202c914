import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod/mini";
import type { components } from "../src/generated/openapi.gen.js";
import type { OAuthErrorSchema, TokenRequestSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";
import {
  createGetpaidClient,
  customScope,
  GETPAID_ERROR_CODES,
  isAuthError,
  type AccessToken,
  type AuthErrorCode,
  type GetpaidAccess,
  type GetpaidClient,
  type GetpaidClientOptions,
  type GetpaidEnvironment,
  type GetpaidErrorCode,
  type GetpaidResource,
  type GetpaidScope,
} from "../src/index.js";

declare const getpaid: GetpaidClient;
const credentials = { clientId: "id", clientSecret: "secret" };

describe("@payauth/getpaid types", () => {
  it("has the documented scopes as a literal union, of the form <resource>:read | <resource>:read_write", () => {
    expectTypeOf<GetpaidScope>().toEqualTypeOf<
      | "accounts:read" | "accounts:read_write"
      | "invoices:read" | "invoices:read_write"
      | "documents:read" | "documents:read_write"
      | "payments:read" | "payments:read_write"
    >();
    expectTypeOf<GetpaidResource>().toEqualTypeOf<"accounts" | "invoices" | "documents" | "payments">();
    expectTypeOf<GetpaidAccess>().toEqualTypeOf<"read" | "read_write">();
    expectTypeOf<`${GetpaidResource}:${GetpaidAccess}`>().toEqualTypeOf<GetpaidScope>();
  });

  it("accepts documented and custom scopes only", () => {
    createGetpaidClient({ environment: "live", ...credentials, scopes: ["invoices:read_write", "accounts:read"] });
    createGetpaidClient({ environment: "live", ...credentials, scopes: ["invoices:read", customScope("refunds:read")] });
    // @ts-expect-error: not a getpaid scope
    createGetpaidClient({ environment: "live", ...credentials, scopes: ["invoices:write"] });
    // @ts-expect-error: a plain string must go through customScope()
    createGetpaidClient({ environment: "live", ...credentials, scopes: ["refunds:read" as string] });
    getpaid.auth.hasScope("payments:read_write");
    getpaid.auth.hasScope(customScope("added:later"));
    // @ts-expect-error: not a getpaid scope
    getpaid.auth.hasScope("no:such-scope");
  });

  it("requires environment, a literal union", () => {
    expectTypeOf<GetpaidEnvironment>().toEqualTypeOf<"live" | "sandbox">();
    expectTypeOf<GetpaidClientOptions["environment"]>().toEqualTypeOf<GetpaidEnvironment>();
    createGetpaidClient({ environment: "sandbox", ...credentials });
    // @ts-expect-error: environment is required
    createGetpaidClient({ ...credentials });
    // @ts-expect-error: not an environment
    createGetpaidClient({ environment: "production", ...credentials });
    // @ts-expect-error: not an environment
    createGetpaidClient({ environment: "test", ...credentials });
    createGetpaidClient({ environment: "live", ...credentials, audience: "https://api.getpaid.io", baseUrl: "https://proxy.test", tokenUrl: "https://auth.proxy.test/oauth/token" });
  });

  it("types the token", async () => {
    const token = await getpaid.auth.getToken();
    expectTypeOf(token).toEqualTypeOf<AccessToken<GetpaidScope>>();
    expectTypeOf(token.tokenType).toEqualTypeOf<"Bearer">();
    expectTypeOf(token.expiresAt).toBeNumber();
    expectTypeOf(token.scopes).toEqualTypeOf<readonly GetpaidScope[]>();
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
    expectTypeOf<"access_denied" | "invalid_scope" | "server_error">().toExtend<GetpaidErrorCode>();
    // @ts-expect-error: an AuthError code, not a getpaid one
    const wrong: GetpaidErrorCode = "invalid-credentials";
    void wrong;
    expectTypeOf(GETPAID_ERROR_CODES).toEqualTypeOf<Readonly<Record<GetpaidErrorCode, AuthErrorCode>>>();
  });

  it("keeps the generated validators and types in step", () => {
    type Response = z.infer<typeof TokenResponseSchema>;
    type Request = z.infer<typeof TokenRequestSchema>;
    expectTypeOf<components["schemas"]["TokenResponse"]>().toExtend<Response>();
    expectTypeOf<components["schemas"]["TokenRequest"]>().toExtend<Request>();
    expectTypeOf<Response["token_type"]>().toEqualTypeOf<string>();
    expectTypeOf<Response["expires_in"]>().toEqualTypeOf<number>();
    expectTypeOf<Request["grant_type"]>().toEqualTypeOf<"client_credentials">();
    expectTypeOf<Request["audience"]>().toEqualTypeOf<string>();
    expectTypeOf<components["schemas"]["TokenRequest"]["audience"]>().toEqualTypeOf<string>();
    expectTypeOf<components["schemas"]["TokenRequest"]["scope"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<z.infer<typeof OAuthErrorSchema>["error"]>().toEqualTypeOf<GetpaidErrorCode>();
  });
});
