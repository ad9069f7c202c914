import type { GetpaidEnvironment } from "./types.js";

/** getpaid's one token endpoint, for live and sandbox alike (`specs/getpaid.yaml`). */
export const GETPAID_TOKEN_URL = "https://auth.getpaid.io/oauth/token";

/**
 * Each environment's token `audience`, which is also its API base URL (`specs/getpaid.yaml`,
 * `servers`): live `https://api.getpaid.io`, sandbox `https://api.sandbox.getpaid.io`.
 */
export const GETPAID_AUDIENCES: Readonly<Record<GetpaidEnvironment, string>> = Object.freeze({
  live: "https://api.getpaid.io",
  sandbox: "https://api.sandbox.getpaid.io",
});

/** Every environment, in the order the docs show them. */
export const GETPAID_ENVIRONMENTS: readonly GetpaidEnvironment[] = Object.freeze(["live", "sandbox"] as const);

export function isGetpaidEnvironment(value: unknown): value is GetpaidEnvironment {
  return typeof value === "string" && (GETPAID_ENVIRONMENTS as readonly string[]).includes(value);
}
