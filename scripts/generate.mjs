#!/usr/bin/env node
// The monorepo's `pnpm generate`, on @payauth/generate (packages/generate: the one generator,
// published as `payauth-generate` for users' own specs). For each provider package it writes
// `src/generated/{openapi,operations,schemas}.gen.ts` from `specs/<provider>.yaml`, and the same
// three files for each test fixture spec, `packages/<provider>/test/fixtures/<name>/<name>.yaml`,
// next to it.
// Usage: node scripts/generate.mjs [provider ...]   (no argument: every spec; a provider's fixtures come with it)
//        node scripts/generate.mjs --spec <path.yaml> --out <dir>   (any spec, the three files; users run
//        `npx @payauth/generate <spec> --out <dir>` instead)
// A spec that cannot be represented is refused, nothing written, with an error naming the spec and
// the JSON pointer of the value (`specs/x.yaml#/components/schemas/X: …`), and exit code 1.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { emitOperationScopes, generateSpec as generateFiles } from "../packages/generate/src/index.js";

export { emitOperationScopes };

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A path as the headers name it: relative to the repository when inside it, with `/` separators. */
function displayPath(path) {
  const inside = relative(root, path);
  const shown = inside.startsWith("..") || isAbsolute(inside) ? relative(process.cwd(), path) : inside;
  return shown.split("\\").join("/");
}

/**
 * Writes `openapi.gen.ts`, `operations.gen.ts` and `schemas.gen.ts` for the spec at `specPath`
 * into `outDir`; `command` is what the headers tell a reader to run after editing the spec.
 */
export async function generateSpec(specPath, outDir, command = "pnpm generate") {
  const written = await generateFiles({ specPath, specLabel: displayPath(specPath), outDir, command, schemas: true });
  return written.map(displayPath);
}

/** The test fixture specs of a provider package: `test/fixtures/<name>/<name>.yaml`, generated next to themselves. */
export async function fixtureSpecs(provider) {
  const dir = join(root, "packages", provider, "test", "fixtures");
  if (!existsSync(dir)) return [];
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const spec = join(dir, entry.name, `${entry.name}.yaml`);
    if (entry.isDirectory() && existsSync(spec)) found.push(spec);
  }
  return found.sort();
}

/** Generates a provider package's code from `specs/<provider>.yaml`, and its test fixtures. */
export async function generate(provider) {
  const written = await generateSpec(join(root, "specs", `${provider}.yaml`), join(root, "packages", provider, "src", "generated"));
  for (const spec of await fixtureSpecs(provider)) written.push(...(await generateSpec(spec, dirname(spec))));
  return written;
}

/** `path` relative to the working directory, as a command run there names it. */
const fromCwd = (path) => relative(process.cwd(), path).split("\\").join("/") || ".";

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { spec: { type: "string" }, out: { type: "string" } } });
  if (values.spec !== undefined || values.out !== undefined) {
    if (values.spec === undefined || values.out === undefined || positionals.length > 0) {
      throw new Error("usage: node scripts/generate.mjs --spec <path.yaml> --out <dir>   (both, and no provider)");
    }
    const spec = resolve(values.spec);
    const out = resolve(values.out);
    // A fixture generated next to itself is what `pnpm generate` writes too: the same header.
    const isFixture = out === dirname(spec) && /^packages\/[^/]+\/test\/fixtures\/([^/]+)\/\1\.yaml$/.test(relative(root, spec).split("\\").join("/"));
    const command = isFixture ? "pnpm generate" : `node ${fromCwd(fileURLToPath(import.meta.url))} --spec ${fromCwd(spec)} --out ${fromCwd(out)}`;
    for (const file of await generateSpec(spec, out, command)) console.log(`generated ${file}`);
    return;
  }
  let providers = positionals;
  if (providers.length === 0) {
    providers = (await readdir(join(root, "specs"))).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort();
  }
  for (const provider of providers) {
    for (const file of await generate(provider)) console.log(`generated ${file}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
