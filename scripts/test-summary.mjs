#!/usr/bin/env node
// Totals the vitest JSON reports of every package (written by `pnpm test`, restored by turbo
// on a cache hit) into one closing line: "payauth tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let passed = 0;
let failed = 0;
let skipped = 0;
for (const pkg of readdirSync(join(root, "packages")).sort()) {
  const file = join(root, "packages", pkg, ".vitest", "results.json");
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${pkg}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
console.log(`payauth tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (passed === 0 || failed > 0) process.exit(1);
