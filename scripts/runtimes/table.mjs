// Prints the runtime × scenario table of `pnpm test:runtimes` from its results (JSON lines:
// { row, provider, scenario, ok, detail } and { row, runtime }), then every failure; exits 1 if
// any result failed or a runtime asked for has no result at all.
//   node table.mjs <results.jsonl> <row…>
import { readFileSync } from "node:fs";

const [file, ...asked] = process.argv.slice(2);
const lines = readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
const versions = new Map(lines.filter((l) => l.runtime).map((l) => [l.row, l.runtime]));
const results = lines.filter((l) => l.scenario);

const COLUMNS = [
  ["first-call", "first call"],
  ["concurrent-200", "200 cold"],
  ["renewal", "renewal"],
  ["revoked", "revoked"],
  ["wrong-secret", "wrong secret"],
  ["timeout", "timeout"],
  ["redirect", "redirect"],
  ["testing-fake", "/testing"],
  ["redis-ioredis", "redis ioredis"],
  ["redis-node-redis", "redis node-redis"],
  ["isolate-200", "200 requests"],
  ["durable-object-fleet", "DO fleet"],
  ["no-node-imports", "no node:"],
];
const rows = [...asked];
if (asked.includes("bun") && asked.includes("deno") && asked.includes("node20")) rows.splice(rows.indexOf("deno") + 1, 0, "mixed");
const label = { mixed: "fleet node20+bun+deno" };

function cell(row, scenario) {
  const mine = results.filter((r) => r.row === row && r.scenario === scenario);
  if (mine.length === 0) return "-";
  const failed = mine.filter((r) => !r.ok).length;
  if (failed > 0) return `FAIL ${failed}/${mine.length}`;
  // Per provider (4/4), or one run covering them all (the test runners, the fleets).
  return mine.length > 1 ? `ok ${mine.length}/${mine.length}` : "ok";
}

const table = [["runtime", ...COLUMNS.map(([, title]) => title)], ...rows.map((row) => [label[row] ?? row, ...COLUMNS.map(([scenario]) => cell(row, scenario))])];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const print = (r) => console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`);
print(table[0]);
console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
table.slice(1).forEach(print);

console.log("\nVersions:");
for (const row of rows) if (versions.has(row)) console.log(`  ${row}: ${versions.get(row)}`);
console.log(`
Cells: "ok n/n" is every provider passing (maxpay, payme, getpaid, autopay), each against a fake of
its own from Node on 127.0.0.1; "ok" is one run covering all four (a test runner, a fleet of 3
processes × 50 cold calls sharing one Redis, 1 token request in all). "-": not applicable there
(Workers have no test runner of their own here and no TCP Redis client; "200 requests" (to
one isolate, 1 token request), "DO fleet" (3 isolates sharing a Durable Object token store) and
"no node:" (every provider entry bundles with the workerd conditions) are Workers-only; the Redis fleets run on Bun, Deno and a mixed fleet, and on Node in
@payauth/redis-store's own tests).`);

const missing = asked.filter((row) => !results.some((r) => r.row === row));
const failures = results.filter((r) => !r.ok);
if (failures.length > 0) {
  console.log("\nFailures:");
  for (const f of failures) console.log(`  ${f.row} ${f.provider} ${f.scenario}: ${f.detail}`);
}
for (const row of missing) console.log(`\n${row}: no result at all (the runtime did not start?)`);
console.log(`\nruntimes: ${results.length - failures.length} passed, ${failures.length} failed`);
process.exitCode = failures.length > 0 || missing.length > 0 ? 1 : 0;
