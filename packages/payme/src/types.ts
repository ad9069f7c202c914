import type { ClientPoolOptions, CommonClientOptions, CustomScope, OperationScopesFor, ProviderClient } from "@payauth/auth-core";
import type { components, paths } from "./generated/openapi.gen.js";
import type { Scope } from "./generated/schemas.gen.js";

/** A scope Pay-me documents (`create:token`, `post:charges`, `get:charges`, `delete:charges`). For one added later, use `customScope("…")`. */
export type PayMeScope = Scope;

/** Pay-me's two documented environments. */
export type PayMeEnvironment = "preprod" | "production";

/** The body of Pay-me's token request (`POST /token`). */
export type PayMeTokenRequest = components["schemas"]["TokenRequest"];

/** A granted token, as Pay-me answers it. */
export type PayMeTokenResponse = components["schemas"]["TokenResponse"];

/** A 200 answer with `success: false`. */
export type PayMeTokenRefusal = components["schemas"]["TokenRefusal"];

/** One entry of `authorization.meta.status.message_ilgn`: a status message in one locale. */
export type PayMeLocalizedMessage = components["schemas"]["LocalizedMessage"];

/** The error bodies `@payauth/payme` understands (Pay-me does not document one). */
export type PayMeErrorBody = components["schemas"]["ErrorBody"];

/**
 * `AuthError.details` of a Pay-me refusal that carried `message_ilgn`: the provider's own
 * texts, for display (`details.messages.find((m) => m.locale === "es_PE")?.value`).
 */
export type PayMeErrorDetails = {
  messages: PayMeLocalizedMessage[];
};

/**
 * Options of `createPayMeClient<Paths>()`, where `operationScopes` may name the operations of
 * `Paths` only. `PayMeClientOptions` without `Paths` fits a client of any `Paths`.
 */
export interface PayMeClientOptions<Paths extends {} = any> extends CommonClientOptions {
  /**
   * Required: `"preprod"` or `"production"`. Picks the token URL, the API base URL and the
   * audience. Pay-me's pre-production and production credentials differ, so there is no default.
   */
  environment: PayMeEnvironment;
  /** Default: the environment's API, `https://api.preprod.alignet.io` or `https://api.alignet.io`. Does not change the audience. */
  baseUrl?: string | undefined;
  /** Default: `https://auth.preprod.alignet.io/token` or `https://auth.alignet.io/token`. Does not change the audience. */
  tokenUrl?: string | undefined;
  /** Default: the environment's API base URL with its trailing slash, as documented: `https://api.preprod.alignet.io/` or `https://api.alignet.io/`. */
  audience?: string | undefined;
  /** Scopes to request. `create:token` is always requested (first), whether listed or not. */
  scopes?: readonly (PayMeScope | CustomScope)[] | undefined;
  /** The scopes your operations need, merged over `payMeOperationScopes` (see `CommonClientOptions`). */
  operationScopes?: OperationScopesFor<Paths> | undefined;
}

/** An openapi-fetch client typed by `specs/payme.yaml` (or your own `Paths`), with `auth` for its token. */
export type PayMeClient<Paths extends {} = paths> = ProviderClient<Paths, PayMeScope>;

/** Options of `createPayMeClientPool()`: `resolve(tenantId)` gives a tenant's `createPayMeClient` options. */
export type PayMeClientPoolOptions<Paths extends {} = any> = ClientPoolOptions<PayMeClientOptions<Paths>>;
