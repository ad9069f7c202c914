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
  OperationKey,
  operations,
  OperationScopes,
  OperationScopesFor,
  paths,
  PoolEvent,
  PayMeClient,
  PayMeClientOptions,
  PayMeClientPoolOptions,
  PayMeEnvironment,
  PayMeEnvironmentUrls,
  PayMeErrorBody,
  PayMeErrorDetails,
  PayMeLocalizedMessage,
  PayMeOperation,
  PayMeOperationScope,
  PayMeScope,
  PayMeStatus,
  PayMeTokenRefusal,
  PayMeTokenRequest,
  PayMeTokenResponse,
  RetryOptions,
  SecretSupplier,
  StoredToken,
  TokenStore,
} from "../src/index.js";
import type {
  FakeServer,
  ManualClock,
  PayMeFake,
  PayMeFakeClient,
  PayMeFakeOptions,
  PayMeFakeStatusCode,
  PayMeFault,
} from "../src/testing/index.js";

// Issue 12, item 10: every type the README lists under "Exports" is exported (a missing one fails
// to compile), the ones from auth-core are auth-core's own, and the value exports are exactly the
// documented ones. exports.test.ts checks the README's list against these.

describe("@payauth/payme: documented exports (types)", () => {
  it("exports exactly the documented values", () => {
    expectTypeOf<keyof typeof import("../src/index.js")>().toEqualTypeOf<"AUTH_ERROR_CODES" | "AuthError" | "InvalidOptionError" | "PAYME_API_VERSION" | "PAYME_ENVIRONMENTS" | "PAYME_TOKEN_SCOPE" | "createMemoryTokenStore" | "createPayMeClient" | "createPayMeClientPool" | "customScope" | "isAuthError" | "isPayMeEnvironment" | "mapPayMeError" | "mapPayMeRefusal" | "payMeOperationScopes" | "payMeScopes" | "readPayMeStatus">();
    expectTypeOf<keyof typeof import("../src/testing/index.js")>().toEqualTypeOf<"createHandlersFetch" | "createManualClock" | "createPayMeFake" | "payMeAllScopes" | "payMeFakeCredentials" | "payMeFakeStatusCodes" | "serveHandlers">();
  });

  it("exports the documented types of its own", () => {
    expectTypeOf<PayMeClient>().not.toBeAny();
    expectTypeOf<PayMeClientOptions>().not.toBeAny();
    expectTypeOf<PayMeClientPoolOptions>().not.toBeAny();
    expectTypeOf<PayMeEnvironment>().not.toBeAny();
    expectTypeOf<PayMeEnvironmentUrls>().not.toBeAny();
    expectTypeOf<PayMeScope>().not.toBeAny();
    expectTypeOf<PayMeStatus>().not.toBeAny();
    expectTypeOf<PayMeTokenRequest>().not.toBeAny();
    expectTypeOf<PayMeTokenResponse>().not.toBeAny();
    expectTypeOf<PayMeTokenRefusal>().not.toBeAny();
    expectTypeOf<PayMeErrorBody>().not.toBeAny();
    expectTypeOf<PayMeErrorDetails>().not.toBeAny();
    expectTypeOf<PayMeLocalizedMessage>().not.toBeAny();
    expectTypeOf<PayMeOperation>().not.toBeAny();
    expectTypeOf<PayMeOperationScope<PayMeOperation>>().toEqualTypeOf<OperationScopeOf<PayMeOperation>>();
    expectTypeOf<paths>().toEqualTypeOf<gen.paths>();
    expectTypeOf<components>().toEqualTypeOf<gen.components>();
    expectTypeOf<operations>().toEqualTypeOf<gen.operations>();
    expectTypeOf<PayMeFake>().not.toBeAny();
    expectTypeOf<PayMeFakeClient>().not.toBeAny();
    expectTypeOf<PayMeFakeOptions>().not.toBeAny();
    expectTypeOf<PayMeFakeStatusCode>().not.toBeAny();
    expectTypeOf<PayMeFault>().not.toBeAny();
  });

  it("re-exports auth-core's types as they are", () => {
    expectTypeOf<AccessToken<PayMeScope>>().toEqualTypeOf<Core.AccessToken<PayMeScope>>();
    expectTypeOf<AuthErrorCode>().toEqualTypeOf<Core.AuthErrorCode>();
    expectTypeOf<AuthEvent>().toEqualTypeOf<Core.AuthEvent>();
    expectTypeOf<ClientAuth<PayMeScope>>().toEqualTypeOf<Core.ClientAuth<PayMeScope>>();
    expectTypeOf<Clock>().toEqualTypeOf<Core.Clock>();
    expectTypeOf<ClientPool<PayMeClient>>().toEqualTypeOf<Core.ClientPool<PayMeClient>>();
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
