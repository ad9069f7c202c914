import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

// scripts/generate.mjs runs on specs the user did not write (a provider's, a colleague's): a
// string from the spec must reach the generated code only as an escaped literal or an escaped
// comment, a name only as a valid identifier or a quoted key, and what cannot be represented is
// refused with the spec's path and the JSON pointer of the value. Every generated spec here is
// run through the generator's CLI into a temporary directory; the output must type-check under
// strict settings, its JavaScript must hold nothing but declarations, and importing it (in a
// child process) must run nothing: no sentinel global set, no global added.

const root = fileURLToPath(new URL("../../../", import.meta.url));
const generator = join(root, "scripts", "generate.mjs");
const validatorsSource = join(root, "packages", "auth-core", "src", "validators.ts");
const SENTINEL = "__payauthPwned";
const FILES = ["openapi.gen.ts", "schemas.gen.ts", "operations.gen.ts"] as const;

interface Shared {
  schemaConstName(name: string): string;
}
const shared = (await import(pathToFileURL(join(root, "scripts", "lib", "json-schema.mjs")).href)) as Shared;

// One scratch directory for the whole file: an ES module package, with a stand-in
// `@payauth/auth-core` whose `validators` is auth-core's source transpiled, so that the
// generated code imports without a build; and the child-process script that imports it.
const work = mkdtempSync(join(tmpdir(), "payauth-hostile-spec-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module", private: true }));
const fakeCore = join(work, "node_modules", "@payauth", "auth-core");
mkdirSync(fakeCore, { recursive: true });
writeFileSync(join(fakeCore, "package.json"), JSON.stringify({ name: "@payauth/auth-core", type: "module", exports: { "./validators": "./validators.js" } }));
writeFileSync(join(fakeCore, "validators.js"), transpile(readFileSync(validatorsSource, "utf8"), validatorsSource));
const importer = join(work, "import-generated.js");
writeFileSync(
  importer,
  `// Imports the generated modules and reports what importing them did, and what they export.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { modules, checks } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const before = new Set(Reflect.ownKeys(globalThis));
const loaded = {};
for (const [name, file] of Object.entries(modules)) loaded[name] = await import(pathToFileURL(file).href);
const added = Reflect.ownKeys(globalThis).filter((key) => !before.has(key)).map(String);
const sentinel = globalThis[${JSON.stringify(SENTINEL)}] === undefined ? null : String(globalThis[${JSON.stringify(SENTINEL)}]);
const exports = Object.fromEntries(Object.entries(loaded).map(([name, m]) => [name, Object.keys(m).sort()]));
const results = checks.map(({ module, name, value }) => loaded[module][name].safeParse(value).success);
console.log(JSON.stringify({ sentinel, added, exports, scopes: loaded.schemas.scopes, operationScopes: loaded.operations.operationScopes, results }));
`,
);

function transpile(source: string, fileName: string): string {
  return ts.transpileModule(source, { fileName, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
}

// The repository's own strict settings (tsconfig.base.json), ES2022 only, the validators from source.
const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  allowUnreachableCode: false,
  allowUnusedLabels: false,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
  paths: { "@payauth/auth-core/validators": [validatorsSource] },
};
// One program per generated spec; the files outside `work` (TypeScript's lib, the validators) parsed once.
const host = ts.createCompilerHost(compilerOptions, true);
const parsed = new Map<string, ts.SourceFile | undefined>();
const readSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
  if (fileName.startsWith(work)) return readSourceFile(fileName, languageVersion, onError, shouldCreate);
  if (!parsed.has(fileName)) parsed.set(fileName, readSourceFile(fileName, languageVersion, onError, shouldCreate));
  return parsed.get(fileName);
};

/** Fails with every type error of the three generated files in `dir`, if they have any. */
function expectTypeChecks(dir: string): void {
  const errors = typeErrors(dir);
  if (errors !== "") throw new Error(`the generated files do not type-check:\n${errors}`);
}

