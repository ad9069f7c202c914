// Cloudflare Workers for `pnpm test:runtimes`, run by Node:
//   node workers.mjs <consumer dir> <tools dir> <control url> [provider,…]
// 1. Bundles every provider entry as a Workers user would (esbuild, platform neutral, conditions
//    workerd/worker/browser, no Node compatibility) and fails if a `node:` import (or a bare Node
//    built-in) reaches any of them, naming the import chain.
// 2. Bundles worker/worker.mjs (the scenarios) the same way and runs it in workerd through
//    miniflare, against the fakes served from Node: one request per provider × scenario, plus
//    200 concurrent requests to one isolate sharing a module-scope client, and a fleet of 3
//    Workers (3 isolates) × 50 concurrent requests sharing a Durable Object token store
//    (worker/durable-object-token-store.mjs).
// Prints one JSON line per result, as run-scenarios.mjs does.
import { builtinModules, createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const [consumer, tools, control, providerList] = process.argv.slice(2);
if (!consumer || !tools || !control) throw new Error("usage: workers.mjs <consumer dir> <tools dir> <control url> [provider,…]");
const PROVIDERS = providerList ? providerList.split(",") : ["maxpay", "payme", "getpaid", "autopay"];
const { SCENARIOS, controlClient } = await import(pathToFileURL(join(consumer, "scenarios.mjs")).href);
const { Miniflare } = await import(pathToFileURL(createRequire(join(tools, "package.json")).resolve("miniflare")).href);

// The date workerd's own release names: every compatibility flag it has, none of Node's.
const COMPATIBILITY_DATE = "2026-07-30";
// What wrangler does for a Worker without nodejs_compat (its esbuild settings), minus minifying.
const WORKERS_BUILD = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2024",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  absWorkingDir: consumer,
  external: ["cloudflare:*"], // the Workers runtime's own modules
  write: false,
  logLevel: "silent",
};

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, name.split("/")[0]]));
/** Fails the build on any `node:` import or bare Node built-in, naming who imports it. */
const noNodeImports = {
  name: "no-node-imports",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path.startsWith("node:") || nodeBuiltins.has(args.path)) {
        const from = args.importer.startsWith(consumer) ? args.importer.slice(consumer.length + 1) : args.importer || "(entry)";
        return { errors: [{ text: `${from} imports "${args.path}": no node: import may reach a Workers bundle` }] };
      }
      return undefined;
    });
  },
};

const emit = (result) => console.log(JSON.stringify(result));

// --- 1. every provider entry, bundled for Workers ------------------------------------------
const ENTRIES = ["@payauth/auth-core", "@payauth/auth-core/validators", ...PROVIDERS.map((p) => `@payauth/${p}`)];
let entriesOk = true;
for (const entry of ENTRIES) {
  try {
    const out = await build({
      ...WORKERS_BUILD,
      stdin: { contents: `export * from ${JSON.stringify(entry)};`, resolveDir: consumer, loader: "js" },
      plugins: [noNodeImports],
      minify: true,
    });
    console.log(`${entry}: bundles for Workers, no node: import (${(out.outputFiles[0].contents.length / 1024).toFixed(1)} kB minified)`);
  } catch (error) {
    entriesOk = false;
    const messages = error.errors?.map((e) => `${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ""}`) ?? [String(error)];
    console.log(`${entry}: FAILED\n  ${messages.join("\n  ")}`);
  }
}
for (const provider of PROVIDERS) emit({ provider, scenario: "no-node-imports", ok: entriesOk, detail: entriesOk ? "entries bundle with workerd conditions" : "a node: import reaches an entry" });
if (!entriesOk) process.exit(1);

