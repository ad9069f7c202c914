import type { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { clientSuite } from "./client-suite.js";
import { standalone, type StandaloneKind } from "./clients.mjs";
import { startRedis, type RedisServer } from "./redis-server.js";

// Every standalone client kind through the same tests, on one redis-server.
let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await startRedis();
  admin = await server.client();
});
afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

clientSuite(Object.keys(standalone) as StandaloneKind[], async () => ({ where: { port: server.port }, admin: () => admin }));