/** The type errors of the three generated files in `dir` ("" when there are none). */
function typeErrors(dir: string): string {
  const program = ts.createProgram({ rootNames: FILES.map((file) => join(dir, file)), options: compilerOptions, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" });
}

const COMBINATORS = new Set(["unknown", "string", "number", "boolean", "literal", "nullable", "array", "object", "record", "union", "allOf"]);

/**
 * The statements of a generated module's JavaScript that are not declarations: anything but the
 * validators' namespace import, `export {}`, and exported consts whose values are literals,
 * arrays and objects of them, earlier consts, and calls of the validators' combinators.
 */
function nonDeclarations(js: string): string[] {
  const source = ts.createSourceFile("generated.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  let namespace: string | undefined;
  const inert = (node: ts.Expression): boolean => {
    if (ts.isStringLiteral(node) || ts.isNumericLiteral(node)) return true;
    if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isPrefixUnaryExpression(node)) return node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand);
    if (ts.isArrayLiteralExpression(node)) return node.elements.every(inert);
    if (ts.isObjectLiteralExpression(node)) {
      return node.properties.every(
        (p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || (ts.isComputedPropertyName(p.name) && ts.isStringLiteral(p.name.expression))) && inert(p.initializer),
      );
    }
    if (ts.isIdentifier(node)) return declared.has(node.text);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === namespace && COMBINATORS.has(callee.name.text) && node.arguments.every(inert);
    }
    return false;
  };
  const problems: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const bindings = statement.importClause?.namedBindings;
      const specifier = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : "";
      if (specifier === "@payauth/auth-core/validators" && bindings && ts.isNamespaceImport(bindings) && !statement.importClause?.name && namespace === undefined) {
        namespace = bindings.name.text;
        continue;
      }
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause) && statement.exportClause.elements.length === 0) {
      continue;
    } else if (ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && statement.declarationList.flags & ts.NodeFlags.Const) {
      const ok = statement.declarationList.declarations.every((d) => ts.isIdentifier(d.name) && d.initializer !== undefined && inert(d.initializer));
      if (ok) {
        for (const d of statement.declarationList.declarations) declared.add((d.name as ts.Identifier).text);
        continue;
      }
    }
    problems.push(statement.getText(source).slice(0, 160));
  }
  return problems;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node scripts/generate.mjs --spec <spec> --out <out>`, run in `dir`. */
async function generate(dir: string, spec: string, out: string): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [generator, "--spec", spec, "--out", out], { cwd: dir, encoding: "utf8" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

interface Check {
  module: "schemas";
  name: string;
  value: unknown;
  expected: boolean;
}

interface Imported {
  sentinel: string | null;
  added: string[];
  exports: Record<string, string[]>;
  scopes: unknown;
  operationScopes: unknown;
  results: boolean[];
}

/** The generated modules in `dir` as JavaScript, imported in a child process with `checks` run on their validators. */
async function importGenerated(dir: string, checks: Check[] = []): Promise<Imported> {
  const modules: Record<string, string> = {};
  for (const file of FILES) {
    const js = transpile(readFileSync(join(dir, file), "utf8"), join(dir, file));
    const name = file.replace(".gen.ts", "");
    modules[name === "openapi" ? "types" : name] = join(dir, `${name}.gen.js`);
    writeFileSync(join(dir, `${name}.gen.js`), js);
  }
  const input = join(dir, "import.json");
  writeFileSync(input, JSON.stringify({ modules, checks: checks.map(({ module, name, value }) => ({ module, name, value })) }));
  const { stdout } = await promisify(execFile)(process.execPath, [importer, input], { cwd: work, encoding: "utf8" });
  return JSON.parse(stdout) as Imported;
}

/** Fails unless the JavaScript of each generated module in `dir` holds nothing but declarations. */
function expectDeclarationsOnly(dir: string): void {
  for (const file of FILES) expect(nonDeclarations(transpile(readFileSync(join(dir, file), "utf8"), join(dir, file))), `${file} as JavaScript`).toEqual([]);
}

/** A fresh directory in `work` with `spec` written in it as `file`. */
function specDir(spec: string, file = "spec.yaml"): string {
  const dir = mkdtempSync(join(work, "run-"));
  writeFileSync(join(dir, file), spec);
  return dir;
}

/** A spec with one oauth2 scheme (scope `things:read`, described by `scopeText`) and the schemas given (YAML lines under `schemas:`). */
function yamlSpec({ scopeText = "Read things", schemas = "    Thing: { type: string }", ref = "#/components/schemas/Thing" } = {}): string {
  return `openapi: 3.1.0
