import { createProviderClient } from "@payauth/auth-core";
import type { paths } from "./generated/openapi.gen.js";
import { getpaidProvider } from "./getpaid-provider.js";
import type { GetpaidClient, GetpaidClientOptions, GetpaidScope } from "./types.js";

// TODO(maintainer): the documented hosts.
const DEFAULT_BASE_URL = "https://api.getpaid.example";
const DEFAULT_TOKEN_URL = "https://auth.getpaid.example/oauth/token";

/**
 * A getpaid API client typed by `specs/getpaid.yaml` (or your own `Paths`), with the token
 * fetched on first use, cached, renewed before expiry and shared by concurrent calls.
 */
export function createGetpaidClient<Paths extends {} = paths>(options: GetpaidClientOptions): GetpaidClient<Paths> {
  return createProviderClient<Paths, GetpaidScope>(getpaidProvider, options, {
    baseUrl: options?.baseUrl ?? DEFAULT_BASE_URL,
    tokenUrl: options?.tokenUrl ?? DEFAULT_TOKEN_URL,
    audience: options?.audience ?? DEFAULT_BASE_URL,
    scopes: options?.scopes,
  });
}
