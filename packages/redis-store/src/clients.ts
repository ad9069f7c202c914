/**
 * A Redis client, by its shape: an ioredis or iovalkey `Redis` or `Cluster` (ioredis 5 and 6), or a
 * node-redis client from `createClient()` or `createCluster()` (`redis` 5 and 6). Nothing of theirs
 * is imported: the store works with the one you pass, and needs no other installed.
 */
export interface RedisClient {
  eval(...args: never[]): unknown;
  get(...args: never[]): unknown;
  del(...args: never[]): unknown;
}

/** What the store uses of either family (ioredis has `status`; node-redis has `isReady`). */
export interface Client {
  status?: string;
  isReady?: boolean;
  isOpen?: boolean;
  /** A node-redis 5 cluster's masters: known once it connected (it has no `isReady`). */
  masters?: unknown[];
  connect(): Promise<unknown>;
  eval(...args: unknown[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<unknown>;
  duplicate(): Client;
  subscribe(channel: string, listener?: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  disconnect(): unknown;
  destroy?(): unknown;
}

export const noop = (): void => undefined;
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** node-redis (`createClient`, `createCluster`): no `status`, an `isOpen` getter. */
export const isNodeRedis = (client: Client): boolean => client.status === undefined && "isOpen" in client;

/** Ready for commands, or (node-redis) never opened: its commands then fail on their own. */
const isReady = (client: Client): boolean =>
  client.status ? client.status === "ready" : client.isOpen === false || (client.isReady ?? (client.masters?.length ?? 1) > 0);

/**
 * Resolves once `client` is ready, or after `ms` (its commands then fail on their own). An ioredis
 * client made with `lazyConnect` connects, as its first command would make it.
 */
export async function untilReady(client: Client, ms: number): Promise<void> {
  if (client.status === "wait") client.connect().catch(noop);
  for (const end = Date.now() + ms; !isReady(client) && Date.now() < end; ) await sleep(5);
}

/**
 * Pub/sub on one connection of its own (`duplicate()`), opened when a first waiter listens and
 * closed when the last one leaves, so that an idle process has no subscriber connection to keep
 * it alive. One listener per connection (ioredis) or per channel (node-redis), gone with it.
 */
export function createWakeUps(redis: Client, ms: number, within: <T>(promise: Promise<T>) => Promise<T>) {
  const nodeRedis = isNodeRedis(redis);
  const channels = new Map<string, { listeners: Set<(message: string) => void>; subscribed: Promise<unknown> }>();
  let connection: { client: Client; ready: Promise<unknown> } | undefined;
  const deliver = (channel: string, message: string): void => channels.get(channel)?.listeners.forEach((listener) => listener(message));

  function open(): { client: Client; ready: Promise<unknown> } {
    const client = redis.duplicate();
    client.on("error", noop);
    if (!nodeRedis) client.on("message", deliver);
    return { client, ready: nodeRedis ? client.connect() : untilReady(client, ms) };
  }

  /** Calls `listener` with each message on `channel` until the returned function is called. */
  return async function listen(channel: string, listener: (message: string) => void): Promise<() => void> {
    let entry = channels.get(channel);
    if (entry === undefined) {
      const { client, ready } = (connection ??= open());
      const subscribed = ready.then(() => (nodeRedis ? client.subscribe(channel, (message, from) => deliver(from, message)) : client.subscribe(channel)));
      subscribed.catch(noop);
      channels.set(channel, (entry = { listeners: new Set(), subscribed }));
    }
    const { listeners, subscribed } = entry;
    listeners.add(listener);
    const leave = (): void => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      channels.delete(channel);
      const { client } = connection!;
      if (channels.size > 0) client.unsubscribe(channel).catch(noop);
      else {
        // The last waiter left: close at once (even mid-connect), nothing stays to hold the process.
        connection = undefined;
        try {
          Promise.resolve(client.destroy ? client.destroy() : client.disconnect()).catch(noop);
        } catch {
          // Already closed (node-redis 5 throws then).
        }
      }
    };
    try {
      await within(subscribed);
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  };
}
