// Runs the README examples scripts/check-user-path.sh extracted (its manifest), each in its own
// Node process with the fakes of preload.mjs, a few at a time, and prints one line per example in
// README order: its source, time, first line of output, and which fakes it called. Fails on an
// example that exits non-zero or times out, and on the proxy recipe if it opened no tunnel.
//   node run-examples.mjs <manifest.json>   (in the user's project, after tsc)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename } from "node:path";

const manifest = JSON.parse(readFileSync(process.argv[2], "utf8"));
const TIMEOUT_MS = 60_000;
const examples = manifest.filter((e) => e.kind === "run");
const skipped = [];
const runnable = examples.filter((e) => {
  if (process.env.REDIS_URL === undefined && readFileSync(e.file, "utf8").includes("REDIS_URL")) {
    skipped.push(e);
    return false;
  }
  return true;
});

function run(example) {
  const js = `dist/${basename(example.file, ".ts")}.js`;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "./harness/preload.mjs", "harness/run-example.mjs", js], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ example, code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

const results = new Array(runnable.length);
let next = 0;
const workers = Array.from({ length: Math.min(Math.max(availableParallelism(), 2), 4) }, async () => {
  while (next < runnable.length) {
    const i = next++;
    results[i] = await run(runnable[i]);
  }
});
await Promise.all(workers);

let failed = 0;
for (const { example, code, signal, stdout, stderr, ms } of results) {
  const source = example.source.split(", ")[0];
  const fakes = /^\[user-path\] (.*)$/m.exec(stderr)?.[1] ?? "";
  const first = stdout.split("\n")[0].slice(0, 60);
  let problem = code !== 0 ? `exit ${code ?? signal}${signal === "SIGKILL" ? ` (over ${TIMEOUT_MS / 1000} s)` : ""}` : "";
  if (!problem && readFileSync(example.file, "utf8").includes("ProxyAgent") && /proxy tunnels: 0$/.test(fakes)) problem = "the proxy example opened no tunnel through the proxy";
  if (problem) {
    failed++;
    console.log(`  FAILED ${source} (${example.file}): ${problem}\n${stdout}${stderr}`.trimEnd());
  } else {
    console.log(`  ok ${source.padEnd(34)} ${String(ms).padStart(5)} ms  ${first.padEnd(60)} | ${fakes}`);
  }
}
for (const e of skipped) console.log(`  skipped ${e.source}: uses REDIS_URL, and no redis-server was found`);
console.log(`  ${results.length - failed} of ${examples.length} examples ran${skipped.length ? ` (${skipped.length} skipped)` : ""}`);
if (failed > 0) process.exit(1);
