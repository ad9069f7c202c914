#!/usr/bin/env node
// Fails when a committed generated file differs from what the specs generate now: each
// provider's `src/generated/*.gen.ts` (from `specs/<provider>.yaml`) and each test fixture's
// `*.gen.ts` (from `packages/<provider>/test/fixtures/<name>/<name>.yaml`, next to it), all
// written by `scripts/generate.mjs` without arguments.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, encoding: "utf8" });

run("node", ["scripts/generate.mjs"]);
const generated = [":(glob)packages/*/src/generated/**", ":(glob)packages/*/test/fixtures/**/*.gen.ts"];
const changed = run("git", ["status", "--porcelain", "--untracked-files=all", "--", ...generated]);
if (changed.trim() !== "") {
  console.error("Generated files are out of date with their specs (run `pnpm generate` and commit):\n" + changed);
  console.error(run("git", ["diff", "--", ...generated]));
  process.exit(1);
}
console.log("generated files match specs/ and the test fixtures' specs");
