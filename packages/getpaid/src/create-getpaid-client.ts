import { createProviderClient, InvalidOptionError } from "@payauth/auth-core";
import { GETPAID_AUDIENCES, GETPAID_TOKEN_URL, isGetpaidEnvironment } from "./environments.js";
import type { paths } from "./generated/openapi.gen.js";
import { operationScopes } from "./generated/operations.gen.js";
import { getpaidProvider } from "./getpaid-provider.js";
import type { GetpaidClient, GetpaidClientOptions, GetpaidScope } from "./types.js";

function requireAudience(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw new InvalidOptionError("getpaid", "audience", "must be a non-empty string");
  if (value !== value.trim()) throw new InvalidOptionError("getpaid", "audience", "must not start or end with white space");
  return value;
}

/**
 * A getpaid API client: `GET`, `POST`, … typed by `specs/getpaid.yaml` (or your own `Paths`),
 * with the token fetched on first use, cached, renewed before expiry and shared by concurrent calls.
 *
 * `environment` picks the audience sent to `https://auth.getpaid.io/oauth/token` and the API
 * base URL: live `https://api.getpaid.io`, sandbox `https://api.sandbox.getpaid.io`. Overriding
 * `baseUrl` or `tokenUrl` changes where requests go, never the audience: only `audience` does.
 *
 * @example
 * const getpaid = createGetpaidClient({ environment: "sandbox", clientId, clientSecret, scopes: ["invoices:read_write"] });
 * const token = await getpaid.auth.getToken();
 *
 * getpaid documents only its token endpoint: type its API with `paths` generated from a fuller
 * spec, and pass that spec's `operationScopes` so that a call the token lacks a scope for fails
 * fast: `createGetpaidClient<paths>({ …, operationScopes })`.
 */
export function createGetpaidClient<Paths extends {} = paths>(options: GetpaidClientOptions<Paths>): GetpaidClient<Paths> {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("getpaid", "options", "must be an object");
  const environment: unknown = options.environment;
  if (!isGetpaidEnvironment(environment)) throw new InvalidOptionError("getpaid", "environment", 'must be "live" or "sandbox"');
  const environmentUrl = GETPAID_AUDIENCES[environment];
  return createProviderClient<Paths, GetpaidScope>(getpaidProvider, options, {
    baseUrl: options.baseUrl ?? environmentUrl,
    tokenUrl: options.tokenUrl ?? GETPAID_TOKEN_URL,
    audience: requireAudience(options.audience) ?? environmentUrl,
    scopes: options.scopes,
    operationScopes,
  });
}
