import { describe, expectTypeOf, it } from "vitest";
import type { Infer } from "@payauth/auth-core";
import type { components } from "../src/generated/openapi.gen.js";
import type { OAuthErrorSchema, TokenRequestSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";
import {
  createGetpaidClient,
  customScope,
  GETPAID_ERROR_CODES,
  getpaidOperationScopes,
  isAuthError,
  type AccessToken,
  type AuthError,
  type AuthErrorCode,
  type GetpaidAccess,
  type GetpaidClient,
  type GetpaidClientOptions,
  type GetpaidEnvironment,
  type GetpaidErrorCode,
  type GetpaidOperation,
  type GetpaidOperationScope,
  type GetpaidResource,
  type GetpaidScope,
  type OperationKey,
  type OperationScopes,
  type paths,
} from "../src/index.js";
import type { components as fixtureComponents, paths as FixturePaths } from "./fixtures/invoices/openapi.gen.js";
import { operationScopes as fixtureOperationScopes, type Operation as FixtureOperation, type OperationScope as FixtureOperationScope } from "./fixtures/invoices/operations.gen.js";

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

  it("types each generated validator with its schema's openapi-typescript type", () => {
    // One spec, two outputs: the validator checks exactly what the type describes.
    expectTypeOf<Infer<typeof TokenResponseSchema>>().toEqualTypeOf<components["schemas"]["TokenResponse"]>();
    expectTypeOf<Infer<typeof TokenRequestSchema>>().toEqualTypeOf<components["schemas"]["TokenRequest"]>();
    expectTypeOf<Infer<typeof OAuthErrorSchema>>().toEqualTypeOf<components["schemas"]["OAuthError"]>();
    expectTypeOf<Infer<typeof OAuthErrorSchema>["error"]>().toEqualTypeOf<GetpaidErrorCode>();
    expectTypeOf<Infer<typeof TokenRequestSchema>["grant_type"]>().toEqualTypeOf<"client_credentials">();
  });

  it("generates the operation scopes of getpaid's spec: the token endpoint, which needs none", () => {
    expectTypeOf(getpaidOperationScopes).toEqualTypeOf<{ readonly "POST /oauth/token": readonly [readonly []] }>();
    expectTypeOf<GetpaidOperation>().toEqualTypeOf<"POST /oauth/token">();
    expectTypeOf<GetpaidOperation>().toEqualTypeOf<OperationKey<paths>>();
    expectTypeOf<GetpaidOperationScope<"POST /oauth/token">>().toBeNever();
    expectTypeOf(getpaidOperationScopes).toExtend<OperationScopes>();
  });
});

// "Bring your own spec", with the types generated from the test fixture test/fixtures/invoices/
// (made-up invoice endpoints standing in for a user's fuller getpaid spec; not getpaid's API).
declare const byo: GetpaidClient<FixturePaths>;
type Invoice = fixtureComponents["schemas"]["Invoice"];
type ApiError = fixtureComponents["schemas"]["ApiError"];

