import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// Loopback scenarios with 1,000 callers and a real one-second Retry-After: a generous bound
// for a loaded 2-core machine (a bound against hangs, not a timing assertion).
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000 } }));
