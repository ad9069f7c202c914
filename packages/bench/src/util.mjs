// Small helpers shared by the benchmark files: percentiles, timing loops, and the way each
// benchmark runs as its own process (run.mjs forks it and receives its result over IPC).
import { fileURLToPath } from "node:url";

/** The p-th percentile (nearest rank) of already sorted numbers. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
}

export const median = (values) => percentile(Float64Array.from(values).sort(), 50);

/**
 * Lets the event loop turn. A real request always does (the socket answers in a later task);
 * a stubbed `fetch` resolves in microtasks only, and a loop of such calls that never yields
 * keeps every WeakRef target created meanwhile alive (ECMAScript's KeepDuringJob), undici's
 * Request signals included: the heap would balloon and GC would skew the timings.
 */
export const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Times `call` one call at a time, in µs per call, yielding to the event loop (untimed) after
 * each. Variants are interleaved round by round (the order rotating), so that drift of the
 * machine (frequency, a neighbour's load, GC state) falls on all of them alike. `warmup` calls
 * of each go first, untimed.
 */
export async function measureInterleaved(variants, { warmup, rounds, perRound }) {
  for (const v of variants) {
    for (let i = 0; i < warmup; i++) {
      await v.call();
      await yieldToEventLoop();
    }
  }
  const samples = new Map(variants.map((v) => [v.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length];
      const out = samples.get(v.name);
      for (let i = 0; i < perRound; i++) {
        const t0 = performance.now();
        await v.call();
        out.push((performance.now() - t0) * 1000);
        await yieldToEventLoop();
      }
    }
  }
  return Object.fromEntries([...samples].map(([name, s]) => [name, summarize(s)]));
}

/** Whether `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl) {
  return process.argv[1] === fileURLToPath(moduleUrl);
}

/** Hands a benchmark's result to run.mjs (over IPC), or prints it when run on its own. */
export function report(result) {
  if (process.send) process.send({ type: "result", result });
  else console.log(JSON.stringify(result, null, 2));
}

/** Logs progress to stderr, so it never mixes with a result. */
export const log = (...args) => console.error(...args);
