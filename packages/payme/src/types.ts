import type { CommonClientOptions, CustomScope, ProviderClient } from "@payauth/auth-core";
import type { paths } from "./generated/openapi.gen.js";
import type { Scope } from "./generated/schemas.gen.js";

/** A scope Pay-me documents. For one added later, use `customScope("…")`. */
export type PayMeScope = Scope;

export interface PayMeClientOptions extends CommonClientOptions {
  /** Default: the API base URL in `specs/payme.yaml`. */
  baseUrl?: string | undefined;
  /** Default: the token URL in `specs/payme.yaml`. */
  tokenUrl?: string | undefined;
  /** Default: the API base URL the docs name as audience. */
  audience?: string | undefined;
  /** Scopes to request. */
  scopes?: readonly (PayMeScope | CustomScope)[] | undefined;
}

/** An openapi-fetch client typed by `specs/payme.yaml` (or your own `Paths`), with `auth` for its token. */
export type PayMeClient<Paths extends {} = paths> = ProviderClient<Paths, PayMeScope>;
