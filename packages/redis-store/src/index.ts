export { createRedisTokenStore, type RedisTokenStoreOptions } from "./create-redis-token-store.js";
export type { RedisClient } from "./clients.js";
export type { EncryptionKey } from "./encryption.js";
export { RedisStoreOptionError } from "./redis-store-option-error.js";
