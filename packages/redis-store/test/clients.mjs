// Every Redis client the store takes, made the way its README says to (fail fast, reconnect on
// its own), for the tests, the fleet worker and the benchmark. Plain JS so that worker processes
// (which run the build) share it; types in clients.d.mts.
// Each library is imported when a client of its kind is first made: a worker process loads one.

const ioOptions = { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 };
const noop = () => undefined;

function ioredis(library) {
  return async ({ port }) => {
    const { Redis } = await import(library);
    const client = new Redis({ port, host: "127.0.0.1", ...ioOptions });
    client.on("error", noop);
    return client;
  };
}
function ioredisCluster(library) {
  return async ({ ports }) => {
    const { Cluster } = await import(library);
    const client = new Cluster(
      ports.map((port) => ({ host: "127.0.0.1", port })),
      { enableOfflineQueue: false, clusterRetryStrategy: () => 100, redisOptions: ioOptions },
    );
    client.on("error", noop);
    return client;
  };
}
function nodeRedis(library) {
  return async ({ port }) => {
    const { createClient } = await import(library);
    const client = createClient({ socket: { host: "127.0.0.1", port, reconnectStrategy: () => 100 }, disableOfflineQueue: true });
    client.on("error", noop);
    client.connect().catch(noop);
    return client;
  };
}
function nodeRedisCluster(library) {
  return async ({ ports }) => {
    const { createCluster } = await import(library);
    const cluster = createCluster({
      rootNodes: ports.map((port) => ({ socket: { host: "127.0.0.1", port } })),
      defaults: { socket: { reconnectStrategy: () => 100 }, disableOfflineQueue: true },
    });
    cluster.on("error", noop);
    cluster.connect().catch(noop);
    return cluster;
  };
}

/** Standalone clients, by name. Each factory resolves with the client at once, still connecting. */
export const standalone = {
  "ioredis 6": ioredis("ioredis"),
  "ioredis 5": ioredis("ioredis5"),
  "iovalkey": ioredis("iovalkey"),
  "node-redis 6": nodeRedis("redis"),
  "node-redis 5": nodeRedis("redis5"),
};

/** Cluster clients, by name. */
export const cluster = {
  "ioredis 6 Cluster": ioredisCluster("ioredis"),
  "ioredis 5 Cluster": ioredisCluster("ioredis5"),
  "iovalkey Cluster": ioredisCluster("iovalkey"),
  "node-redis 6 createCluster": nodeRedisCluster("redis"),
  "node-redis 5 createCluster": nodeRedisCluster("redis5"),
};

/** `standalone[kind]({ port })` or `cluster[kind]({ ports })`: the client, still connecting. */
export function makeClient(kind, where) {
  const make = standalone[kind] ?? cluster[kind];
  if (make === undefined) throw new Error(`unknown client kind ${kind}`);
  return make(where);
}

export function isReady(client) {
  // A node-redis 5 cluster has no isReady: it knows its masters once connected.
  return client.status === undefined ? (client.isReady ?? client.masters.length > 0) === true : client.status === "ready";
}

/** Resolves once `client` is ready (for tests that want it connected first). */
export async function ready(client, ms = 10_000) {
  const end = Date.now() + ms;
  while (!isReady(client)) {
    if (Date.now() > end) throw new Error("client not ready");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return client;
}

/** Closes a client of either family, without waiting for pending replies. */
export function close(client) {
  try {
    if (client.status === undefined) Promise.resolve(client.destroy()).catch(noop);
    else client.disconnect();
  } catch {
    // already closed
  }
}
