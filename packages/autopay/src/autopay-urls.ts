import type { AutopayTokenRequest } from "./types.js";

/** Autopay's API base URL, the default `baseUrl` (the docs' only environment). */
export const AUTOPAY_BASE_URL = "https://api.autopay.io";

/** Autopay's token endpoint, the default `tokenUrl`. */
export const AUTOPAY_TOKEN_URL = "https://api-auth.autopay.io/oauth/token";

/**
 * The `audience` every token request carries: Autopay's docs say it "must always be"
 * `https://api.autopay.io`. Typed by the spec's `const`, so the two cannot drift apart.
 */
export const AUTOPAY_AUDIENCE: AutopayTokenRequest["audience"] = "https://api.autopay.io";
