import type * as Core from "@payauth/auth-core";
import type * as CoreTesting from "@payauth/auth-core/testing";
import { describe, expectTypeOf, it } from "vitest";
import type * as gen from "../src/generated/openapi.gen.js";
import type { OperationScope as OperationScopeOf } from "../src/generated/operations.gen.js";
import type {
  AccessToken,
  AuthErrorCode,
  AuthEvent,
  ClientAuth,
  ClientPool,
  Clock,
  components,
  CustomScope,
  FetchLike,
  GetpaidAccess,
  GetpaidClient,
  GetpaidClientOptions,
  GetpaidClientPoolOptions,
  GetpaidEnvironment,
  GetpaidError,
  GetpaidErrorCode,
  GetpaidOperation,
  GetpaidOperationScope,
  GetpaidResource,
  GetpaidScope,
  GetpaidTokenResponse,
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
  FakeServer,
  GetpaidFake,
  GetpaidFakeClient,
  GetpaidFakeErrorCode,
  GetpaidFakeOptions,
  GetpaidFault,
  ManualClock,
} from "../src/testing/index.js";

// Issue 12, item 10: every type the README lists under "Exports" is exported (a missing one fails
// to compile), the ones from auth-core are auth-core's own, and the value exports are exactly the
// documented ones. exports.test.ts checks the README's list against these.

describe("@payauth/getpaid: documented exports (types)", () => {
  it("exports exactly the documented values", () => {
    expectTypeOf<keyof typeof import("../src/index.js")>().toEqualTypeOf<"AUTH_ERROR_CODES" | "AuthError" | "GETPAID_AUDIENCES" | "GETPAID_ENVIRONMENTS" | "GETPAID_ERROR_CODES" | "GETPAID_TOKEN_URL" | "InvalidOptionError" | "createGetpaidClient" | "createGetpaidClientPool" | "createMemoryTokenStore" | "customScope" | "getpaidOperationScopes" | "getpaidScopes" | "isAuthError" | "mapGetpaidError">();
    expectTypeOf<keyof typeof import("../src/testing/index.js")>().toEqualTypeOf<"createGetpaidFake" | "createHandlersFetch" | "createManualClock" | "getpaidAllScopes" | "getpaidFakeCredentials" | "serveHandlers">();
  });

  it("exports the documented types of its own", () => {
    expectTypeOf<GetpaidClient>().not.toBeAny();
    expectTypeOf<GetpaidClientOptions>().not.toBeAny();
    expectTypeOf<GetpaidClientPoolOptions>().not.toBeAny();
    expectTypeOf<GetpaidEnvironment>().not.toBeAny();
    expectTypeOf<GetpaidScope>().not.toBeAny();
    expectTypeOf<GetpaidResource>().not.toBeAny();
    expectTypeOf<GetpaidAccess>().not.toBeAny();
    expectTypeOf<GetpaidTokenResponse>().not.toBeAny();
    expectTypeOf<GetpaidError>().not.toBeAny();
    expectTypeOf<GetpaidErrorCode>().not.toBeAny();
    expectTypeOf<GetpaidOperation>().not.toBeAny();
    expectTypeOf<GetpaidOperationScope<GetpaidOperation>>().toEqualTypeOf<OperationScopeOf<GetpaidOperation>>();
    expectTypeOf<paths>().toEqualTypeOf<gen.paths>();
    expectTypeOf<components>().toEqualTypeOf<gen.components>();
    expectTypeOf<operations>().toEqualTypeOf<gen.operations>();
    expectTypeOf<GetpaidFake>().not.toBeAny();
    expectTypeOf<GetpaidFakeClient>().not.toBeAny();
    expectTypeOf<GetpaidFakeOptions>().not.toBeAny();
    expectTypeOf<GetpaidFakeErrorCode>().not.toBeAny();
    expectTypeOf<GetpaidFault>().not.toBeAny();
  });

  it("re-exports auth-core's types as they are", () => {
    expectTypeOf<AccessToken<GetpaidScope>>().toEqualTypeOf<Core.AccessToken<GetpaidScope>>();
    expectTypeOf<AuthErrorCode>().toEqualTypeOf<Core.AuthErrorCode>();
    expectTypeOf<AuthEvent>().toEqualTypeOf<Core.AuthEvent>();
    expectTypeOf<ClientAuth<GetpaidScope>>().toEqualTypeOf<Core.ClientAuth<GetpaidScope>>();
    expectTypeOf<Clock>().toEqualTypeOf<Core.Clock>();
    expectTypeOf<ClientPool<GetpaidClient>>().toEqualTypeOf<Core.ClientPool<GetpaidClient>>();
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
