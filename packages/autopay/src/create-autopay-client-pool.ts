import { createClientPool, type ClientPool } from "@payauth/auth-core";
import { createAutopayClient } from "./create-autopay-client.js";
import type { paths } from "./generated/openapi.gen.js";
import type { AutopayClient, AutopayClientPoolOptions } from "./types.js";

/**
 * Autopay clients for many merchants, one per tenant: `resolve(tenantId)` gives the
 * `createAutopayClient` options of a tenant (its credentials, or a secret supplier), the pool
 * creates its client on first use, keeps at most `maxClients` (least recently used dropped),
 * and shares `tokenStore` and `onEvent` (with `tenantId`) between them.
 *
 * @example
 * const pool = createAutopayClientPool({ resolve: async (tenantId) => loadCredentials(tenantId) });
 * const client = await pool.get("tenant-42");
 */
export function createAutopayClientPool<Paths extends {} = paths>(options: AutopayClientPoolOptions<Paths>): ClientPool<AutopayClient<Paths>> {
  return createClientPool(createAutopayClient<Paths>, options, "autopay");
}
