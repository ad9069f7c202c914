// Runs scenarios.mjs on the runtime that runs this file (Node, Bun or Deno), from the consumer
// project run.sh installed, and prints one JSON line per result:
//   node|bun run run-scenarios.mjs <control url> [provider,…]
//   deno run --allow-net=127.0.0.1 --allow-read --allow-env run-scenarios.mjs <control url> [provider,…]
import { PROVIDERS, runScenarios } from "./scenarios.mjs";

const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
const [control, providers] = args;
if (!control) throw new Error("usage: run-scenarios.mjs <control url> [provider,…]");

const version = globalThis.Bun ? `bun ${globalThis.Bun.version}` : globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : `node ${globalThis.process.version}`;
console.log(JSON.stringify({ runtime: version }));
const results = await runScenarios({
  control,
  providers: providers ? providers.split(",") : PROVIDERS,
  report: (result) => console.log(JSON.stringify(result)),
});
// No explicit exit on success: the process must end by itself (payauth leaves no timer or
// socket behind); run.sh bounds it with a timeout.
if (!results.every((r) => r.ok)) {
  if (globalThis.Deno) globalThis.Deno.exitCode = 1;
  else globalThis.process.exitCode = 1;
}
