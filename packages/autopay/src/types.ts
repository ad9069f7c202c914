import type { CommonClientOptions, CustomScope, ProviderClient } from "@payauth/auth-core";
import type { paths } from "./generated/openapi.gen.js";
import type { Scope } from "./generated/schemas.gen.js";

/** A scope Autopay documents. For one added later, use `customScope("…")`. */
export type AutopayScope = Scope;

export interface AutopayClientOptions extends CommonClientOptions {
  /** Default: the API base URL in `specs/autopay.yaml`. */
  baseUrl?: string | undefined;
  /** Default: the token URL in `specs/autopay.yaml`. */
  tokenUrl?: string | undefined;
  /** Default: the API base URL the docs name as audience. */
  audience?: string | undefined;
  /** Scopes to request. */
  scopes?: readonly (AutopayScope | CustomScope)[] | undefined;
}

/** An openapi-fetch client typed by `specs/autopay.yaml` (or your own `Paths`), with `auth` for its token. */
export type AutopayClient<Paths extends {} = paths> = ProviderClient<Paths, AutopayScope>;