info: { title: Things, version: "1" }
paths:
  /things:
    get:
      operationId: listThings
      summary: List things
      security: [{ oauth: ["things:read"] }]
      responses:
        "200":
          description: The things.
          content:
            application/json:
              schema: { $ref: ${JSON.stringify(ref)} }
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example/token
          scopes:
            "things:read": ${JSON.stringify(scopeText)}
  schemas:
${schemas}
`;
}

describe("regression: generating from a hostile spec", () => {
  it("a scope description with */ becomes comment text: the output compiles and importing it runs nothing", async () => {
    // With the generator at 9687ef3, this description closed the doc comment: the array of
    // scopes held a call that compiled under strict tsc and set the sentinel on import.
    const dir = specDir(yamlSpec({ scopeText: `x */ Reflect.set(globalThis, "${SENTINEL}", 1), /*` }));
    const run = await generate(dir, "spec.yaml", "out");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = join(dir, "out");
    expectTypeChecks(out);
    const imported = await importGenerated(out);
    expect(imported.sentinel).toBeNull();
    expect(imported.added).toEqual([]);
    expect(imported.scopes).toEqual(["things:read"]);
    expectDeclarationsOnly(out);
    expect(readFileSync(join(out, "schemas.gen.ts"), "utf8")).toContain(`/** x *\\/ Reflect.set(globalThis, "${SENTINEL}", 1), /* */`);
  }, 300_000);

  it("a schema named Thing-v2 (or 2fa.code) gets a valid identifier: the output compiles and validates", async () => {
    // At 9687ef3 this was `export const Thing-v2Schema = …`: generation exited 0, the output did not compile.
    const schemas = ["    Thing-v2:", "      type: object", "      properties: { id: { type: string }, code: { $ref: '#/components/schemas/2fa.code' } }", "      required: [id]", "    2fa.code: { type: string, pattern: '^[0-9]{6}$' }"].join("\n");
    const dir = specDir(yamlSpec({ schemas, ref: "#/components/schemas/Thing-v2" }));
    const run = await generate(dir, "spec.yaml", "out");
    expect(run.code, run.stderr).toBe(0);
    const out = join(dir, "out");
    expectTypeChecks(out);
    const checks: Check[] = [
      { module: "schemas", name: "Thing_v2Schema", value: { id: "t1", code: "123456" }, expected: true },
      { module: "schemas", name: "Thing_v2Schema", value: { id: "t1", code: "12345" }, expected: false },
      { module: "schemas", name: "Thing_v2Schema", value: { code: "123456" }, expected: false },
    ];
    const imported = await importGenerated(out, checks);
    expect(imported.exports["schemas"]).toEqual(["Thing_v2Schema", "_2fa_codeSchema", "scopes"]);
    expect(imported.results).toEqual(checks.map((c) => c.expected));
    expect(imported.sentinel).toBeNull();
    expectDeclarationsOnly(out);
  }, 300_000);
});

/** A spec the generator must refuse, and the JSON pointer its error must name. */
const refused: [string, string, string][] = [
  [
    "two schema names that would make the same identifier",
    yamlSpec({ schemas: "    Thing-v2: { type: string }\n    Thing_v2: { type: integer }\n    Thing: { type: string }" }),
    "/components/schemas/Thing_v2",
  ],
  ["a description line TypeScript would read as @ts-expect-error", yamlSpec({ schemas: '    Thing: { type: string, description: "Fine.\\n@ts-expect-error" }' }), "/components/schemas/Thing/description"],
  ["a summary that is a @ts-ignore directive", yamlSpec().replace("summary: List things", "summary: '@ts-ignore'"), "/paths/~1things/get/summary"],
  ["a pattern that is not a regular expression", yamlSpec({ schemas: "    Thing: { type: string, pattern: '(' }" }), "/components/schemas/Thing/pattern"],
  ["a bound that is not a finite number", yamlSpec({ schemas: "    Thing: { type: number, maximum: .inf }" }), "/components/schemas/Thing/maximum"],
  ["an enum value that is not a literal", yamlSpec({ schemas: "    Thing: { enum: [{ a: 1 }] }" }), "/components/schemas/Thing/enum"],
  [
    "a $ref to part of a schema",
    yamlSpec({ schemas: "    Thing: { type: object, properties: { x: { $ref: '#/components/schemas/Other/properties/y' } } }\n    Other: { type: object, properties: { y: { type: string } } }" }),
    "/components/schemas/Thing/properties/x/$ref",
  ],
  ["a scope with whitespace", yamlSpec().replace('"things:read": "Read things"', '"things:read": "Read things"\n            "things: write": "Write things"'), "/components/securitySchemes/oauth/flows/clientCredentials/scopes/things:%20write"],
  ["a title that is not a string", yamlSpec({ schemas: "    Thing: { type: string, title: 5 }" }), "/components/schemas/Thing/title"],
  [
    "two operations with one operationId, which openapi-typescript would write as one key twice",
    yamlSpec().replace("paths:\n", "paths:\n  /other:\n    get:\n      operationId: listThings\n      responses: { '204': { description: None } }\n"),
    "/paths/~1things/get/operationId",
  ],
  ["an operationId with a %, which openapi-typescript would decode in its reference", yamlSpec().replace("operationId: listThings", "operationId: list%41"), "/paths/~1things/get/operationId"],
  [
    "a $ref openapi-typescript would read as another schema (a percent-escaped ~)",
    yamlSpec({ schemas: "    Thing: { type: object, properties: { x: { $ref: '#/components/schemas/a%7E1b' } } }\n    a/b: { type: string }\n    a~1b: { type: integer }" }),
    "/components/schemas/Thing/properties/x/$ref",
  ],
  ["a YAML alias to one of its ancestors", yamlSpec({ schemas: "    Thing: &thing\n      type: object\n      properties:\n        self: *thing" }), "/components/schemas/Thing/properties/self"],
  ["a name with a %, which openapi-typescript would decode", yamlSpec({ schemas: "    Thing: { type: object, properties: { 100%: { type: string } } }" }), "/components/schemas/Thing/properties/100%25"],
];

describe("refused specs: a non-zero exit, nothing written, and an error naming the spec and the JSON pointer", () => {
  it.each(refused)("%s", async (_, spec, pointer) => {
    const dir = specDir(spec);
    const run = await generate(dir, "spec.yaml", "out");
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`spec.yaml#${pointer}: `);
    expect(existsSync(join(dir, "out"))).toBe(false);
  }, 300_000);

});

