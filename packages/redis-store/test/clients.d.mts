import type { RedisClient } from "../src/index.js";

export type StandaloneKind = "ioredis 6" | "ioredis 5" | "iovalkey" | "node-redis 6" | "node-redis 5";
export type ClusterKind = "ioredis 6 Cluster" | "ioredis 5 Cluster" | "iovalkey Cluster" | "node-redis 6 createCluster" | "node-redis 5 createCluster";
export const standalone: Record<StandaloneKind, (where: { port: number }) => Promise<RedisClient>>;
export const cluster: Record<ClusterKind, (where: { ports: number[] }) => Promise<RedisClient>>;
export function makeClient(kind: StandaloneKind | ClusterKind, where: { port?: number; ports?: number[] }): Promise<RedisClient>;
export function isReady(client: RedisClient): boolean;
export function ready<T extends RedisClient>(client: T, ms?: number): Promise<T>;
export function close(client: RedisClient): void;
