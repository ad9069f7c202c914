#!/usr/bin/env node
// Fails when a published package's README, as npm shows it, points at something a reader cannot
// reach. Each public package is packed (`pnpm pack`, as it will be published) and its README read
// from the tarball:
//   - a relative link fails: npm does not resolve it (use https://github.com/payauth/payauth/tree/main/…);
//   - a link into this repository (github.com/payauth/payauth/tree|blob/main/<path>, or the
//     repository's own page) must name a file or directory that exists, and its #anchor a heading there;
//   - a #anchor must be a heading of the README itself;
//   - a link to https://www.npmjs.com/package/@payauth/<name> must name a public package;
//   - a path in `code` (outside code blocks) must be in the tarball, or be the text of a link to the
//     repository; naming a file of the repository that the package does not ship, or a path under one
//     of its directories that exists nowhere, fails;
//   - the tarball must carry README.md, LICENSE and package.json.
// The root README (not published) is checked too: its relative links and anchors must resolve in
// the repository. Run by `pnpm lint` (after the packages are built: the tarballs hold dist/).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = "https://github.com/payauth/payauth";
const REPO_FILE = /^https:\/\/github\.com\/payauth\/payauth\/(?:tree|blob)\/main\/([^#?]*)(?:#(.*))?$/;
const REPO_HOME = /^https:\/\/github\.com\/payauth\/payauth\/?(?:#(.*))?$/;
const NPM_PACKAGE = /^https:\/\/www\.npmjs\.com\/package\/(@payauth\/[\w.-]+)\/?(?:#.*)?$/;
/** File names a README may use for the reader's own project files. */
const USER_FILE_NAMES = new Set(["package.json", "tsconfig.json", ".npmrc", ".env", "README.md", "LICENSE", "CHANGELOG.md"]);

const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

/** The repository's files (tracked, and new ones not ignored), and every directory holding one. */
const repoFiles = new Set(
  execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && existsSync(join(root, f))),
);
const repoDirs = new Set([""]);
for (const file of repoFiles) for (let d = posix.dirname(file); d !== "." && !repoDirs.has(d); d = posix.dirname(d)) repoDirs.add(d);
const inRepo = (path) => repoFiles.has(path) || repoDirs.has(path.replace(/\/$/, ""));

/** GitHub's (and npm's) heading anchors of a Markdown text: lower case, punctuation dropped, spaces as `-`, repeats numbered. */
function anchors(markdown) {
  const seen = new Map();
  const found = new Set();
  for (const { text } of headings(markdown)) {
    const base = text
      .replace(/<[^>]+>/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  return found;
}

/** The lines of a Markdown text outside fenced code blocks, with their numbers. */
function proseLines(markdown) {
  const lines = [];
  let fence = null;
  markdown.split("\n").forEach((line, i) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) fence = open[1][0].repeat(open[1].length);
    else if (fence !== null && line.trim().startsWith(fence)) fence = null;
    else if (fence === null) lines.push({ line, number: i + 1 });
  });
  return lines;
}

function headings(markdown) {
  return proseLines(markdown)
    .map(({ line, number }) => ({ match: /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line), number }))
    .filter(({ match }) => match)
    .map(({ match, number }) => ({ text: match[1].replace(/`/g, ""), number }));
}

/** Links of a Markdown text outside code: `[text](target)`, `![alt](target)`, `[id]: target`, `<https://…>`, href/src attributes. */
function links(markdown) {
  const found = [];
  for (const { line, number } of proseLines(markdown)) {
    const text = line.replace(/`[^`]*`/g, (code) => (/\]\(/.test(code) ? " ".repeat(code.length) : code));
    for (const m of text.matchAll(/!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ label: m[1], target: m[2], number });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(text);
    if (definition) found.push({ label: "", target: definition[1], number });
    for (const m of text.matchAll(/<(https?:\/\/[^>\s]+)>/g)) found.push({ label: "", target: m[1], number });
    for (const m of text.matchAll(/\b(?:href|src)="([^"]+)"/g)) found.push({ label: "", target: m[1], number });
  }
  return found;
}

/** `code` spans outside code blocks that look like file paths, each with whether it is a link's text. */
function codePaths(markdown) {
  const found = [];
  for (const { line, number } of proseLines(markdown)) {
    for (const m of line.matchAll(/(\[)?`([^`\s]+)`(\]\()?/g)) {
      const path = m[2];
      if (/^[@/]|:|^(application|text|multipart|image)\/|[<>*{}$|"'(),;=?&]|\.\.\.|…/.test(path)) continue;
      const isPath = /^(\.{1,2}\/)?[\w.-]+(\/[\w.-]+)+\/?$/.test(path) || /^[\w.-]+\.(?:d\.ts|ts|mts|cts|js|mjs|cjs|json|ya?ml|md|sh)$/.test(path);
      if (isPath) found.push({ path: path.replace(/^\.\//, ""), linked: m[1] !== undefined && m[3] !== undefined, number });
    }
  }
  return found;
}

/** Checks one link target of the README at `where`; `own` is that README's anchors. */
function checkLink(target, where, own, publicPackages) {
  if (target === "" ) return problem(where, "an empty link");
  if (target.startsWith("#")) {
    if (!own.has(decodeURIComponent(target.slice(1)))) problem(where, `${target} is not a heading of this README`);
    return;
  }
  const home = REPO_HOME.exec(target);
  if (home) {
    if (home[1] !== undefined && !anchors(readFileSync(join(root, "README.md"), "utf8")).has(decodeURIComponent(home[1]))) {
      problem(where, `${target}: #${home[1]} is not a heading of the repository's README`);
    }
    return;
  }
  const file = REPO_FILE.exec(target);
  if (file) {
    const path = decodeURIComponent(file[1]).replace(/\/$/, "");
    if (!inRepo(path)) return problem(where, `${target}: ${path || "(root)"} is not in the repository`);
    if (file[2] !== undefined) {
      const markdown = repoDirs.has(path) ? join(path, "README.md") : path;
      if (!markdown.endsWith(".md")) return; // a line anchor (#L10) in a source file
      if (!repoFiles.has(markdown)) return problem(where, `${target}: ${markdown} is not in the repository`);
      if (!anchors(readFileSync(join(root, markdown), "utf8")).has(decodeURIComponent(file[2]))) problem(where, `${target}: #${file[2]} is not a heading of ${markdown}`);
    }
    return;
  }
  if (/^https:\/\/github\.com\/payauth\/payauth\//.test(target)) return problem(where, `${target}: link to the default branch, ${REPO}/tree/main/<path> or ${REPO}/blob/main/<path>`);
  const npm = NPM_PACKAGE.exec(target);
  if (npm) {
    if (!publicPackages.has(npm[1])) problem(where, `${target}: ${npm[1]} is not a public package of this repository`);
    return;
  }
  if (/^(https?:|mailto:)/.test(target)) return; // elsewhere on the web: not checked
  problem(where, `relative link ${target} does not resolve on npm: link ${REPO}/tree/main/… instead`);
}

function packages() {
  return readdirSync(join(root, "packages"))
    .sort()
    .map((dir) => ({ dir, file: join(root, "packages", dir, "package.json") }))
    .filter(({ file }) => existsSync(file))
    .map(({ dir, file }) => ({ dir, pkg: JSON.parse(readFileSync(file, "utf8")) }));
}

const all = packages();
const publicPackages = new Set(all.filter(({ pkg }) => !pkg.private).map(({ pkg }) => pkg.name));
const work = mkdtempSync(join(tmpdir(), "payauth-readmes-"));
try {
  for (const { dir, pkg } of all.filter(({ pkg }) => !pkg.private)) {
    const pkgDir = join(root, "packages", dir);
    const out = join(work, dir);
    const packed = execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: pkgDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const tarball = readdirSync(out).find((f) => f.endsWith(".tgz"));
    if (tarball === undefined) throw new Error(`${pkg.name}: pnpm pack wrote no tarball:\n${packed}`);
    const entries = new Set(execFileSync("tar", ["-tzf", join(out, tarball)], { encoding: "utf8" }).split("\n").filter(Boolean).map((e) => e.replace(/^package\//, "")));
    const dirs = new Set();
    for (const e of entries) for (let d = posix.dirname(e); d !== "."; d = posix.dirname(d)) dirs.add(d);
    const inTarball = (path) => entries.has(path.replace(/\/$/, "")) || dirs.has(path.replace(/\/$/, ""));
    for (const required of ["README.md", "LICENSE", "package.json"]) if (!entries.has(required)) problem(`${pkg.name} (${tarball})`, `the tarball has no ${required}`);
    if (!entries.has("README.md")) continue;

    execFileSync("tar", ["-xzf", join(out, tarball), "-C", out, "package/README.md"]);
    const readme = readFileSync(join(out, "package", "README.md"), "utf8");
    const own = anchors(readme);
    const label = `packages/${dir}/README.md`;
    for (const { target, number } of links(readme)) checkLink(target, `${label}:${number}`, own, publicPackages);
    for (const { path, linked, number } of codePaths(readme)) {
      if (linked || inTarball(path) || USER_FILE_NAMES.has(path)) continue;
      const where = `${label}:${number}`;
      const candidates = path.includes("/") ? [posix.join("packages", dir, path), path] : [...repoFiles].filter((f) => (f.startsWith(`packages/${dir}/`) || !f.startsWith("packages/")) && basename(f) === path);
      const existing = candidates.find((c) => inRepo(c));
      if (existing) {
        problem(where, `\`${path}\` is not in the package (${existing} is in the repository): link it, [\`${path}\`](${REPO}/${repoDirs.has(existing) ? "tree" : "blob"}/main/${existing}), or leave it out`);
      } else if (path.includes("/")) {
        const stale = candidates.find((c) => repoDirs.has(posix.dirname(c)) && posix.dirname(c) !== "." && posix.dirname(c) !== `packages/${dir}`);
        if (stale) problem(where, `\`${path}\` is neither in the package nor in the repository (${posix.dirname(stale)}/ is): a stale path?`);
      }
    }
    console.log(`${pkg.name}: README checked against ${tarball} (${entries.size} files)`);
  }

  // The repository's own README: relative links and anchors resolve in the repository.
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const own = anchors(readme);
  for (const { target, number } of links(readme)) {
    const where = `README.md:${number}`;
    if (/^(https?:|mailto:|#)/.test(target)) checkLink(target, where, own, publicPackages);
    else if (!inRepo(decodeURIComponent(target.split("#")[0]).replace(/^\.\//, "").replace(/\/$/, ""))) problem(where, `${target} is not in the repository`);
  }
  console.log("README.md: links checked against the repository");
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\nREADMEs that point at what a reader cannot reach (${problems.length}):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