// ---------------------------------------------------------------------------------------------
// The property: hostile strings in every place a spec string is used.

const PAYLOADS = [
  `*/ Reflect.set(globalThis, "${SENTINEL}", 1), /*`,
  `*/ globalThis.${SENTINEL} = 1; /*`,
  `\n globalThis.${SENTINEL} = 1; //`,
  `\u2028globalThis.${SENTINEL} = 1;\u2029`,
  `", globalThis.${SENTINEL} = 1, "`,
  `', globalThis.${SENTINEL} = 1, '`,
  "`${globalThis." + SENTINEL + " = 1}`",
  `\\", (globalThis.${SENTINEL} = 1), "`,
  `</script><script>globalThis.${SENTINEL} = 1</script>`,
];
const TOKENS = [
  "*/", "/*", "/**", "*", "//", "'", '"', "`", "${", "}", "{", "\\", "\\\\", "\u2028", "\u2029", "\n", "\r", "\r\n", "\t", " ",
  "\\u0041", "\\u{41}", "\\x41", "\\n", "\u0000", "</script>", "__proto__", "constructor", "-", ".", "~", "~1", "%", "%41", "%7E1", "#", "#/", "é", "😀", "\u202e", "\ufeff",
  ...PAYLOADS,
];
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
const hostile = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) }), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(""))
  .filter(wellFormed);

