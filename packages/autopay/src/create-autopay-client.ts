import { createProviderClient } from "@payauth/auth-core";
import type { paths } from "./generated/openapi.gen.js";
import { autopayProvider } from "./autopay-provider.js";
import type { AutopayClient, AutopayClientOptions, AutopayScope } from "./types.js";

// TODO(maintainer): the documented hosts.
const DEFAULT_BASE_URL = "https://api.autopay.example";
const DEFAULT_TOKEN_URL = "https://auth.autopay.example/oauth/token";

/**
 * A Autopay API client typed by `specs/autopay.yaml` (or your own `Paths`), with the token
 * fetched on first use, cached, renewed before expiry and shared by concurrent calls.
 */
export function createAutopayClient<Paths extends {} = paths>(options: AutopayClientOptions): AutopayClient<Paths> {
  return createProviderClient<Paths, AutopayScope>(autopayProvider, options, {
    baseUrl: options?.baseUrl ?? DEFAULT_BASE_URL,
    tokenUrl: options?.tokenUrl ?? DEFAULT_TOKEN_URL,
    audience: options?.audience ?? DEFAULT_BASE_URL,
    scopes: options?.scopes,
  });
}
