import { createClientPool, type ClientPool } from "@payauth/auth-core";
import { createPayMeClient } from "./create-payme-client.js";
import type { paths } from "./generated/openapi.gen.js";
import type { PayMeClient, PayMeClientPoolOptions } from "./types.js";

/**
 * Pay-me clients for many merchants, one per tenant: `resolve(tenantId)` gives the
 * `createPayMeClient` options of a tenant (its credentials, or a secret supplier), the pool
 * creates its client on first use, keeps at most `maxClients` (least recently used dropped),
 * and shares `tokenStore` and `onEvent` (with `tenantId`) between them.
 *
 * @example
 * const pool = createPayMeClientPool({ resolve: async (tenantId) => loadCredentials(tenantId) });
 * const client = await pool.get("tenant-42");
 */
export function createPayMeClientPool<Paths extends {} = paths>(options: PayMeClientPoolOptions<Paths>): ClientPool<PayMeClient<Paths>> {
  return createClientPool(createPayMeClient<Paths>, options, "payme");
}
