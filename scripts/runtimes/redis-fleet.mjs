// The fleet guarantee of @payauth/redis-store on one runtime, run by Node:
//   node redis-fleet.mjs <consumer dir> <control url> <redis port> <label> <command…>
// For ioredis and for node-redis: starts 3 processes of `<command> redis-fleet-member.mjs`
// (e.g. `bun`, `deno run --allow-net=… …`, or `node`) in the consumer project, waits until each
// has connected, lets them all make 50 concurrent cold calls at once against one fake, and checks
// that the whole fleet made exactly 1 token request, every call succeeded and Redis never
// failed. A label `mixed` takes one command per process instead, separated by `--`.
// Prints one JSON line per client kind, as run-scenarios.mjs does. Every process it starts is
// ended by pid, and each fleet is bounded to 90 s.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [consumer, control, redisPort, label, ...rest] = process.argv.slice(2);
if (!consumer || !control || !redisPort || !label || rest.length === 0) throw new Error("usage: redis-fleet.mjs <consumer> <control> <redis port> <label> <command…>");
const { controlClient } = await import(pathToFileURL(join(consumer, "scenarios.mjs")).href);
const ctl = controlClient(control);

const PROCESSES = 3;
const CALLS = 50;
// One command for all, or (label "mixed") one per process, separated by "--".
const commands = label === "mixed" ? rest.join(" ").split(" -- ").map((c) => c.split(" ")) : Array.from({ length: PROCESSES }, () => rest);

function startMember(command, options) {
  const [bin, ...args] = command;
  const child = spawn(bin, [...args, "redis-fleet-member.mjs", JSON.stringify(options)], { cwd: consumer, stdio: ["pipe", "pipe", "pipe"] });
  const messages = [];
  const waiters = [];
  let stderr = "";
  let buffer = "";
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    for (let i; (i = buffer.indexOf("\n")) >= 0; ) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      try {
        messages.push(JSON.parse(line));
      } catch {
        stderr += `${line}\n`;
      }
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.once("exit", () => waiters.splice(0).forEach((wake) => wake()));
  /** The next message of `type`, or an error when the process ends or `ms` pass first. */
  async function next(type, ms) {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = messages.find((m) => m.type === type);
      if (found) return found;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${bin} exited (${child.exitCode ?? child.signalCode}) before "${type}": ${stderr.trim().slice(-800)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${bin}: no "${type}" within ${ms} ms: ${stderr.trim().slice(-800)}`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  return { child, next, exited, stop: () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL") };
}

let failed = 0;
for (const kind of ["ioredis", "node-redis"]) {
  const started = performance.now();
  const fake = await ctl.newFake("maxpay");
  const options = { fake, redisPort: Number(redisPort), client: kind, calls: CALLS, encryptionKey: randomBytes(32).toString("hex"), keyPrefix: `runtimes:${label}:${kind}:${fake.id}:` };
  const members = commands.map((command) => startMember(command, options));
  let result;
  try {
    await Promise.all(members.map((m) => m.next("ready", 60_000)));
    const ready = performance.now();
    for (const m of members) m.child.stdin.end("go\n");
    const done = await Promise.all(members.map((m) => m.next("done", 60_000)));
    const callsMs = Math.round(performance.now() - ready);
    let timer;
    const exits = await Promise.race([Promise.all(members.map((m) => m.exited)), new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), 10_000)))]);
    clearTimeout(timer);
    const stats = await ctl.stats(fake);
    const calls = done.reduce((n, d) => n + d.ok, 0);
    const storeFailures = done.reduce((n, d) => n + d.storeFailures, 0);
    const modes = [...new Set(done.map((d) => d.mode))].join(", ");
    const problems = [];
    if (calls !== PROCESSES * CALLS) problems.push(`${PROCESSES * CALLS - calls} calls failed (${done.find((d) => d.firstError)?.firstError})`);
    if (stats.tokenRequests !== 1) problems.push(`${stats.tokenRequests} token requests`);
    if (storeFailures !== 0) problems.push(`${storeFailures} token-store-failed events`);
    if (exits === "timeout") problems.push("a process did not exit after closing its Redis client");
    result = problems.length === 0
      ? { ok: true, detail: `${PROCESSES} processes × ${CALLS} calls in ${callsMs} ms, 1 token request (${modes})` }
      : { ok: false, detail: `${problems.join("; ")} (${modes})` };
  } catch (error) {
    result = { ok: false, detail: String(error?.message ?? error) };
  } finally {
    for (const m of members) m.stop();
    await ctl.close(fake).catch(() => undefined);
  }
  if (!result.ok) failed++;
  console.log(JSON.stringify({ provider: "maxpay", scenario: `redis-${kind}`, ...result, ms: Math.round(performance.now() - started) }));
}
process.exitCode = failed === 0 ? 0 : 1;
