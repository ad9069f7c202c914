import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// Real redis-server and worker processes: a bound against hangs, not a timing assertion.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 30_000, fileParallelism: false } }));
