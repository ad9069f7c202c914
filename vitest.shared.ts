import { defineConfig } from "vitest/config";

// Every package's vitest config: unit and end-to-end tests, type tests (`*.test-d.ts`) run
// by vitest's typecheck in the same run, and a JSON report that `scripts/test-summary.mjs` totals.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/results.json" },
  },
});
