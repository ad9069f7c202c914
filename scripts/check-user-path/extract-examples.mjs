// Extracts the TypeScript examples of the READMEs into a user's project, as files to type-check
// and run (scripts/check-user-path.sh). The READMEs are read where a user reads them: each
// package's from its installed tarball (node_modules/@payauth/<name>/README.md), and the
// repository's own README for its user-facing sections.
//   node extract-examples.mjs <project dir> <repository README>
// Writes <project>/src/readme-<package>-<n>.ts (`.test.ts` for tests, under cjs/src for
// CommonJS examples) and prints the manifest as JSON: [{ file, kind, source }].
//
// A ```ts block is a module that is type-checked and run, unless the line just before it says
// otherwise (an HTML comment, invisible on npm):
//   <!-- user-path: continues (why) -->  the block goes on from the previous one (the same module);
//                                        its imports of names already imported are dropped
//   <!-- user-path: test (why) -->       a test file, run with `node --test`
//   <!-- user-path: typecheck (why) -->  type-checked only (say why: a real host, a real cluster)
//   <!-- user-path: commonjs (why) -->   a file of a CommonJS project (no "type": "module")
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [project, rootReadme] = process.argv.slice(2);
if (!project || !rootReadme) throw new Error("usage: extract-examples.mjs <project dir> <repository README>");

/** The repository README's sections that are about using the packages (the rest is the monorepo's). */
const ROOT_SECTIONS = ["Use it", "Bring your own spec", "Recipes"];
const KINDS = new Set(["run", "continues", "test", "typecheck", "commonjs"]);

/** The ```ts blocks of a Markdown text, with their marker and line; only under `sections` when given. */
function blocks(markdown, sections) {
  const found = [];
  const lines = markdown.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(lines[i]);
    if (heading && heading[1].length === 2) section = heading[2].trim();
    const fence = /^(`{3,})(\S*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith(fence[1]) && line.trim() === fence[1]);
    if (end === -1) throw new Error(`line ${i + 1}: a code block that does not end`);
    const lang = fence[2];
    if ((lang === "ts" || lang === "typescript") && (sections === undefined || sections.some((s) => section === s || section.startsWith(`${s} `)))) {
      const marker = /^<!--\s*user-path:\s*([\w-]+)/.exec(lines[i - 1] ?? "");
      const kind = marker ? marker[1] : "run";
      if (!KINDS.has(kind)) throw new Error(`line ${i}: unknown user-path marker "${kind}" (${[...KINDS].join(", ")})`);
      found.push({ kind, line: i + 1, code: lines.slice(i + 1, end).join("\n") });
    }
    i = end;
  }
  return found;
}

/** `code` without the names `bound` already imports (single-line named imports); records what it imports. */
function withoutRepeatedImports(code, bound) {
  return code
    .split("\n")
    .map((line) => {
      const m = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+("[^"]+");?\s*$/.exec(line);
      if (!m) return line;
      const names = m[2].split(",").map((n) => n.trim()).filter(Boolean);
      const fresh = names.filter((n) => !bound.has(n.replace(/^type\s+/, "").split(/\s+as\s+/).at(-1)));
      for (const n of fresh) bound.add(n.replace(/^type\s+/, "").split(/\s+as\s+/).at(-1));
      return fresh.length === 0 ? `// (${m[3]}: already imported above)` : `import ${m[1] ?? ""}{ ${fresh.join(", ")} } from ${m[3]};`;
    })
    .join("\n");
}

const importedNames = (code) => {
  const bound = new Set();
  withoutRepeatedImports(code, bound);
  return bound;
};

const sources = [];
const installed = join(project, "node_modules", "@payauth");
for (const name of readdirSync(installed).sort()) {
  sources.push({ label: `@payauth/${name}`, slug: name, text: readFileSync(join(installed, name, "README.md"), "utf8"), sections: undefined });
}
sources.push({ label: "README.md (repository)", slug: "root", text: readFileSync(rootReadme, "utf8"), sections: ROOT_SECTIONS });

const manifest = [];
mkdirSync(join(project, "src"), { recursive: true });
mkdirSync(join(project, "cjs", "src"), { recursive: true });
for (const { label, slug, text, sections } of sources) {
  let previous;
  let n = 0;
  for (const block of blocks(text, sections)) {
    const source = `${label}:${block.line}`;
    if (block.kind === "continues") {
      if (previous === undefined) throw new Error(`${source}: "continues" with no block before it`);
      previous.code += `\n\n// ${source} (continues)\n${withoutRepeatedImports(block.code, previous.bound)}`;
      previous.sources.push(source);
      continue;
    }
    n++;
    const base = `readme-${slug}-${n}`;
    const file = block.kind === "test" ? `src/${base}.test.ts` : block.kind === "commonjs" ? `cjs/src/${base}.ts` : `src/${base}.ts`;
    previous = { file, kind: block.kind, sources: [source], code: `// ${source}\n${block.code}`, bound: importedNames(block.code) };
    manifest.push(previous);
  }
}
for (const entry of manifest) {
  // A module, even when the example has no import or export (top-level await needs one).
  writeFileSync(join(project, entry.file), `${entry.code}\n\nexport {};\n`);
}
console.log(JSON.stringify(manifest.map(({ file, kind, sources }) => ({ file, kind, source: sources.join(", ") }))));
