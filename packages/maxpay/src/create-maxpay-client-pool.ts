import { createClientPool, type ClientPool } from "@payauth/auth-core";
import { createMaxPayClient } from "./create-maxpay-client.js";
import type { paths } from "./generated/openapi.gen.js";
import type { MaxPayClient, MaxPayClientPoolOptions } from "./types.js";

/**
 * Max Pay clients for many merchants, one per tenant: `resolve(tenantId)` gives the
 * `createMaxPayClient` options of a tenant (its credentials, or a secret supplier), the pool
 * creates its client on first use, keeps at most `maxClients` (least recently used dropped),
 * and shares `tokenStore` and `onEvent` (with `tenantId`) between them.
 *
 * @example
 * const pool = createMaxPayClientPool({ resolve: async (tenantId) => loadCredentials(tenantId) });
 * const client = await pool.get("tenant-42");
 */
export function createMaxPayClientPool<Paths extends {} = paths>(options: MaxPayClientPoolOptions<Paths>): ClientPool<MaxPayClient<Paths>> {
  return createClientPool(createMaxPayClient<Paths>, options, "maxpay");
}
