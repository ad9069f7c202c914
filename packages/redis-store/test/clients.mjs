// Every Redis client the store takes, made the way its README says to (fail fast, reconnect on
// its own), for the tests, the fleet worker and the benchmark. Plain JS so that worker processes
// (which run the build) share it; types in clients.d.mts.
import { Cluster as IoRedisCluster, Redis as IoRedis } from "ioredis";
import { Cluster as IoRedis5Cluster, Redis as IoRedis5 } from "ioredis5";
import { Cluster as IoValkeyCluster, Redis as IoValkey } from "iovalkey";
import { createClient, createCluster } from "redis";
import { createClient as createClient5, createCluster as createCluster5 } from "redis5";

const ioOptions = { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 };
const noop = () => undefined;

function ioredis(Redis) {
  return ({ port }) => new Redis({ port, host: "127.0.0.1", ...ioOptions });
}
function ioredisCluster(Cluster) {
  return ({ ports }) =>
    new Cluster(
      ports.map((port) => ({ host: "127.0.0.1", port })),
      { enableOfflineQueue: false, clusterRetryStrategy: () => 100, redisOptions: ioOptions },
    );
}
function nodeRedis(create) {
  return ({ port }) => {
    const client = create({ socket: { host: "127.0.0.1", port, reconnectStrategy: () => 100 }, disableOfflineQueue: true });
    client.on("error", noop);
    client.connect().catch(noop);
    return client;
  };
}
function nodeRedisCluster(create) {
  return ({ ports }) => {
    const cluster = create({
      rootNodes: ports.map((port) => ({ socket: { host: "127.0.0.1", port } })),
      defaults: { socket: { reconnectStrategy: () => 100 }, disableOfflineQueue: true },
    });
    cluster.on("error", noop);
    cluster.connect().catch(noop);
    return cluster;
  };
}

/** Standalone clients, by name. Each factory returns the client at once, still connecting. */
export const standalone = {
  "ioredis 6": ioredis(IoRedis),
  "ioredis 5": ioredis(IoRedis5),
  "iovalkey": ioredis(IoValkey),
  "node-redis 6": nodeRedis(createClient),
  "node-redis 5": nodeRedis(createClient5),
};

/** Cluster clients, by name. */
export const cluster = {
  "ioredis 6 Cluster": ioredisCluster(IoRedisCluster),
  "ioredis 5 Cluster": ioredisCluster(IoRedis5Cluster),
  "iovalkey Cluster": ioredisCluster(IoValkeyCluster),
  "node-redis 6 createCluster": nodeRedisCluster(createCluster),
  "node-redis 5 createCluster": nodeRedisCluster(createCluster5),
};

/** `standalone[kind]({ port })` or `cluster[kind]({ ports })`. */
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
