import { createHash } from "node:crypto";

export interface CacheKeyParts {
  provider: string;
  tokenUrl: string;
  clientId: string;
  audience?: string | undefined;
  scopes?: readonly string[] | undefined;
}

/**
 * The token store key for one credential: `payauth:<provider>:<sha256>` of the token URL,
 * client id, audience and requested scopes (order-insensitive). The secret is never part of it.
 */
export function createCacheKey(parts: CacheKeyParts): string {
  const scopes = [...new Set(parts.scopes ?? [])].sort();
  const digest = createHash("sha256")
    .update(JSON.stringify([parts.tokenUrl, parts.clientId, parts.audience ?? null, scopes]))
    .digest("hex");
  return `payauth:${parts.provider}:${digest}`;
}