const slots = fc.record({
  file: hostile,
  out: hostile,
  title: hostile,
  infoDescription: hostile,
  extension: hostile,
  scheme: hostile,
  scopeA: hostile,
  scopeB: hostile,
  scopeADescription: hostile,
  scopeBDescription: hostile,
  objectName: hostile,
  constName: hostile,
  objectTitle: hostile,
  objectDescription: hostile,
  constDescription: hostile,
  enumProperty: hostile,
  refProperty: hostile,
  patternProperty: hostile,
  propertyDescription: hostile,
  enumValues: fc.uniqueArray(hostile, { minLength: 1, maxLength: 3 }),
  constValue: hostile,
  pattern: hostile,
  format: hostile,
  example: hostile,
  fallback: hostile,
  pathA: hostile,
  pathB: hostile,
  operationA: hostile,
  operationB: hostile,
  summary: hostile,
  operationDescription: hostile,
  parameter: hostile,
  parameterDescription: hostile,
  responseDescription: hostile,
  pathSummary: hostile,
  mediaType: hostile,
  bodyProperty: hostile,
  bodyDescription: hostile,
  header: hostile,
  headerDescription: hostile,
});
type Slots = typeof slots extends fc.Arbitrary<infer T> ? T : never;

/** The texts a directive line may be put into: each is used once in the spec. */
const DIRECTIVE_SLOTS = ["objectDescription", "summary", "objectTitle", "propertyDescription", "parameterDescription", "scopeADescription", "infoDescription", "constDescription"] as const;

/** What, if anything, makes the spec one the generator must refuse (a directive line goes into the named text). */
const mutation = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom("collision", "invalid pattern", "scope with a space", "infinite bound", "name with a %", "operationId with a #") },
  { weight: 2, arbitrary: fc.constantFrom(...DIRECTIVE_SLOTS) },
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** A `$ref` to a component schema: its name as a JSON pointer token, percent-encoded for a URI fragment. */
const ref = (name: string) => "#/components/schemas/" + encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1"));
const pointer = (...tokens: string[]) => tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");

interface Built {
  doc: Record<string, unknown>;
  names: { object: string; constant: string; scopeA: string; scopeB: string; pathA: string; pathB: string; enumProperty: string; refProperty: string; patternProperty: string };
  /** The JSON pointer the refusal must name, when the spec must be refused. */
  refusedAt?: string;
}

