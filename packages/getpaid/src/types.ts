import type { CommonClientOptions, CustomScope, ProviderClient } from "@payauth/auth-core";
import type { paths } from "./generated/openapi.gen.js";
import type { Scope } from "./generated/schemas.gen.js";

/** A scope getpaid documents. For one added later, use `customScope("…")`. */
export type GetpaidScope = Scope;

export interface GetpaidClientOptions extends CommonClientOptions {
  /** Default: the API base URL in `specs/getpaid.yaml`. */
  baseUrl?: string | undefined;
  /** Default: the token URL in `specs/getpaid.yaml`. */
  tokenUrl?: string | undefined;
  /** Default: the API base URL the docs name as audience. */
  audience?: string | undefined;
  /** Scopes to request. */
  scopes?: readonly (GetpaidScope | CustomScope)[] | undefined;
}

/** An openapi-fetch client typed by `specs/getpaid.yaml` (or your own `Paths`), with `auth` for its token. */
export type GetpaidClient<Paths extends {} = paths> = ProviderClient<Paths, GetpaidScope>;
