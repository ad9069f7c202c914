import { Cluster as IoRedisCluster, Redis as IoRedis } from "ioredis";
import { Cluster as IoRedis5Cluster, Redis as IoRedis5 } from "ioredis5";
import { Cluster as IoValkeyCluster, Redis as IoValkey } from "iovalkey";
import { createClient, createCluster } from "redis";
import { createClient as createClient5, createCluster as createCluster5 } from "redis5";
import { describe, expectTypeOf, it } from "vitest";
import type { RedisClient, RedisTokenStoreOptions } from "../src/index.js";

// Each client's own type is accepted as `redis`, with no cast, whatever it was made with.
describe("the clients' types are accepted as `redis`", () => {
  it("ioredis 6 and 5, iovalkey: Redis and Cluster", () => {
    expectTypeOf<IoRedis>().toExtend<RedisClient>();
    expectTypeOf<IoRedisCluster>().toExtend<RedisClient>();
    expectTypeOf<IoRedis5>().toExtend<RedisClient>();
    expectTypeOf<IoRedis5Cluster>().toExtend<RedisClient>();
    expectTypeOf<IoValkey>().toExtend<RedisClient>();
    expectTypeOf<IoValkeyCluster>().toExtend<RedisClient>();
  });
  it("node-redis 6 and 5: createClient() and createCluster()", () => {
    expectTypeOf<ReturnType<typeof createClient>>().toExtend<RedisClient>();
    expectTypeOf<ReturnType<typeof createCluster>>().toExtend<RedisClient>();
    expectTypeOf<ReturnType<typeof createClient5>>().toExtend<RedisClient>();
    expectTypeOf<ReturnType<typeof createCluster5>>().toExtend<RedisClient>();
  });
  it("not anything", () => {
    expectTypeOf<{ get(): void }>().not.toExtend<RedisTokenStoreOptions["redis"]>();
  });
});
