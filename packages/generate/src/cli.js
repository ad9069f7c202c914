// `payauth-generate <spec> --out <dir> [--schemas] [--check]`: the command line of @payauth/generate.
import { readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { checkSpec, generateSpec } from "./generate.js";

export const USAGE = `Usage: payauth-generate <spec.yaml|spec.json> --out <dir> [--schemas] [--check]

Generates the typed files a payauth client (@payauth/getpaid, @payauth/payme, @payauth/autopay,
@payauth/maxpay, ...) takes from your own OpenAPI 3 spec of the provider's API. The spec needs one
oauth2 security scheme with clientCredentials scopes; each operation's \`security\` says which it needs.

  openapi.gen.ts     paths, components, operations (openapi-typescript): createGetpaidClient<paths>(...)
  operations.gen.ts  operationScopes (the scopes each operation needs, from its security), the
                     Scope union of the spec's scopes, and OperationScopesMap for a map of your own
  schemas.gen.ts     with --schemas: run-time validators of components.schemas, and the scope list
                     (imports @payauth/auth-core/validators: add @payauth/auth-core to your dependencies)

Options:
  -o, --out <dir>   where to write the files (created if missing); required
      --schemas     also write schemas.gen.ts
      --check       write nothing: exit 1 when a file is missing or differs from what the spec
                    generates (run it in CI with the same arguments, from the same directory)
  -h, --help        print this help
  -v, --version     print the version

Examples:
  npx @payauth/generate my-getpaid.yaml --out src/getpaid
  npx @payauth/generate my-getpaid.yaml --out src/getpaid --check

A spec it cannot use is refused with nothing written, and the error names the spec and the JSON
pointer of what is wrong: my-getpaid.yaml#/components/schemas/Invoice/properties/total: ...

Exit codes: 0 written (or, with --check, up to date); 1 the spec was refused, or --check found
stale files; 2 the command line is wrong.`;

/** `path` as a command run in the working directory names it: relative, with `/`, quoted for a shell when needed. */
function shown(path) {
  const rel = relative(process.cwd(), path) || ".";
  const posix = rel.split(sep).join("/");
  return /^[\w@%+=:,./-]+$/.test(posix) ? posix : `'${posix.replace(/'/g, `'\\''`)}'`;
}

class UsageError extends Error {}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        schemas: { type: "boolean", default: false },
        check: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (error) {
    stderr.write(`payauth-generate: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    stdout.write(`${pkg.version}\n`);
    return 0;
  }
  try {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "give the spec to generate from" : `one spec at a time (got ${positionals.length}: ${positionals.join(", ")})`);
    if (values.out === undefined || values.out === "") throw new UsageError("--out <dir> is required: where to write the files");
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`payauth-generate: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const specPath = resolve(positionals[0]);
  const outDir = resolve(values.out);
  const command = ["npx @payauth/generate", shown(specPath), "--out", shown(outDir), ...(values.schemas ? ["--schemas"] : [])].join(" ");
  const options = { specPath, specLabel: shown(specPath), outDir, command, schemas: values.schemas };
  try {
    if (values.check) {
      const stale = await checkSpec(options);
      if (stale.length === 0) {
        stdout.write(`up to date: ${shown(outDir)} matches ${shown(specPath)}\n`);
        return 0;
      }
      for (const { file, problem } of stale) stderr.write(`stale: ${shown(file)} ${problem === "missing" ? "is missing" : "differs from what the spec generates"}\n`);
      stderr.write(`run: ${command}\n`);
      return 1;
    }
    for (const file of await generateSpec(options)) stdout.write(`generated ${shown(file)}\n`);
    return 0;
  } catch (error) {
    stderr.write(`payauth-generate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
