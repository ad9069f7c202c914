import { InvalidOptionError } from "@payauth/auth-core";

/**
 * A bad option of `createRedisTokenStore`, thrown at construction. `option` names the culprit;
 * the message never holds the value given (it may be a key). An `InvalidOptionError` (whose
 * `name` it keeps), so one `instanceof InvalidOptionError` covers every payauth package.
 */
export class RedisStoreOptionError extends InvalidOptionError {
  constructor(option: string, problem: string) {
    super("redis-store", option, problem);
  }
}
