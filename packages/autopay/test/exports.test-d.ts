import type * as Core from "@payauth/auth-core";
import type * as CoreTesting from "@payauth/auth-core/testing";
import { describe, expectTypeOf, it } from "vitest";
import type * as gen from "../src/generated/openapi.gen.js";
import type { OperationScope as OperationScopeOf } from "../src/generated/operations.gen.js";
import type {
  AccessToken,
  AuthErrorCode,
  AuthEvent,
  AutopayClient,
  AutopayClientOptions,
  AutopayClientPoolOptions,
  AutopayError,
  AutopayErrorCode,
  AutopayOperation,
  AutopayOperationScope,
  AutopayScope,
  AutopayTokenRequest,
  AutopayTokenResponse,
  ClientAuth,
  ClientPool,
  Clock,
  components,
  CustomScope,
  FetchLike,
  OperationKey,
  operations,
  OperationScopes,
  OperationScopesFor,
  paths,
  PoolEvent,
  RetryOptions,
  SecretSupplier,
  StoredToken,
  TokenStore,
} from "../src/index.js";
import type {
  AutopayFake,
  AutopayFakeClient,
  AutopayFakeErrorCode,
  AutopayFakeOptions,
  AutopayFault,
  FakeServer,
  ManualClock,
} from "../src/testing/index.js";

// Issue 12, item 10: every type the README lists under "Exports" is exported (a missing one fails
// to compile), the ones from auth-core are auth-core's own, and the value exports are exactly the
// documented ones. exports.test.ts checks the README's list against these.

describe("@payauth/autopay: documented exports (types)", () => {
  it("exports exactly the documented values", () => {
    expectTypeOf<keyof typeof import("../src/index.js")>().toEqualTypeOf<"AUTH_ERROR_CODES" | "AUTOPAY_AUDIENCE" | "AUTOPAY_BASE_URL" | "AUTOPAY_ERROR_CODES" | "AUTOPAY_TOKEN_URL" | "AuthError" | "InvalidOptionError" | "autopayOperationScopes" | "autopayScopes" | "createAutopayClient" | "createAutopayClientPool" | "createMemoryTokenStore" | "customScope" | "isAuthError" | "mapAutopayError">();
    expectTypeOf<keyof typeof import("../src/testing/index.js")>().toEqualTypeOf<"autopayFakeCredentials" | "createAutopayFake" | "createHandlersFetch" | "createManualClock" | "serveHandlers">();
  });

  it("exports the documented types of its own", () => {
    expectTypeOf<AutopayClient>().not.toBeAny();
    expectTypeOf<AutopayClientOptions>().not.toBeAny();
    expectTypeOf<AutopayClientPoolOptions>().not.toBeAny();
    expectTypeOf<AutopayScope>().not.toBeAny();
    expectTypeOf<AutopayTokenRequest>().not.toBeAny();
    expectTypeOf<AutopayTokenResponse>().not.toBeAny();
    expectTypeOf<AutopayError>().not.toBeAny();
    expectTypeOf<AutopayErrorCode>().not.toBeAny();
    expectTypeOf<AutopayOperation>().not.toBeAny();
    expectTypeOf<AutopayOperationScope<AutopayOperation>>().toEqualTypeOf<OperationScopeOf<AutopayOperation>>();
    expectTypeOf<paths>().toEqualTypeOf<gen.paths>();
    expectTypeOf<components>().toEqualTypeOf<gen.components>();
    expectTypeOf<operations>().toEqualTypeOf<gen.operations>();
    expectTypeOf<AutopayFake>().not.toBeAny();
    expectTypeOf<AutopayFakeClient>().not.toBeAny();
    expectTypeOf<AutopayFakeOptions>().not.toBeAny();
    expectTypeOf<AutopayFakeErrorCode>().not.toBeAny();
    expectTypeOf<AutopayFault>().not.toBeAny();
  });

  it("re-exports auth-core's types as they are", () => {
    expectTypeOf<AccessToken<AutopayScope>>().toEqualTypeOf<Core.AccessToken<AutopayScope>>();
    expectTypeOf<AuthErrorCode>().toEqualTypeOf<Core.AuthErrorCode>();
    expectTypeOf<AuthEvent>().toEqualTypeOf<Core.AuthEvent>();
    expectTypeOf<ClientAuth<AutopayScope>>().toEqualTypeOf<Core.ClientAuth<AutopayScope>>();
    expectTypeOf<Clock>().toEqualTypeOf<Core.Clock>();
    expectTypeOf<ClientPool<AutopayClient>>().toEqualTypeOf<Core.ClientPool<AutopayClient>>();
    expectTypeOf<PoolEvent>().toEqualTypeOf<Core.PoolEvent>();
    expectTypeOf<SecretSupplier>().toEqualTypeOf<Core.SecretSupplier>();
    expectTypeOf<CustomScope>().toEqualTypeOf<Core.CustomScope>();
    expectTypeOf<FetchLike>().toEqualTypeOf<Core.FetchLike>();
    expectTypeOf<OperationKey<paths>>().toEqualTypeOf<Core.OperationKey<paths>>();
    expectTypeOf<OperationScopes>().toEqualTypeOf<Core.OperationScopes>();
    expectTypeOf<OperationScopesFor<paths>>().toEqualTypeOf<Core.OperationScopesFor<paths>>();
    expectTypeOf<RetryOptions>().toEqualTypeOf<Core.RetryOptions>();
    expectTypeOf<StoredToken>().toEqualTypeOf<Core.StoredToken>();
    expectTypeOf<TokenStore>().toEqualTypeOf<Core.TokenStore>();
    expectTypeOf<FakeServer>().toEqualTypeOf<CoreTesting.FakeServer>();
    expectTypeOf<ManualClock>().toEqualTypeOf<CoreTesting.ManualClock>();
  });
});