// --- 2. the scenarios in workerd -----------------------------------------------------------
const bundle = await build({ ...WORKERS_BUILD, entryPoints: [join(consumer, "worker.mjs")], plugins: [noNodeImports] });
const script = bundle.outputFiles[0].text;
// Three Workers, so three isolates, each with its own module scope; "a" hosts the Durable Object.
const FLEET = ["a", "b", "c"];
const mf = new Miniflare({
  workers: FLEET.map((name) => ({
    name,
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    durableObjects: { TOKENS: name === "a" ? "PayauthTokenObject" : { className: "PayauthTokenObject", scriptName: "a" } },
  })),
});
let failed = 0;
try {
  const ready = await mf.ready;
  const workerUrl = new URL("/", ready).href;
  emit({ runtime: `workerd (miniflare ${createRequire(join(tools, "package.json"))("miniflare/package.json").version}, compatibility date ${COMPATIBILITY_DATE})` });

  // Bounded: a Worker that hangs fails its scenario after 60 s instead of hanging the matrix.
  const workers = Object.fromEntries(await Promise.all(FLEET.map(async (name) => [name, await mf.getWorker(name)])));
  const ask = async (path, worker = "a") => {
    const response = await workers[worker].fetch(new URL(path, workerUrl), { signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    if (!response.ok) throw new Error(`Worker answered HTTP ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };

  // The providers side by side, as on the other runtimes; one request per scenario.
  await Promise.all(
    PROVIDERS.map(async (provider) => {
      for (const scenario of SCENARIOS) {
        const started = performance.now();
        let results;
        try {
          results = await ask(`/run?${new URLSearchParams({ control, provider, scenario })}`);
        } catch (error) {
          results = [{ provider, scenario, ok: false, detail: String(error?.message ?? error) }];
        }
        for (const result of results) {
          result.ms ??= Math.round(performance.now() - started);
          if (!result.ok) failed++;
          emit(result);
        }
      }
    }),
  );

  const ctl = controlClient(control);
  /** Runs `check(fake, query)` on a new fake of `provider` and emits its result. */
  const extra = async (provider, scenario, check) => {
    const fake = await ctl.newFake(provider);
    const started = performance.now();
    let result;
    try {
      result = await check(fake, (path) => `${path}?${new URLSearchParams({ fake: JSON.stringify(fake) })}`);
    } catch (error) {
      result = { ok: false, detail: String(error?.message ?? error) };
    } finally {
      await ctl.close(fake).catch(() => undefined);
    }
    if (!result.ok) failed++;
    emit({ provider, scenario, ...result, ms: Math.round(performance.now() - started) });
  };
  /** `n` concurrent requests to each of `workers`; answers the failed ones. */
  const round = async (query, workerNames, n) => {
    const answers = await Promise.allSettled(workerNames.flatMap((worker) => Array.from({ length: n }, () => ask(query, worker))));
    return answers.filter((a) => a.status === "rejected" || !a.value.ok);
  };
  const why = (bad) => `${bad.length} failed (${bad[0]?.reason?.message ?? JSON.stringify(bad[0]?.value)})`;

  // One provider at a time: hundreds of concurrent requests per provider are load enough for
  // two cores (all four at once lost connections in workerd).
  for (const provider of PROVIDERS) {
    // 200 concurrent requests to one isolate, each one call of a client kept at module scope:
    // the isolate's memory cache and single-flight serve them all with one token request.
    await extra(provider, "isolate-200", async (fake, query) => {
      const bad = await round(query("/cross-request"), ["a"], 200);
      const { tokenRequests } = await ctl.stats(fake);
      return bad.length === 0 && tokenRequests === 1
        ? { ok: true, detail: "200 Worker requests, 1 token request" }
        : { ok: false, detail: `${why(bad)}, ${tokenRequests} token requests` };
    });
    // A fleet of 3 Workers (3 isolates). With the default memory store, 3 token requests: the
    // cache is per isolate. With a Durable Object token store, 50 concurrent cold requests to
    // each make 1 token request in all, and after the provider revokes the token, 20 more to
    // each make 1 more (the replacement is shared too).
    await extra(provider, "durable-object-fleet", async (fake, query) => {
      const memoryFake = await ctl.newFake(provider);
      let memory;
      try {
        const bad = await round(`/cross-request?${new URLSearchParams({ fake: JSON.stringify(memoryFake) })}`, FLEET, 50);
        memory = { bad, tokenRequests: (await ctl.stats(memoryFake)).tokenRequests };
      } finally {
        await ctl.close(memoryFake).catch(() => undefined);
      }
      const bad = await round(query("/durable-object"), FLEET, 50);
      const cold = (await ctl.stats(fake)).tokenRequests;
      await ctl.revoke(fake);
      bad.push(...(await round(query("/durable-object"), FLEET, 20)));
      const after = (await ctl.stats(fake)).tokenRequests;
      const ok = memory.bad.length === 0 && memory.tokenRequests === FLEET.length && bad.length === 0 && cold === 1 && after === 2;
      return {
        ok,
        detail: ok
          ? `3 isolates × 50 cold requests: memory store ${memory.tokenRequests} token requests (one per isolate), Durable Object 1; after a revocation, 1 more`
          : `memory: ${why(memory.bad)}, ${memory.tokenRequests} token requests (want 3); Durable Object: ${why(bad)}, token requests ${cold} cold and ${after} after the revocation (want 1 and 2)`,
      };
    });
  }
} finally {
  await mf.dispose();
}
process.exitCode = failed === 0 ? 0 : 1;
