import { Cluster } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { clientSuite } from "./client-suite.js";
import { cluster as clusterKinds, type ClusterKind } from "./clients.mjs";
import { startCluster, type RedisCluster } from "./redis-server.js";

// A real 3-master Redis Cluster on loopback; every cluster client kind through the same tests.
let cluster: RedisCluster;
let admin: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ masters: 3 });
  admin = new Cluster(cluster.masters.map((port) => ({ host: "127.0.0.1", port })));
  admin.on("error", () => undefined);
  await new Promise((resolve) => admin.once("ready", resolve));
});
afterAll(async () => {
  admin?.disconnect();
  await cluster?.stop();
});

clientSuite(Object.keys(clusterKinds) as ClusterKind[], async () => ({ where: { ports: cluster.masters }, admin: () => admin }));
