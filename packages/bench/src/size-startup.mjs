// Size and start-up. Size: each entry bundled as a user's bundler would (esbuild, everything
// it imports included, minified, tree-shaken, `node:*` builtins left out), then gzipped (level
// 9, as size-limit does); 1 kB = 1,000 bytes. Start-up: `await import()` of each package in a
// fresh `node` process, against importing `node:path`.
import { execFile } from "node:child_process";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { isMain, log, median, report } from "./util.mjs";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const run$ = promisify(execFile);

/** What a user imports: the same named imports as the repo's .size-limit.json for payauth. */
export const BUNDLES = [
  { name: "@payauth/maxpay", source: 'export { createMaxPayClient, isAuthError } from "@payauth/maxpay";', payauth: true },
  { name: "@payauth/payme", source: 'export { createPayMeClient, isAuthError } from "@payauth/payme";', payauth: true },
  { name: "@payauth/getpaid", source: 'export { createGetpaidClient, isAuthError } from "@payauth/getpaid";', payauth: true },
  { name: "@payauth/autopay", source: 'export { createAutopayClient, isAuthError } from "@payauth/autopay";', payauth: true },
  { name: "openapi-fetch", source: 'export { default as createClient } from "openapi-fetch";' },
  { name: "openid-client", source: 'export { Configuration, clientCredentialsGrant } from "openid-client";' },
  { name: "simple-oauth2", source: 'export { ClientCredentials } from "simple-oauth2";' },
  { name: "openid-client + openapi-fetch", source: 'export { Configuration, clientCredentialsGrant } from "openid-client"; export { default as createClient } from "openapi-fetch";' },
  { name: "simple-oauth2 + openapi-fetch", source: 'export { ClientCredentials } from "simple-oauth2"; export { default as createClient } from "openapi-fetch";' },
];

export const SIZE_TARGET_BYTES = 9_000;
export const STARTUP_TARGET_MS = 20;
const IMPORTS = ["node:path", "@payauth/maxpay", "openapi-fetch", "openid-client", "simple-oauth2", "zod/mini"];

/** `node_modules/.pnpm/x/node_modules/zod/v4/…` → `zod`; `../auth-core/dist/…` → `@payauth/auth-core`. */
function packageOf(input) {
  const nm = input.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = input.slice(nm + "node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const local = /(?:^|\/)packages\/([^/]+)\//.exec(input) ?? /^\.\.\/([^/]+)\//.exec(input);
  return local ? `@payauth/${local[1]}` : input;
}

/** How a user's bundler builds an entry: everything bundled, minified and tree-shaken, `node:*` left out. */
const AS_USERS_BUNDLE = { bundle: true, write: false, format: "esm", platform: "node", minify: true, treeShaking: true, metafile: true, logLevel: "silent" };

async function bundle({ name, source }) {
  const result = await build({
    ...AS_USERS_BUNDLE,
    stdin: { contents: source, resolveDir: BENCH_DIR, loader: "js", sourcefile: `${name}-entry.js` },
    external: ["node:crypto"],
  });
  const code = result.outputFiles[0].contents;
  const byPackage = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      const pkg = packageOf(input);
      byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
    }
  }
  return { name, minBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, byPackage };
}

const PACKAGES_DIR = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The minified bytes of a provider entry by source file: the same bundle built from the
 * TypeScript sources (auth-core's too) instead of the packages' bundled dist files.
 */
async function bySourceFile({ name, source }) {
  const provider = name.split("/")[1];
  const result = await build({
    stdin: { contents: source.replace(name, `${PACKAGES_DIR}${provider}/src/index.ts`), resolveDir: BENCH_DIR, loader: "ts" },
    alias: { "@payauth/auth-core/validators": `${PACKAGES_DIR}auth-core/src/validators.ts`, "@payauth/auth-core": `${PACKAGES_DIR}auth-core/src/index.ts` },
    ...AS_USERS_BUNDLE,
  });
  const files = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input, { bytesInOutput }]) => ({ file: input.includes("node_modules/") ? packageOf(input) : `packages/${input.replace(/^(\.\.\/)+|^.*packages\//, "")}`, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { name, files };
}

/** Milliseconds `await import(spec)` takes in a fresh node process. */
async function importTime(spec) {
  const script = "const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));";
  const { stdout } = await run$(process.execPath, ["--input-type=module", "-e", script, spec], { cwd: BENCH_DIR });
  return Number(stdout);
}

export async function run({ runs = 10 } = {}) {
  log("size: bundling with esbuild…");
  const sizes = [];
  for (const b of BUNDLES) sizes.push({ ...(await bundle(b)), payauth: b.payauth === true });
  const largest = sizes.filter((s) => s.payauth).reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
  const largestBySource = await bySourceFile(BUNDLES.find((b) => b.name === largest.name));

  log(`start-up: ${runs} fresh processes per import…`);
  const times = Object.fromEntries(IMPORTS.map((s) => [s, []]));
  for (const spec of IMPORTS) await importTime(spec); // warm-up: the OS file cache, not node's
  for (let r = 0; r < runs; r++) for (const spec of IMPORTS) times[spec].push(await importTime(spec));
  const baseline = median(times["node:path"]);
  const startup = IMPORTS.map((spec) => ({ spec, medianMs: median(times[spec]), overBaselineMs: median(times[spec]) - baseline, runs }));
  return { sizes, largestBySource, startup, sizeTargetBytes: SIZE_TARGET_BYTES, startupTargetMs: STARTUP_TARGET_MS };
}

if (isMain(import.meta.url)) report(await run());
