import { AuthError, isAuthError } from "./auth-error.js";
import { createCacheKey } from "./create-cache-key.js";
import { Manager, type ManagerOptions } from "./create-token-manager.js";
import type { TokenGrant } from "./types.js";

/** Where a client secret comes from when it is not a fixed string: a secret manager, a mounted file. */
export type SecretSupplier = () => string | Promise<string>;

/**
 * The key under which a client given no `tokenStore` keeps its token: the store is its own, so
 * there is nothing to tell apart, and no digest to compute on the first call or to keep (about
 * 100 bytes per client).
 */
const OWN_STORE_KEY = "payauth:own";

/** A grant, with the store key of the secret it was obtained with. */
export type KeyedGrant = TokenGrant & { cacheKey: string };

/**
 * A token manager for one client's credential: its store key, and token requests made with its
 * current secret (`send`, the provider's token request). A fixed secret is kept for the
 * client's life, its key computed once, on the first cold call. A supplier is called whenever a
 * token request (or a cold store read) needs the secret, never on a warm call, and its value is
 * not kept: only the key derived from it. With a supplier, when the provider refuses the secret
 * as `invalid-credentials` and the supplier now returns another (it was rotated), the token
 * request is sent once more at once with that one.
 */
export abstract class CredentialManager<Scope extends string = string> extends Manager<Scope> {
  /** A fixed secret's key, once computed (or while it is). */
  #key: string | Promise<string> | undefined = undefined;

  constructor(
    options: ManagerOptions & { provider: string },
    readonly secret: string | SecretSupplier,
    readonly clientId: string,
    readonly tokenUrl: string,
    readonly audience: string | undefined,
  ) {
    super(options);
  }

  /** One token request with `secret`. */
  abstract send(secret: string): Promise<TokenGrant>;

  #keyFor(clientSecret: string): Promise<string> {
    if (this.hasOwnStore()) return Promise.resolve(OWN_STORE_KEY);
    return createCacheKey({ provider: this.provider, tokenUrl: this.tokenUrl, clientId: this.clientId, audience: this.audience, scopes: this.requestedScopes, clientSecret });
  }

  /** The store key for the current secret (a supplier is asked for it). */
  override async storeKey(): Promise<string> {
    const { secret } = this;
    if (typeof secret !== "string") return (this.currentKey = await this.#keyFor(await this.#supplied()));
    // Kept as the string once known: a settled promise would hold it too, at twice the size.
    return (this.currentKey = await (this.#key ??= this.#keyFor(secret).then((key) => (this.#key = key))));
  }

  override async requestToken(): Promise<KeyedGrant> {
    const { secret } = this;
    if (typeof secret === "string") return { ...(await this.send(secret)), cacheKey: await this.storeKey() };
    const first = await this.#supplied();
    try {
      return { ...(await this.send(first)), cacheKey: await this.#keyFor(first) };
    } catch (error) {
      if (!isAuthError(error, "invalid-credentials")) throw error;
      const next = await this.#supplied();
      if (next === first) throw error;
      // Rotated: the new secret, once, at once.
      return { ...(await this.send(next)), cacheKey: await this.#keyFor(next) };
    }
  }

  /** The supplier's secret, or `invalid-credentials` (the cause kept, the value never shown). */
  async #supplied(): Promise<string> {
    const { provider } = this;
    let value: unknown;
    try {
      value = await (this.secret as SecretSupplier)();
    } catch (cause) {
      throw new AuthError({ code: "invalid-credentials", provider, message: "the clientSecret supplier failed; no token request was sent", cause });
    }
    if (typeof value !== "string" || value.trim() === "" || value !== value.trim()) {
      const what = typeof value !== "string" ? `a ${value === null ? "null" : typeof value}` : value.trim() === "" ? "an empty string" : "a string with surrounding white space";
      throw new AuthError({ code: "invalid-credentials", provider, message: `the clientSecret supplier returned ${what}, not a secret; no token request was sent` });
    }
    return value;
  }
}
