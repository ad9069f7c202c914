import { createHash, createHmac } from "node:crypto";

export interface CacheKeyParts {
  provider: string;
  tokenUrl: string;
  clientId: string;
  /**
   * Binds the key to the credential: with it, the digest is an HMAC keyed with the secret, so
   * two clients with the same id and different secrets never share a token, and the key does
   * not reveal the secret (nor an unsalted hash of it). Provider clients always pass it.
   */
  clientSecret?: string | undefined;
  audience?: string | undefined;
  scopes?: readonly string[] | undefined;
}

/**
 * The token store key for one credential: `payauth:<provider>:<digest>`, where the digest is
 * HMAC-SHA256 keyed with the client secret over the token URL, client id, audience and
 * requested scopes (order-insensitive), as 64 hex digits (plain SHA-256 of the same parts when
 * no secret is given). A token is only ever found by a client holding the secret it was
 * obtained with; the secret itself is never stored.
 */
export function createCacheKey(parts: CacheKeyParts): string {
  const scopes = [...new Set(parts.scopes ?? [])].sort();
  const data = JSON.stringify([parts.tokenUrl, parts.clientId, parts.audience ?? null, scopes]);
  const hash = parts.clientSecret === undefined ? createHash("sha256") : createHmac("sha256", `payauth/credential/v1\0${parts.clientSecret}`);
  return `payauth:${parts.provider}:${hash.update(data).digest("hex")}`;
}
