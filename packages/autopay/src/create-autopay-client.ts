import { createProviderClient, InvalidOptionError } from "@payauth/auth-core";
import { autopayProvider } from "./autopay-provider.js";
import type { paths } from "./generated/openapi.gen.js";
import { operationScopes } from "./generated/operations.gen.js";
import { AUTOPAY_AUDIENCE, AUTOPAY_BASE_URL, AUTOPAY_TOKEN_URL } from "./autopay-urls.js";
import type { AutopayClient, AutopayClientOptions, AutopayScope } from "./types.js";

function requireAudience(value: unknown): string {
  if (value === undefined) return AUTOPAY_AUDIENCE;
  if (typeof value !== "string" || !/^\S+$/.test(value)) {
    throw new InvalidOptionError("autopay", "audience", `must be a non-empty string without white space (Autopay requires ${AUTOPAY_AUDIENCE})`);
  }
  return value;
}

/**
 * An Autopay API client: `GET`, `POST`, … typed by `specs/autopay.yaml` (or your own `Paths`),
 * with the token fetched on first use, cached, renewed before expiry and shared by concurrent
 * calls. Autopay may terminate API access of a client that generates excessive tokens: keep
 * one client per credential for the life of the process (and pass a shared `tokenStore` to
 * share the token between processes).
 *
 * @example
 * const autopay = createAutopayClient({ clientId, clientSecret });
 * const token = await autopay.auth.getToken(); // { accessToken, tokenType: "Bearer", expiresAt, scopes }
 */
export function createAutopayClient<Paths extends {} = paths>(options: AutopayClientOptions<Paths>): AutopayClient<Paths> {
  if (typeof options === "object" && options !== null) {
    const loose = options as { scopes?: unknown; environment?: unknown };
    if (loose.scopes !== undefined) {
      throw new InvalidOptionError(
        "autopay",
        "scopes",
        "is not supported: Autopay's token request asks for no scopes (a credential's scopes are fixed by Autopay; check them with auth.hasScope())",
      );
    }
    if (loose.environment !== undefined) {
      throw new InvalidOptionError("autopay", "environment", `is not supported: Autopay documents one environment (${AUTOPAY_BASE_URL}); set baseUrl and tokenUrl instead`);
    }
  }
  return createProviderClient<Paths, AutopayScope>(autopayProvider, options, {
    baseUrl: options?.baseUrl ?? AUTOPAY_BASE_URL,
    tokenUrl: options?.tokenUrl ?? AUTOPAY_TOKEN_URL,
    audience: requireAudience(options?.audience),
    operationScopes,
  });
}
