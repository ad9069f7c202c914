// The packages the extracted README examples import and the user's project does not have yet,
// one per line as `npm install` takes them: at the exact version a package of the repository
// pins, when one does (what the repository tests with), else the registry's latest.
//   node missing-imports.mjs <repository> <project>
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [root, project] = process.argv.slice(2);
const tested = {};
for (const dir of readdirSync(join(root, "packages"))) {
  const file = join(root, "packages", dir, "package.json");
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  for (const [name, range] of Object.entries({ ...pkg.peerDependencies, ...pkg.dependencies, ...pkg.devDependencies })) {
    if (/^\d+\.\d+\.\d+$/.test(range)) tested[name] = range;
  }
}
const files = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) walk(join(dir, entry.name));
    else if (/\.m?ts$/.test(entry.name)) files.push(join(dir, entry.name));
  }
};
walk(join(project, "src"));
walk(join(project, "cjs", "src"));
const wanted = new Set();
for (const file of files) {
  for (const m of readFileSync(file, "utf8").matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([^".][^"]*)"/g)) {
    const spec = m[1];
    if (spec.startsWith("node:")) continue;
    const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
    if (!existsSync(join(project, "node_modules", name, "package.json"))) wanted.add(tested[name] ? `${name}@${tested[name]}` : name);
  }
}
console.log([...wanted].sort().join("\n"));
