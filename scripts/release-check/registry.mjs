// Talks to the release check's verdaccio over its HTTP API (Node's fetch, no npm involved).
//   node registry.mjs wait <registry> <seconds>            until GET /-/ping answers 200
//   node registry.mjs add-user <registry> <name> <pass>   creates a user, prints its token
//   node registry.mjs latest <registry> <name>            prints the version tagged latest
//   node registry.mjs snapshot <registry> <dir>           prints every package's published versions (JSON)
//   node registry.mjs verify <registry> <dir>             checks what `changeset publish` put there
// <registry> is `http://127.0.0.1:<port>/`; <dir> is the release copy (its packages/*/package.json).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [command, registry, ...args] = process.argv.slice(2);
const url = (path) => new URL(path, registry).href;

function fail(message) {
  console.error(`registry.mjs ${command}: ${message}`);
  process.exit(1);
}

/** Every package of the copy's workspace, as its package.json says. */
function workspacePackages(dir) {
  return readdirSync(join(dir, "packages"))
    .map((name) => join(dir, "packages", name, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")));
}

/** The registry's document for a package (all versions), or undefined on 404. */
async function packument(name) {
  const response = await fetch(url(name.replace("/", "%2f")));
  if (response.status === 404) return undefined;
  if (!response.ok) fail(`GET ${name}: HTTP ${response.status}`);
  return response.json();
}

if (command === "wait") {
  const deadline = Date.now() + Number(args[0] ?? 30) * 1000;
  for (;;) {
    const ok = await fetch(url("-/ping")).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) fail(`${registry} did not answer within ${args[0]} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
} else if (command === "add-user") {
  const [name, password] = args;
  const response = await fetch(url(`-/user/org.couchdb.user:${encodeURIComponent(name)}`), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== "string") fail(`creating user ${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
  console.log(body.token);
} else if (command === "latest") {
  const latest = (await packument(args[0]))?.["dist-tags"]?.latest;
  if (!latest) fail(`${args[0]} has no latest version`);
  console.log(latest);
} else if (command === "snapshot") {
  // Name -> sorted versions and dist-tags (null when absent): equal snapshots mean nothing was published in between.
  const state = {};
  for (const { name } of workspacePackages(args[0]).sort((a, b) => a.name.localeCompare(b.name))) {
    const doc = await packument(name);
    state[name] = doc ? { versions: Object.keys(doc.versions ?? {}).sort(), distTags: doc["dist-tags"] } : null;
  }
  console.log(JSON.stringify(state, null, 2));
} else if (command === "verify") {
  const packages = workspacePackages(args[0]);
  const problems = [];
  const published = new Map();
  for (const pkg of packages) {
    const doc = await packument(pkg.name);
    if (pkg.private) {
      // (a) private packages (conformance, faults) must never reach a registry.
      if (doc) problems.push(`${pkg.name} is private but the registry has it`);
      else console.log(`  ${pkg.name}: private, not in the registry (as it should be)`);
      continue;
    }
    // (a) every public package is there at the version its package.json now says, tagged latest.
    const manifest = doc?.versions?.[pkg.version];
    if (!manifest) {
      problems.push(`${pkg.name}@${pkg.version} is not in the registry (has: ${Object.keys(doc?.versions ?? {}).join(", ") || "nothing"})`);
      continue;
    }
    if (doc["dist-tags"]?.latest !== pkg.version) problems.push(`${pkg.name}: dist-tag latest is ${doc["dist-tags"]?.latest}, not ${pkg.version}`);
    // No `workspace:` range may leak into what consumers install.
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (String(range).startsWith("workspace:")) problems.push(`${pkg.name}@${pkg.version} ${field}.${dep} is "${range}"`);
      }
    }
    published.set(pkg.name, manifest);
    console.log(`  ${pkg.name}@${pkg.version}: published`);
  }
  // (b) @payauth/maxpay depends on the auth-core that was just published, as a caret range.
  const maxpay = published.get("@payauth/maxpay");
  const authCore = packages.find((p) => p.name === "@payauth/auth-core");
  const range = maxpay?.dependencies?.["@payauth/auth-core"];
  if (maxpay && authCore) {
    if (range !== `^${authCore.version}`) problems.push(`@payauth/maxpay depends on @payauth/auth-core "${range}", expected "^${authCore.version}"`);
    else console.log(`  @payauth/maxpay@${maxpay.version} depends on @payauth/auth-core "${range}" (no workspace: range)`);
  }
  if (problems.length > 0) fail(`\n  - ${problems.join("\n  - ")}`);
} else {
  fail("unknown command (wait, add-user, latest, snapshot, verify)");
}
