import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A cron job or CLI: nothing else pending but its one call. The process must live until the call
// settles (the backoff between attempts included), and an idle client must keep nothing alive.
const run = promisify(execFile);
let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payauth-alive-"));
  const entry = join(dir, "entry.mjs");
  await writeFile(
    entry,
    `import { createProviderClient } from ${JSON.stringify(fileURLToPath(new URL("../src/index.ts", import.meta.url)))};
const mode = process.argv[2];
let calls = 0;
// The first token request answers 503, the second grants a token: no socket, only the backoff timer.
const fetch = async (request) => {
  if (request.url.endsWith("/token")) {
    calls++;
    if (calls === 1) return new Response("busy", { status: 503 });
    return Response.json({ token: "t" });
  }
  return Response.json({ ok: true });
};
const client = createProviderClient(
  { id: "acme", tokenRequest: ({ tokenUrl }) => ({ url: tokenUrl, body: {} }), parseGrant: () => ({ accessToken: "t", expiresInSeconds: 3600, scopes: [] }), mapTokenError: () => undefined, isTokenRejected: () => false },
  { clientId: "id", clientSecret: "secret", fetch, retry: { baseDelayMs: 300, maxAttempts: 3 } },
  { baseUrl: "https://api.acme.test", tokenUrl: "https://auth.acme.test/token" },
);
if (mode === "retry") {
  client.auth.getToken().then((t) => console.log("settled", t.accessToken, calls));
} else {
  await client.auth.getToken();
  console.log("idle");
}
`,
  );
  script = join(dir, "script.mjs");
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: script, logLevel: "silent" });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the process lives exactly as long as a call needs it", () => {
  it("regression: a script whose first token request gets 503 waits for the retry and settles, exit code 0", async () => {
    const { stdout } = await run(process.execPath, [script, "retry"], { cwd: dir, timeout: 20_000 });
    expect(stdout.trim()).toBe("settled t 2");
  });

  it("an idle client keeps nothing alive: the script exits once its call is done", async () => {
    const started = Date.now();
    const { stdout } = await run(process.execPath, [script, "idle"], { cwd: dir, timeout: 20_000 });
    expect(stdout.trim()).toBe("idle");
    // Not a timing assertion on payauth: a bound that only a kept-alive timer (minutes) would break.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