function buildSpec(input: Slots, mutate: Mutation): Built {
  const s = { ...input };
  const directive = "\n@ts-expect-error";
  const slot = DIRECTIVE_SLOTS.find((name) => name === mutate);
  if (slot !== undefined) s[slot] = `${s[slot]}${directive}`;
  // Names (keys, and parameter names) are refused with a %, operationIds with # or %.
  const name = (n: string) => n.replace(/%/g, "_");
  const names = {
    object: `S0_${name(s.objectName)}${mutate === "name with a %" ? "%41" : ""}`,
    constant: `S1_${name(s.constName)}`,
    scopeA: `a:${name(s.scopeA).replace(/\s/g, "")}`,
    scopeB: mutate === "scope with a space" ? `b: ${name(s.scopeB)}` : `b:${name(s.scopeB).replace(/\s/g, "")}`,
    pathA: `/0${name(s.pathA)}`,
    pathB: `/1${name(s.pathB)}`,
    enumProperty: `e${name(s.enumProperty)}`,
    refProperty: `r${name(s.refProperty)}`,
    patternProperty: `p${name(s.patternProperty)}`,
    scheme: name(s.scheme),
    extension: `x-${name(s.extension)}`,
    parameter: name(s.parameter),
    operationA: `a${s.operationA.replace(/[#%]/g, "_")}${mutate === "operationId with a #" ? "#" : ""}`,
    operationB: `b${s.operationB.replace(/[#%]/g, "_")}`,
    mediaType: `application/${name(s.mediaType)}`,
    bodyProperty: name(s.bodyProperty),
    header: `h${name(s.header)}`,
  };
  const properties: Record<string, unknown> = Object.fromEntries([
    [names.enumProperty, { type: "string", enum: s.enumValues, description: s.propertyDescription }],
    [names.refProperty, { $ref: ref(names.constant) }],
    ["__proto__", { type: "integer", minimum: mutate === "infinite bound" ? Infinity : 1 }],
    [names.patternProperty, { type: "string", pattern: escapeRegExp(s.pattern) + (mutate === "invalid pattern" ? "(" : ""), format: s.format, default: s.fallback, examples: [s.example] }],
  ]);
  const schemas: Record<string, unknown> = Object.fromEntries([
    [names.object, { [names.extension]: s.extension, type: "object", title: s.objectTitle, description: s.objectDescription, properties, required: [names.enumProperty, "__proto__"], additionalProperties: false }],
    [names.constant, { const: s.constValue, description: s.constDescription }],
    ...(mutate === "collision" ? [[names.object.replace("S0_", "S0-"), { type: "string" }]] : []),
  ]);
  const doc = {
    openapi: "3.1.0",
    info: { title: s.title, version: "1", description: s.infoDescription },
    [names.extension]: s.extension,
    paths: Object.fromEntries([
      [
        names.pathA,
        {
          summary: s.pathSummary,
          description: s.pathSummary,
          get: {
            operationId: names.operationA,
            summary: s.summary,
            description: s.operationDescription,
            parameters: [{ name: names.parameter, in: "query", description: s.parameterDescription, schema: { type: "string", pattern: escapeRegExp(s.pattern), format: s.format, example: s.example } }],
            security: [{ [names.scheme]: [names.scopeA] }],
            responses: { "200": { description: s.responseDescription, content: { "application/json": { schema: { $ref: ref(names.object) } } } } },
          },
        },
      ],
      [
        names.pathB,
        {
          post: {
            operationId: names.operationB,
            security: [],
            requestBody: {
              description: s.bodyDescription,
              content: { [names.mediaType]: { schema: { type: "object", properties: { [names.bodyProperty]: { type: "string", description: s.bodyDescription, enum: s.enumValues } } } } },
            },
            responses: { "204": { description: s.responseDescription, headers: { [names.header]: { description: s.headerDescription, schema: { type: "string", example: s.example } } } } },
          },
        },
      ],
    ]),
    components: {
      securitySchemes: Object.fromEntries([[names.scheme, { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://auth.example/token", scopes: { [names.scopeA]: s.scopeADescription, [names.scopeB]: s.scopeBDescription } } } }]]),
      schemas,
    },
  };
  let refusedAt: string | undefined;
  if (mutate === "collision") refusedAt = pointer("components", "schemas", names.object.replace("S0_", "S0-"));
  else if (mutate === "invalid pattern") refusedAt = pointer("components", "schemas", names.object, "properties", names.patternProperty, "pattern");
  else if (mutate === "scope with a space") refusedAt = pointer("components", "securitySchemes", names.scheme, "flows", "clientCredentials", "scopes", names.scopeB);
  else if (mutate === "name with a %") refusedAt = pointer("components", "schemas", names.object);
  else if (mutate === "operationId with a #") refusedAt = pointer("paths", names.pathA, "get", "operationId");
  else if (mutate === "infinite bound") refusedAt = pointer("components", "schemas", names.object, "properties", "__proto__", "minimum");
  else if (mutate !== undefined) refusedAt = directivePointer(doc);
  return { doc, names, ...(refusedAt === undefined ? {} : { refusedAt }) };
}

/** The pointer of the first string in `value` with a line holding the directive. */
function directivePointer(value: unknown, at = ""): string | undefined {
  if (typeof value === "string") return value.includes("\n@ts-expect-error") ? at : undefined;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : value && typeof value === "object" ? Object.entries(value) : [];
  for (const [key, item] of entries) {
    const found = directivePointer(item, at + pointer(key));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A file or directory name from a hostile string: no `/` or NUL, nor `\\` (TypeScript reads it as `/`), not too long. */
const fileName = (s: string, prefix: string) => prefix + [...s.replace(/[/\\\0]/g, "")].slice(0, 24).join("");

describe("property: hostile strings anywhere in a spec", () => {
  it("generate code that type-checks strictly, holds only declarations, imports without running anything and keeps every string exact; or are refused with the pointer", async () => {
    const outcomes = { generated: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(slots, mutation, async (input, mutate) => {
        const { doc, names, refusedAt } = buildSpec(input, mutate);
        const yaml = stringify(doc, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "QUOTE_DOUBLE", lineWidth: 0 });
        expect(parse(yaml)).toEqual(doc);
        const specFile = refusedAt === undefined ? fileName(input.file, "spec ") + ".yaml" : "spec.yaml";
        const dir = specDir(yaml, specFile);
        const outName = fileName(input.out, "out ");
        const run = await generate(dir, specFile, outName);
        const out = join(dir, outName);

        if (refusedAt !== undefined) {
          outcomes.refused++;
          expect(run.code, run.stdout).not.toBe(0);
          const line = run.stderr.split("\n").find((l) => l.startsWith("spec.yaml#"));
          expect(line, run.stderr).toBeDefined();
          const named = /^spec\.yaml#(\S*): /.exec(line!)?.[1];
          expect(decodeURIComponent(named ?? "")).toBe(refusedAt);
          expect(existsSync(out)).toBe(false);
          return;
        }

        outcomes.generated++;
        expect(run.code, run.stderr).toBe(0);
        expectTypeChecks(out);
        const valid = Object.fromEntries([
          [names.enumProperty, input.enumValues[0]],
          [names.refProperty, input.constValue],
          ["__proto__", 2],
          [names.patternProperty, input.pattern],
        ]);
        const objectSchema = shared.schemaConstName(names.object);
        const constSchema = shared.schemaConstName(names.constant);
        const without = (key: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key));
        const checks: Check[] = [
          { module: "schemas", name: objectSchema, value: valid, expected: true },
          { module: "schemas", name: objectSchema, value: without("__proto__"), expected: false },
          { module: "schemas", name: objectSchema, value: { ...without("__proto__"), ...Object.fromEntries([["__proto__", 0]]) }, expected: false },
          { module: "schemas", name: objectSchema, value: { ...without(names.enumProperty), ...Object.fromEntries([[names.enumProperty, `${input.enumValues.join("")}!`]]) }, expected: false },
          { module: "schemas", name: constSchema, value: input.constValue, expected: true },
          { module: "schemas", name: constSchema, value: `${input.constValue}!`, expected: false },
        ];
        const imported = await importGenerated(out, checks);
        expect(imported.sentinel).toBeNull();
        expect(imported.added).toEqual([]);
        expectDeclarationsOnly(out);
        expect(imported.exports).toEqual({ types: [], schemas: [objectSchema, constSchema, "scopes"].sort(), operations: ["operationScopes"] });
        expect(imported.scopes).toEqual([names.scopeA, names.scopeB]);
        expect(imported.operationScopes).toEqual(Object.fromEntries([[`GET ${names.pathA}`, [[names.scopeA]]], [`POST ${names.pathB}`, [[]]]]));
        expect(imported.results).toEqual(checks.map((c) => c.expected));
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 20, endOnFailure: true },
    );
    // Both kinds of outcome came up: neither half of the property was vacuous.
    expect(outcomes.generated).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 900_000);
});
