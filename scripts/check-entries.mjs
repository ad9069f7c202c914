#!/usr/bin/env node
// Fails when a published package's main entry reaches test code: msw, a `/testing` module,
// or a package that is not a declared runtime dependency (walking the static imports of dist/),
// or when importing it touches Node's fetch globals: the first touch loads undici, about 20 ms
// of start-up that belongs to the first request, not to `import`.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const FETCH_GLOBALS = ["fetch", "Request", "Response", "Headers", "FormData", "AbortSignal"];
/** Imports `entry` in a fresh node with getters that record any touch of FETCH_GLOBALS. */
const TOUCHES = `const touched = new Set();
for (const name of ${JSON.stringify(FETCH_GLOBALS)}) {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, { configurable: true, get() { touched.add(name); return d.get ? d.get.call(globalThis) : d.value; } });
}
await import(process.argv[1]);
process.stdout.write(JSON.stringify([...touched]));`;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
let failures = 0;

for (const dir of readdirSync(join(root, "packages")).sort()) {
  const pkgPath = join(root, "packages", dir, "package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
  if (pkg.private) continue;
  // The main entry: dist/index.js for the built packages; @payauth/generate ships its source.
  const main = pkg.exports?.["."]?.default ?? "./dist/index.js";
  const entry = join(root, "packages", dir, main);
  if (!existsSync(entry)) throw new Error(`${pkg.name}: no ${main} (run pnpm build first)`);
  const allowed = new Set(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }));
  allowed.delete("msw");
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.includes(`${"/"}testing${"/"}`)) {
      console.error(`${pkg.name}: the main entry reaches ${file}`);
      failures++;
    }
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (spec.startsWith(".")) queue.push(resolve(dirname(file), spec));
      else if (!builtins.has(spec)) {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        if (!allowed.has(name) || spec.endsWith("/testing")) {
          console.error(`${pkg.name}: the main entry imports ${spec}, which is not a runtime dependency`);
          failures++;
        }
      }
    }
  }
  const touched = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", TOUCHES, pathToFileURL(entry).href], { encoding: "utf8" }));
  if (touched.length > 0) {
    console.error(`${pkg.name}: importing the main entry touches ${touched.join(", ")} (loads Node's fetch at import)`);
    failures++;
  } else {
    console.log(`${pkg.name}: main entry clean (${seen.size} modules, no fetch global touched at import)`);
  }
}
if (failures > 0) process.exit(1);
