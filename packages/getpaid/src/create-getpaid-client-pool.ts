import { createClientPool, type ClientPool } from "@payauth/auth-core";
import { createGetpaidClient } from "./create-getpaid-client.js";
import type { paths } from "./generated/openapi.gen.js";
import type { GetpaidClient, GetpaidClientPoolOptions } from "./types.js";

/**
 * getpaid clients for many merchants, one per tenant: `resolve(tenantId)` gives the
 * `createGetpaidClient` options of a tenant (its credentials, or a secret supplier), the pool
 * creates its client on first use, keeps at most `maxClients` (least recently used dropped),
 * and shares `tokenStore` and `onEvent` (with `tenantId`) between them.
 *
 * @example
 * const pool = createGetpaidClientPool({ resolve: async (tenantId) => loadCredentials(tenantId) });
 * const client = await pool.get("tenant-42");
 */
export function createGetpaidClientPool<Paths extends {} = paths>(options: GetpaidClientPoolOptions<Paths>): ClientPool<GetpaidClient<Paths>> {
  return createClientPool(createGetpaidClient<Paths>, options, "getpaid");
}
