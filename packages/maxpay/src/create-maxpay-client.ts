import { createProviderClient } from "@payauth/auth-core";
import type { paths } from "./generated/openapi.gen.js";
import { operationScopes } from "./generated/operations.gen.js";
import { maxPayProvider } from "./maxpay-provider.js";
import type { MaxPayClient, MaxPayClientOptions, MaxPayScope } from "./types.js";

/**
 * A Max Pay API client: `GET`, `POST`, … typed by `specs/maxpay.yaml`, with the token
 * fetched on first use, cached, renewed before expiry and shared by concurrent calls.
 *
 * @example
 * const maxpay = createMaxPayClient({ baseUrl, clientId, clientSecret });
 * const { data, error } = await maxpay.GET("/v1/me");
 *
 * Pass `Paths` (types generated from a fuller Max Pay spec) to type more endpoints, and that
 * spec's `operationScopes` so that a call the token lacks a scope for fails fast.
 */
export function createMaxPayClient<Paths extends {} = paths>(options: MaxPayClientOptions<Paths>): MaxPayClient<Paths> {
  // The login URL is derived from baseUrl by concatenation; auth-core checks baseUrl (no query, no
  // fragment; trailing slashes dropped) before tokenUrl, so a bad base URL is refused as `baseUrl`,
  // not as the URL built from it.
  const baseUrl = options?.baseUrl;
  return createProviderClient<Paths, MaxPayScope>(maxPayProvider, options, {
    baseUrl,
    tokenUrl: options?.tokenUrl ?? `${String(baseUrl).replace(/\/+$/, "")}/v1/auth/login`,
    operationScopes,
  });
}
