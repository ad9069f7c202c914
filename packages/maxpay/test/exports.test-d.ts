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
  MaxPayClient,
  MaxPayClientOptions,
  MaxPayClientPoolOptions,
  MaxPayError,
  MaxPayErrorCode,
  MaxPayMe,
  MaxPayOperation,
  MaxPayOperationScope,
  MaxPayScope,
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
  ManualClock,
  MaxPayFake,
  MaxPayFakeClient,
  MaxPayFakeOptions,
  MaxPayFault,
} from "../src/testing/index.js";

// Issue 12, item 10: every type the README lists under "Exports" is exported (a missing one fails
// to compile), the ones from auth-core are auth-core's own, and the value exports are exactly the
// documented ones. exports.test.ts checks the README's list against these.

describe("@payauth/maxpay: documented exports (types)", () => {
  it("exports exactly the documented values", () => {
    expectTypeOf<keyof typeof import("../src/index.js")>().toEqualTypeOf<"AUTH_ERROR_CODES" | "AuthError" | "InvalidOptionError" | "MAXPAY_ERROR_CODES" | "createMaxPayClient" | "createMaxPayClientPool" | "createMemoryTokenStore" | "customScope" | "isAuthError" | "mapMaxPayError" | "maxPayOperationScopes" | "maxPayScopes">();
    expectTypeOf<keyof typeof import("../src/testing/index.js")>().toEqualTypeOf<"createHandlersFetch" | "createManualClock" | "createMaxPayFake" | "maxPayAllScopes" | "maxPayFakeCredentials" | "serveHandlers">();
  });

  it("exports the documented types of its own", () => {
    expectTypeOf<MaxPayClient>().not.toBeAny();
    expectTypeOf<MaxPayClientOptions>().not.toBeAny();
    expectTypeOf<MaxPayClientPoolOptions>().not.toBeAny();
    expectTypeOf<MaxPayScope>().not.toBeAny();
    expectTypeOf<MaxPayMe>().not.toBeAny();
    expectTypeOf<MaxPayError>().not.toBeAny();
    expectTypeOf<MaxPayErrorCode>().not.toBeAny();
    expectTypeOf<MaxPayOperation>().not.toBeAny();
    expectTypeOf<MaxPayOperationScope<MaxPayOperation>>().toEqualTypeOf<OperationScopeOf<MaxPayOperation>>();
    expectTypeOf<paths>().toEqualTypeOf<gen.paths>();
    expectTypeOf<components>().toEqualTypeOf<gen.components>();
    expectTypeOf<operations>().toEqualTypeOf<gen.operations>();
    expectTypeOf<MaxPayFake>().not.toBeAny();
    expectTypeOf<MaxPayFakeClient>().not.toBeAny();
    expectTypeOf<MaxPayFakeOptions>().not.toBeAny();
    expectTypeOf<MaxPayFault>().not.toBeAny();
  });

  it("re-exports auth-core's types as they are", () => {
    expectTypeOf<AccessToken<MaxPayScope>>().toEqualTypeOf<Core.AccessToken<MaxPayScope>>();
    expectTypeOf<AuthErrorCode>().toEqualTypeOf<Core.AuthErrorCode>();
    expectTypeOf<AuthEvent>().toEqualTypeOf<Core.AuthEvent>();
    expectTypeOf<ClientAuth<MaxPayScope>>().toEqualTypeOf<Core.ClientAuth<MaxPayScope>>();
    expectTypeOf<Clock>().toEqualTypeOf<Core.Clock>();
    expectTypeOf<ClientPool<MaxPayClient>>().toEqualTypeOf<Core.ClientPool<MaxPayClient>>();
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
