import type { ClientPoolOptions, CommonClientOptions, OperationScopesFor, ProviderClient } from "@payauth/auth-core";
import type { components, paths } from "./generated/openapi.gen.js";
import type { Scope } from "./generated/schemas.gen.js";

/** A scope Max Pay documents (`clients:read` … `webhooks:admin`). */
export type MaxPayScope = Scope;

/** An error code Max Pay documents, as found in the `code` field of its error bodies. */
export type MaxPayErrorCode = components["schemas"]["ErrorCode"];

/** The body of a Max Pay error. */
export type MaxPayError = components["schemas"]["Error"];

/** What `GET /v1/me` returns. */
export type MaxPayMe = components["schemas"]["Me"];

/**
 * Options of `createMaxPayClient<Paths>()`, where `operationScopes` may name the operations of
 * `Paths` only. `MaxPayClientOptions` without `Paths` fits a client of any `Paths`.
 */
export interface MaxPayClientOptions<Paths extends {} = any> extends CommonClientOptions {
  /** Max Pay's API base URL, e.g. `https://api.maxpay.example`. Required: Max Pay's docs name no host. */
  baseUrl: string;
  /** Default: `${baseUrl}/v1/auth/login`. */
  tokenUrl?: string | undefined;
  /** The scopes your operations need, merged over `maxPayOperationScopes` (see `CommonClientOptions`). */
  operationScopes?: OperationScopesFor<Paths> | undefined;
}

/** An openapi-fetch client typed by `specs/maxpay.yaml` (or your own `Paths`), with `auth` for its token. */
export type MaxPayClient<Paths extends {} = paths> = ProviderClient<Paths, MaxPayScope>;

/** Options of `createMaxPayClientPool()`: `resolve(tenantId)` gives a tenant's `createMaxPayClient` options. */
export type MaxPayClientPoolOptions<Paths extends {} = any> = ClientPoolOptions<MaxPayClientOptions<Paths>>;
