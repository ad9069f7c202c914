import { createProviderClient, InvalidOptionError } from "@payauth/auth-core";
import { isPayMeEnvironment, PAYME_ENVIRONMENTS } from "./environments.js";
import type { paths } from "./generated/openapi.gen.js";
import { operationScopes } from "./generated/operations.gen.js";
import { payMeProvider, withTokenScope } from "./payme-provider.js";
import type { PayMeClient, PayMeClientOptions, PayMeScope } from "./types.js";

const ID = payMeProvider.id;

function requireAudience(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidOptionError(ID, "audience", "must be a non-empty string");
  if (value !== value.trim()) throw new InvalidOptionError(ID, "audience", "must not start or end with white space");
  return value;
}

/**
 * `create:token` first, then the caller's scopes: so it is always requested, is part of the
 * cache key, and counts as granted when a response names no scopes. Anything but an array is
 * passed on for auth-core to refuse (`InvalidOptionError` naming `scopes`).
 */
function requestedScopes(scopes: unknown): readonly string[] {
  if (scopes === undefined) return withTokenScope([]);
  return Array.isArray(scopes) ? withTokenScope(scopes) : (scopes as readonly string[]);
}

/**
 * A Pay-me API client typed by `specs/payme.yaml` (or your own `Paths`), with the token
 * fetched on first use, cached, renewed before expiry and shared by concurrent calls.
 * Every request carries `ALG-API-VERSION: 1709847567`.
 *
 * @example
 * const payme = createPayMeClient({ environment: "preprod", clientId, clientSecret, scopes: ["post:charges", "get:charges"] });
 * const token = await payme.auth.getToken();
 *
 * `environment` picks the documented token URL, API base URL and audience. `baseUrl` and
 * `tokenUrl` change where requests go, never the audience: only `audience` does. With your
 * own `Paths`, pass that spec's `operationScopes` so that a call the token lacks a scope for
 * fails fast.
 */
export function createPayMeClient<Paths extends {} = paths>(options: PayMeClientOptions<Paths>): PayMeClient<Paths> {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError(ID, "options", "must be an object");
  const environment: unknown = options.environment;
  if (!isPayMeEnvironment(environment)) {
    throw new InvalidOptionError(ID, "environment", `must be "preprod" or "production" (got ${typeof environment === "string" ? JSON.stringify(environment) : typeof environment})`);
  }
  const urls = PAYME_ENVIRONMENTS[environment];
  return createProviderClient<Paths, PayMeScope>(payMeProvider, options, {
    baseUrl: options.baseUrl ?? urls.baseUrl,
    tokenUrl: options.tokenUrl ?? urls.tokenUrl,
    audience: options.audience === undefined ? urls.audience : requireAudience(options.audience),
    scopes: requestedScopes(options.scopes),
    operationScopes,
  });
}
