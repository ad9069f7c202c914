export { createRedisTokenStore, type RedisTokenStoreOptions } from "./create-redis-token-store.js";
export type { EncryptionKey } from "./encryption.js";