describe("@payauth/getpaid types with your own spec", () => {
  const newInvoice = { customer_id: "cus_1", currency: "EUR", lines: [{ description: "Consulting", quantity: 1, unit_amount: 1250 }] };

  it("generates the operation scopes with their exact literal keys and scope sets", () => {
    expectTypeOf<keyof typeof fixtureOperationScopes>().toEqualTypeOf<"POST /oauth/token" | "GET /invoices" | "POST /invoices" | "GET /invoices/{invoiceId}">();
    expectTypeOf<FixtureOperation>().toEqualTypeOf<OperationKey<FixturePaths>>();
    expectTypeOf(fixtureOperationScopes["POST /invoices"]).toEqualTypeOf<readonly [readonly ["invoices:read_write"]]>();
    expectTypeOf(fixtureOperationScopes["GET /invoices"]).toEqualTypeOf<readonly [readonly ["invoices:read"], readonly ["invoices:read_write"]]>();
    expectTypeOf<FixtureOperationScope<"POST /invoices">>().toEqualTypeOf<"invoices:read_write">();
    expectTypeOf<FixtureOperationScope<"GET /invoices/{invoiceId}">>().toEqualTypeOf<"invoices:read" | "invoices:read_write">();
    expectTypeOf<FixtureOperationScope<"POST /oauth/token">>().toBeNever();
    expectTypeOf<FixtureOperationScope<FixtureOperation>>().toExtend<GetpaidScope>();
    // @ts-expect-error: not an operation of the fixture spec
    type NoSuchOperation = FixtureOperationScope<"DELETE /invoices">;
    // @ts-expect-error: keys keep the path template, not a URL
    fixtureOperationScopes["GET /invoices/inv_1"];
  });

  it("takes the user's paths and operationScopes, and types each operation from them", async () => {
    const credentials = { environment: "sandbox", clientId: "id", clientSecret: "secret" } as const;
    expectTypeOf(createGetpaidClient<FixturePaths>({ ...credentials, operationScopes: fixtureOperationScopes })).toEqualTypeOf<GetpaidClient<FixturePaths>>();
    createGetpaidClient<FixturePaths>({ ...credentials, scopes: ["invoices:read"], operationScopes: { "POST /invoices": [["invoices:read_write"]], "GET /invoices": [[]] } });
    createGetpaidClient<FixturePaths>({ ...credentials, scopeCheck: false });
    // @ts-expect-error: not an operation of FixturePaths (no DELETE /invoices)
    createGetpaidClient<FixturePaths>({ ...credentials, operationScopes: { "DELETE /invoices": [["invoices:read_write"]] } });
    // @ts-expect-error: the method is upper-case, as openapi-fetch sends it
    createGetpaidClient<FixturePaths>({ ...credentials, operationScopes: { "post /invoices": [["invoices:read_write"]] } });
    // @ts-expect-error: without the type parameter the client knows getpaid's spec only
    createGetpaidClient({ ...credentials, operationScopes: { "POST /invoices": [["invoices:read_write"]] } });
    // @ts-expect-error: a list of scope sets, not of scopes
    createGetpaidClient<FixturePaths>({ ...credentials, operationScopes: { "POST /invoices": ["invoices:read_write"] } });
    // @ts-expect-error: scopeCheck is a boolean
    createGetpaidClient<FixturePaths>({ ...credentials, scopeCheck: "off" });
    expectTypeOf<GetpaidClientOptions<FixturePaths>["operationScopes"]>().toEqualTypeOf<
      | { readonly [K in "POST /oauth/token" | "GET /invoices" | "POST /invoices" | "GET /invoices/{invoiceId}"]?: readonly (readonly string[])[] }
      | undefined
    >();

    const list = await byo.GET("/invoices", { params: { query: { status: "paid", limit: 20 } } });
    expectTypeOf(list.data).toEqualTypeOf<fixtureComponents["schemas"]["InvoiceList"] | undefined>();
    expectTypeOf(list.data!.data).toEqualTypeOf<Invoice[]>();
    expectTypeOf(list.error).toEqualTypeOf<ApiError | undefined>();
    const created = await byo.POST("/invoices", { body: newInvoice });
    expectTypeOf(created.data).toEqualTypeOf<Invoice | undefined>();
    expectTypeOf(created.data!.status).toEqualTypeOf<"draft" | "open" | "paid" | "void">();
    const one = await byo.GET("/invoices/{invoiceId}", { params: { path: { invoiceId: "inv_1" } } });
    expectTypeOf(one.data).toEqualTypeOf<Invoice | undefined>();
    expectTypeOf(byo.auth.hasScope).parameter(0).toExtend<GetpaidScope | ReturnType<typeof customScope>>();
  });

  it("does not compile a wrong path, method, parameter or body", async () => {
    await byo.GET("/invoices", {});
    // @ts-expect-error: not a path of the spec
    await byo.GET("/invoice", {});
    // @ts-expect-error: no PUT on /invoices
    await byo.PUT("/invoices", { body: newInvoice });
    // @ts-expect-error: the token endpoint takes POST only
    await byo.GET("/oauth/token", {});
    // @ts-expect-error: the body is required
    await byo.POST("/invoices");
    // @ts-expect-error: lines is required
    await byo.POST("/invoices", { body: { customer_id: "cus_1", currency: "EUR" } });
    // @ts-expect-error: quantity is an integer, not a string
    await byo.POST("/invoices", { body: { ...newInvoice, lines: [{ description: "x", quantity: "1", unit_amount: 1 }] } });
    // @ts-expect-error: not an invoice status
    await byo.GET("/invoices", { params: { query: { status: "late" } } });
    // @ts-expect-error: the path parameter is required
    await byo.GET("/invoices/{invoiceId}");
    // @ts-expect-error: the path parameter is invoiceId
    await byo.GET("/invoices/{invoiceId}", { params: { path: { id: "inv_1" } } });
  });

  it("keeps the scope and error code unions closed", () => {
    createGetpaidClient<FixturePaths>({ environment: "live", clientId: "id", clientSecret: "secret", scopes: ["invoices:read", customScope("invoices:export")] });
    // @ts-expect-error: not a getpaid scope (and a plain string needs customScope())
    createGetpaidClient<FixturePaths>({ environment: "live", clientId: "id", clientSecret: "secret", scopes: ["invoices:write"] });
    byo.auth.hasScope("invoices:read_write");
    byo.auth.hasScope(customScope("invoices:export"));
    // @ts-expect-error: not a getpaid scope
    byo.auth.hasScope("invoices:write");
    const error: unknown = new Error();
    if (isAuthError(error, "insufficient-scope")) {
      expectTypeOf(error).toExtend<AuthError>();
      expectTypeOf(error.code).toEqualTypeOf<"insufficient-scope">();
      expectTypeOf(error.details).toEqualTypeOf<Readonly<Record<string, unknown>> | undefined>();
    }
    // @ts-expect-error: not an AuthError code
    isAuthError(error, "not-a-code");
    // @ts-expect-error: the provider's code, not an AuthError code
    isAuthError(error, "insufficient_scope");
  });
});
