// Small edits and reads on the release copy's packages (never run on the real checkout).
//   node workspace.mjs drop-provenance <dir>   removes publishConfig.provenance from packages/*/package.json
//   node workspace.mjs versions <dir>          prints "<name> <version>" for every package, sorted
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const [command, dir] = process.argv.slice(2);
if (!dir) throw new Error("usage: workspace.mjs drop-provenance|versions <dir>");

const manifests = readdirSync(join(dir, "packages"))
  .map((name) => join(dir, "packages", name, "package.json"))
  .filter((file) => existsSync(file))
  .map((file) => ({ file, text: readFileSync(file, "utf8") }));

if (command === "drop-provenance") {
  for (const { file, text } of manifests) {
    const pkg = JSON.parse(text);
    if (pkg.publishConfig?.provenance === undefined) continue;
    delete pkg.publishConfig.provenance;
    writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
    console.log(`  ${pkg.name}: publishConfig.provenance removed`);
  }
} else if (command === "versions") {
  const lines = manifests.map(({ text }) => JSON.parse(text)).map((pkg) => `${pkg.name} ${pkg.version}`);
  console.log(lines.sort().join("\n"));
} else {
  throw new Error(`workspace.mjs: unknown command ${command}`);
}
