#!/usr/bin/env node
// Builds the package in the current directory: one bundled ESM file per entry in its package.json
// `exports` (src/<entry>.ts → dist/<entry>.js; code shared by entries goes to dist/chunks/), its
// dependencies left as imports, then declarations by tsc. One file per entry instead of tsc's
// one per module: Node loads an ES module file at a cost, and importing a provider package went
// from about 27 ms over `node:path` to about 8 ms.
import { rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const entryPoints = {};
for (const [key, target] of Object.entries(pkg.exports ?? {})) {
  if (key === "./package.json") continue;
  const out = typeof target === "string" ? target : target.default;
  const match = /^\.\/dist\/(.+)\.js$/.exec(out ?? "");
  if (!match) throw new Error(`${pkg.name}: export ${key} → ${out} is not ./dist/<entry>.js`);
  entryPoints[match[1]] = `src/${match[1]}.ts`;
}

await rm("dist", { recursive: true, force: true });
await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  logLevel: "warning",
});
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly"], { stdio: "inherit" });
console.log(`${pkg.name}: ${Object.keys(entryPoints).map((e) => `dist/${e}.js`).join(", ")} and declarations`);
