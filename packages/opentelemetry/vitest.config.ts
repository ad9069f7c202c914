import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// Loopback servers and real timeouts: a bound against hangs on a loaded machine, not a timing assertion.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 30_000 } }));
