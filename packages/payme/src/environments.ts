import type { components } from "./generated/openapi.gen.js";
import type { PayMeEnvironment } from "./types.js";

/**
 * The `ALG-API-VERSION` header Pay-me requires on the token request and on every API request.
 * Typed from the spec's `AlgApiVersion` parameter, so the two cannot drift apart.
 */
export const PAYME_API_VERSION: components["parameters"]["AlgApiVersion"] = "1709847567";

/** Where one Pay-me environment is. */
export interface PayMeEnvironmentUrls {
  /** The documented token endpoint. */
  readonly tokenUrl: string;
  /** The API base URL (openapi-fetch's `baseUrl`). */
  readonly baseUrl: string;
  /** The `audience` of the token request: the API base URL with its trailing slash, as documented. */
  readonly audience: string;
}

/** The documented URLs of each environment (`servers` in `specs/payme.yaml`). */
export const PAYME_ENVIRONMENTS: Readonly<Record<PayMeEnvironment, PayMeEnvironmentUrls>> = Object.freeze({
  preprod: Object.freeze({
    tokenUrl: "https://auth.preprod.alignet.io/token",
    baseUrl: "https://api.preprod.alignet.io",
    audience: "https://api.preprod.alignet.io/",
  }),
  production: Object.freeze({
    tokenUrl: "https://auth.alignet.io/token",
    baseUrl: "https://api.alignet.io",
    audience: "https://api.alignet.io/",
  }),
});

/** Whether `value` names a Pay-me environment. */
export function isPayMeEnvironment(value: unknown): value is PayMeEnvironment {
  return typeof value === "string" && Object.hasOwn(PAYME_ENVIRONMENTS, value);
}
