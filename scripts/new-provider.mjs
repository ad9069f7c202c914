#!/usr/bin/env node
// `pnpm new-provider <id> [--pascal PayMe] [--display "Pay-me"]`
// Scaffolds specs/<id>.yaml and packages/<id>/ from scripts/templates/provider/ (a standard
// OAuth 2.0 client_credentials provider: an RFC 6749 form token request, client_secret_basic by
// default and client_secret_post, private_key_jwt or tls_client_auth by choice), then generates its code.
// Afterwards: edit the spec to match the provider's docs, `pnpm install`, `pnpm generate`,
// and adjust the provider definition, error mapping and fake where the provider differs.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const templates = join(root, "scripts", "templates", "provider");

const { positionals, values } = parseArgs({ allowPositionals: true, options: { pascal: { type: "string" }, display: { type: "string" } } });
const id = positionals[0];
if (positionals.length !== 1 || !/^[a-z][a-z0-9-]*$/.test(id)) {
  console.error("usage: pnpm new-provider <id> [--pascal Name] [--display \"Display name\"]   (id: lower-case, e.g. acme-pay)");
  process.exit(2);
}
const pascal = values.pascal ?? id.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
if (!/^[A-Z][A-Za-z0-9]*$/.test(pascal)) {
  console.error(`--pascal must be PascalCase, not ${pascal}`);
  process.exit(2);
}
const camel = pascal[0].toLowerCase() + pascal.slice(1);
const display = values.display ?? pascal;
const pkgDir = join(root, "packages", id);
const specPath = join(root, "specs", `${id}.yaml`);
if (existsSync(pkgDir) || existsSync(specPath)) {
  console.error(`packages/${id} or specs/${id}.yaml already exists`);
  process.exit(1);
}

const fill = (text) => text.replaceAll("__id__", id).replaceAll("__Pascal__", pascal).replaceAll("__camel__", camel).replaceAll("__Display__", display);
const renamed = {
  "spec.yaml": specPath,
  "src/provider.ts": join(pkgDir, "src", `${id}-provider.ts`),
  "src/create-client.ts": join(pkgDir, "src", `create-${id}-client.ts`),
  "src/map-error.ts": join(pkgDir, "src", `map-${id}-error.ts`),
  "src/testing/create-fake.ts": join(pkgDir, "src", "testing", `create-${id}-fake.ts`),
};

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

const written = [];
async function write(path, text) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  written.push(relative(root, path));
}

for await (const file of walk(templates)) {
  const name = relative(templates, file).replace(/\.tmpl$/, "");
  await write(renamed[name] ?? join(pkgDir, name), fill(await readFile(file, "utf8")));
}
// Configuration every provider package shares, copied from Max Pay's.
for (const name of ["tsconfig.json", "tsconfig.build.json", "vitest.config.ts", "LICENSE"]) {
  await write(join(pkgDir, name), await readFile(join(root, "packages", "maxpay", name), "utf8"));
}

execFileSync("node", [join(root, "scripts", "generate.mjs"), id], { stdio: "inherit" });
console.log(`\nScaffolded @payauth/${id}:\n  ${written.sort().join("\n  ")}\n`);
console.log("Next: edit the spec to match the docs (every TODO(maintainer)), then:");
console.log(`  pnpm install && pnpm generate && pnpm --filter @payauth/${id}... run build && pnpm --filter @payauth/${id} test`);
