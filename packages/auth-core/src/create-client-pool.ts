import type { AuthEvent, TokenStore } from "./types.js";
import { InvalidOptionError } from "./validate-options.js";

/** What every client factory's options have in common that a pool sets for its clients. */
interface PooledOptions {
  tokenStore?: TokenStore | undefined;
  onEvent?: ((event: AuthEvent) => void) | undefined;
}

/** An event of one pooled client, with the tenant it belongs to. */
export type PoolEvent = AuthEvent & { readonly tenantId: string };

export interface ClientPoolOptions<Options> {
  /**
   * The client factory's options for a tenant (its base URL, client id and secret or secret
   * supplier…). Called once per tenant while its client is in the pool; concurrent `get`s of
   * one tenant share one call, and a failure is not kept (the next `get` calls it again).
   */
  resolve: (tenantId: string) => Options | Promise<Options>;
  /** At most this many clients; beyond it, the least recently used is dropped. Default 1,000. */
  maxClients?: number | undefined;
  /** Drop a client not used for this long (checked on use: no timer). Default: never. */
  idleTimeoutMs?: number | undefined;
  /**
   * Shared by every client of the pool, over the one `resolve` gives: a shared store (Redis,
   * for a fleet) keeps a dropped client's token, so coming back costs no token request.
   */
  tokenStore?: TokenStore | undefined;
  /** Receives every client's events, each with its `tenantId`. */
  onEvent?: ((event: PoolEvent) => void) | undefined;
  /** For `idleTimeoutMs`; default `performance.now()`. */
  now?: (() => number) | undefined;
}

/** Clients per tenant, created on first use and bounded. */
export interface ClientPool<Client> {
  /** The tenant's client: the pooled one, or a new one from `resolve`. */
  get(tenantId: string): Promise<Client>;
  /** Drops the tenant's client (e.g. when the merchant disconnects); its token stays in a shared store. */
  delete(tenantId: string): Promise<void>;
  /** Drops every client. */
  clear(): Promise<void>;
  /** How many clients the pool holds now. */
  readonly size: number;
}

export const DEFAULT_MAX_CLIENTS = 1_000;

/**
 * A pool of clients, one per tenant (a platform's merchants, each with its own credentials),
 * built by `create` from what `resolve` gives. Each client keeps its own token lifecycle, so
 * one tenant's failures, circuit breaker or request cap never touch another's calls. The pool
 * holds no timer and no socket: an idle client costs memory only, and at `maxClients` the
 * least recently used one is dropped. Provider packages export it ready-made
 * (`createMaxPayClientPool`, …).
 */
export function createClientPool<Options extends PooledOptions, Client>(
  create: (options: Options) => Client,
  options: ClientPoolOptions<Options>,
  provider = "auth-core",
): ClientPool<Client> {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError(provider, "options", "must be an object");
  if (typeof options.resolve !== "function") throw new InvalidOptionError(provider, "resolve", "must be a function (tenantId) => the client options for that tenant");
  const maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
  if (!Number.isInteger(maxClients) || maxClients < 1) throw new InvalidOptionError(provider, "maxClients", "must be a whole number >= 1");
  const idleTimeoutMs = options.idleTimeoutMs;
  if (idleTimeoutMs !== undefined && !(typeof idleTimeoutMs === "number" && Number.isFinite(idleTimeoutMs) && idleTimeoutMs > 0)) {
    throw new InvalidOptionError(provider, "idleTimeoutMs", "must be a finite number > 0");
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") throw new InvalidOptionError(provider, "onEvent", "must be a function");
  const now = options.now ?? (() => performance.now());
  const { resolve, tokenStore, onEvent } = options;
  /** In least-recently-used order: a `Map` keeps insertion order, and a use re-inserts. */
  const clients = new Map<string, { client: Client; usedAt: number }>();
  const pending = new Map<string, Promise<Client>>();

  function dropIdle(at: number): void {
    if (idleTimeoutMs === undefined) return;
    for (const [tenantId, entry] of clients) {
      if (at - entry.usedAt < idleTimeoutMs) break;
      clients.delete(tenantId);
    }
  }

  async function build(tenantId: string): Promise<Client> {
    const resolved = await resolve(tenantId);
    if (typeof resolved !== "object" || resolved === null) throw new InvalidOptionError(provider, "resolve", "must give the client options (an object) for a tenant");
    const own = resolved.onEvent;
    const forward =
      onEvent === undefined && own === undefined
        ? undefined
        : (event: AuthEvent) => {
            own?.(event);
            onEvent?.({ ...event, tenantId });
          };
    return create({ ...resolved, ...(tokenStore === undefined ? {} : { tokenStore }), ...(forward === undefined ? {} : { onEvent: forward }) });
  }

  return {
    async get(tenantId) {
      const at = now();
      dropIdle(at);
      const entry = clients.get(tenantId);
      if (entry !== undefined) {
        clients.delete(tenantId);
        entry.usedAt = at;
        clients.set(tenantId, entry);
        return entry.client;
      }
      let creating = pending.get(tenantId);
      if (creating === undefined) {
        creating = build(tenantId).then(
          (client) => {
            // Deleted (or cleared) while resolving: hand out the client, keep nothing.
            if (pending.get(tenantId) === creating) {
              pending.delete(tenantId);
              clients.set(tenantId, { client, usedAt: now() });
              for (const oldest of clients.keys()) {
                if (clients.size <= maxClients) break;
                clients.delete(oldest);
              }
            }
            return client;
          },
          (error: unknown) => {
            if (pending.get(tenantId) === creating) pending.delete(tenantId);
            throw error;
          },
        );
        pending.set(tenantId, creating);
      }
      return creating;
    },
    async delete(tenantId) {
      clients.delete(tenantId);
      pending.delete(tenantId);
    },
    async clear() {
      clients.clear();
      pending.clear();
    },
    get size() {
      return clients.size;
    },
  };
}
