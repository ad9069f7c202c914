import type { ClientPoolOptions, CommonClientOptions, OperationScopesFor, ProviderClient } from "@payauth/auth-core";
import type { components, paths } from "./generated/openapi.gen.js";
import type { Scope } from "./generated/schemas.gen.js";

/**
 * A scope Autopay documents: the Autopay APIs a token can reach (`customer_club`). For one
 * added later, use `customScope("…")`.
 */
export type AutopayScope = Scope;

/** An `error` code Autopay documents in its token-endpoint error bodies (`access_denied`). */
export type AutopayErrorCode = components["schemas"]["ErrorCode"];

/** The body of an Autopay token-endpoint error: `{ error, error_description }`. */
export type AutopayError = components["schemas"]["OAuthError"];

/** The token request body Autopay documents. */
export type AutopayTokenRequest = components["schemas"]["TokenRequest"];

/** The token response Autopay documents. */
export type AutopayTokenResponse = components["schemas"]["TokenResponse"];

/**
 * Options of `createAutopayClient<Paths>()`, where `operationScopes` may name the operations of
 * `Paths` only. `AutopayClientOptions` without `Paths` fits a client of any `Paths`.
 */
export interface AutopayClientOptions<Paths extends {} = any> extends CommonClientOptions {
  /** Where API requests go. Default `https://api.autopay.io`. Does not change `audience`. */
  baseUrl?: string | undefined;
  /** Where token requests go. Default `https://api-auth.autopay.io/oauth/token`. Does not change `audience`. */
  tokenUrl?: string | undefined;
  /**
   * The `audience` of the token request. Default, and the only value Autopay accepts:
   * `https://api.autopay.io` (the docs: it "must always be" that). Overriding `baseUrl` or
   * `tokenUrl` never changes it; only this option does, for a proxy or a test double that
   * expects another value.
   */
  audience?: string | undefined;
  /**
   * Not supported: Autopay's token request asks for no scopes. A credential's scopes are fixed
   * by Autopay; read them from `auth.getToken()` (`scopes`) or check one with `auth.hasScope()`.
   */
  scopes?: never;
  /** Not supported: Autopay documents one environment. Point `baseUrl` and `tokenUrl` elsewhere instead. */
  environment?: never;
  /** The scopes your operations need, merged over `autopayOperationScopes` (see `CommonClientOptions`). */
  operationScopes?: OperationScopesFor<Paths> | undefined;
}

/** An openapi-fetch client typed by `specs/autopay.yaml` (or your own `Paths`), with `auth` for its token. */
export type AutopayClient<Paths extends {} = paths> = ProviderClient<Paths, AutopayScope>;

/** Options of `createAutopayClientPool()`: `resolve(tenantId)` gives a tenant's `createAutopayClient` options. */
export type AutopayClientPoolOptions<Paths extends {} = any> = ClientPoolOptions<AutopayClientOptions<Paths>>;
