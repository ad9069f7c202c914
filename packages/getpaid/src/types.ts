import type { ClientPoolOptions, CommonClientOptions, CustomScope, OperationScopesFor, ProviderClient } from "@payauth/auth-core";
import type { components, paths } from "./generated/openapi.gen.js";
import type { Scope } from "./generated/schemas.gen.js";

/** A scope getpaid documents (`accounts:read` … `payments:read_write`). For one added later, use `customScope("…")`. */
export type GetpaidScope = Scope;

type ResourceOf<S> = S extends `${infer Resource}:${string}` ? Resource : never;
type AccessOf<S> = S extends `${string}:${infer Access}` ? Access : never;

/** The resources of the documented scopes: `accounts`, `invoices`, `documents`, `payments` (derived from the spec). */
export type GetpaidResource = ResourceOf<GetpaidScope>;

/** The access levels of the documented scopes: `read` or `read_write` (derived from the spec). */
export type GetpaidAccess = AccessOf<GetpaidScope>;

/** getpaid's environments: each has its own credentials, audience and API base URL. */
export type GetpaidEnvironment = "live" | "sandbox";

/** An `error` code of the (assumed) OAuth 2.0 error body of getpaid's token endpoint. */
export type GetpaidErrorCode = components["schemas"]["OAuthErrorCode"];

/** The (assumed) OAuth 2.0 error body of getpaid's token endpoint: `{ error, error_description }`. */
export type GetpaidError = components["schemas"]["OAuthError"];

/** What getpaid's token endpoint returns. */
export type GetpaidTokenResponse = components["schemas"]["TokenResponse"];

/**
 * Options of `createGetpaidClient<Paths>()`, where `operationScopes` may name the operations of
 * `Paths` only. `GetpaidClientOptions` without `Paths` fits a client of any `Paths`.
 */
export interface GetpaidClientOptions<Paths extends {} = any> extends CommonClientOptions {
  /**
   * Which getpaid environment the credentials belong to: `"live"` or `"sandbox"`. Required:
   * live and sandbox have different credentials, and it picks the audience and the API base URL.
   */
  environment: GetpaidEnvironment;
  /** Scopes to request, e.g. `["invoices:read_write"]`. Default: none (the `scope` field is left out). */
  scopes?: readonly (GetpaidScope | CustomScope)[] | undefined;
  /** Where API requests go. Default: the environment's API (`https://api.getpaid.io`, `https://api.sandbox.getpaid.io`). Never changes the audience. */
  baseUrl?: string | undefined;
  /** Where token requests go. Default: `https://auth.getpaid.io/oauth/token` (both environments). Never changes the audience. */
  tokenUrl?: string | undefined;
  /** The `audience` sent in the token request. Default: the environment's API base URL. */
  audience?: string | undefined;
  /** The scopes your operations need, merged over `getpaidOperationScopes` (see `CommonClientOptions`). */
  operationScopes?: OperationScopesFor<Paths> | undefined;
}

/** An openapi-fetch client typed by `specs/getpaid.yaml` (or your own `Paths`), with `auth` for its token. */
export type GetpaidClient<Paths extends {} = paths> = ProviderClient<Paths, GetpaidScope>;

/** Options of `createGetpaidClientPool()`: `resolve(tenantId)` gives a tenant's `createGetpaidClient` options. */
export type GetpaidClientPoolOptions<Paths extends {} = any> = ClientPoolOptions<GetpaidClientOptions<Paths>>;
