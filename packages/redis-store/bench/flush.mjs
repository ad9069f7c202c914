import { Redis } from "ioredis";

/** Empties the benchmark's Redis between runs. */
export async function flushall(port) {
  const redis = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 3 });
  redis.on("error", () => undefined);
  await redis.flushall();
  redis.disconnect();
}
