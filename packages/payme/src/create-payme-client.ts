import { createProviderClient } from "@payauth/auth-core";
import type { paths } from "./generated/openapi.gen.js";
import { payMeProvider } from "./payme-provider.js";
import type { PayMeClient, PayMeClientOptions, PayMeScope } from "./types.js";

// TODO(maintainer): the documented hosts.
const DEFAULT_BASE_URL = "https://api.payme.example";
const DEFAULT_TOKEN_URL = "https://auth.payme.example/oauth/token";

/**
 * A Pay-me API client typed by `specs/payme.yaml` (or your own `Paths`), with the token
 * fetched on first use, cached, renewed before expiry and shared by concurrent calls.
 */
export function createPayMeClient<Paths extends {} = paths>(options: PayMeClientOptions): PayMeClient<Paths> {
  return createProviderClient<Paths, PayMeScope>(payMeProvider, options, {
    baseUrl: options?.baseUrl ?? DEFAULT_BASE_URL,
    tokenUrl: options?.tokenUrl ?? DEFAULT_TOKEN_URL,
    audience: options?.audience ?? DEFAULT_BASE_URL,
    scopes: options?.scopes,
  });
}
