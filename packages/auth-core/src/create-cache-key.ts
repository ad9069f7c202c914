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

const encoder = new TextEncoder();

/**
 * The token store key for one credential: `payauth:<provider>:<digest>`, where the digest is
 * HMAC-SHA256 keyed with the client secret over the token URL, client id, audience and
 * requested scopes (order-insensitive), as 64 hex digits (plain SHA-256 of the same parts when
 * no secret is given). A token is only ever found by a client holding the secret it was
 * obtained with; the secret itself is never stored. Web Crypto, so it runs wherever `fetch`
 * does (Node, Bun, Deno, Workers).
 */
export async function createCacheKey(parts: CacheKeyParts): Promise<string> {
  const scopes = [...new Set(parts.scopes ?? [])].sort();
  const data = encoder.encode(JSON.stringify([parts.tokenUrl, parts.clientId, parts.audience ?? null, scopes]));
  const { subtle } = globalThis.crypto;
  let digest: ArrayBuffer;
  if (parts.clientSecret === undefined) digest = await subtle.digest("SHA-256", data);
  else {
    const key = await subtle.importKey("raw", encoder.encode(`payauth/credential/v1\0${parts.clientSecret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    digest = await subtle.sign("HMAC", key, data);
  }
  // One flat string: appending 64 digits two at a time leaves a chain of 32 concatenations
  // behind (about 2 kB kept per client, the key living as long as its client).
  const out = [`payauth:${parts.provider}:`];
  for (const byte of new Uint8Array(digest)) out.push((byte | 256).toString(16).slice(1));
  return out.join("");
}
