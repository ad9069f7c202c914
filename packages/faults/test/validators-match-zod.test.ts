import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as v from "@payauth/auth-core/validators";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as z from "zod/mini";

// The packages validate responses with the small validators scripts/lib/validators-from-schema.mjs
// emits. zod/mini is the reference: for every component schema of every spec (and the test
// fixture spec), the validators built by both emitters must accept and refuse the same values,
// on values shaped like the schema with every field possibly missing, mistyped or out of range.

const root = fileURLToPath(new URL("../../../", import.meta.url));
const specs = [
  ...readdirSync(`${root}specs`)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => `specs/${file}`),
  "packages/getpaid/test/fixtures/invoices/invoices.yaml",
];

type JsonSchema = Record<string, unknown> | boolean;
interface Emitter {
  emit(schema: JsonSchema, where: string): string;
}
interface Shared {
  orderSchemas(schemas: Record<string, JsonSchema>): string[];
  schemaConstName(name: string): string;
  refName(ref: string): string;
}
interface Checker {
  safeParse(value: unknown): { success: boolean };
}

const lib = (file: string) => import(pathToFileURL(`${root}scripts/lib/${file}`).href);
const [plain, reference, shared] = (await Promise.all([lib("validators-from-schema.mjs"), lib("zod-mini-from-schema.mjs"), lib("json-schema.mjs")])) as [Emitter, Emitter, Shared];

/** Every component schema's validator, as `emitter` writes it, evaluated with `library` in scope as `name`. */
function build(emitter: Emitter, name: "v" | "z", library: unknown, schemas: Record<string, JsonSchema>): Record<string, Checker> {
  const names = shared.orderSchemas(schemas).map((schema) => shared.schemaConstName(schema));
  const body = shared
    .orderSchemas(schemas)
    .map((schema) => `const ${shared.schemaConstName(schema)} = ${emitter.emit(schemas[schema]!, schema)};`)
    .join("\n");
  return new Function(name, `${body}\nreturn { ${names.join(", ")} };`)(library) as Record<string, Checker>;
}

const wrong = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 3 }), fc.constant([]), fc.constant({}));

/** Values near `schema`: of its shape most of the time, with any part possibly wrong. */
function near(schema: JsonSchema, schemas: Record<string, JsonSchema>, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema === "boolean" || Object.keys(schema).length === 0 || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  const s = schema as Record<string, any>;
  const mixed = (shaped: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: shaped, weight: 6 }, { arbitrary: wrong, weight: 1 });
  if (typeof s.$ref === "string") return near(schemas[shared.refName(s.$ref)]!, schemas, depth + 1);
  if (s.const !== undefined) return mixed(fc.constant(s.const));
  if (Array.isArray(s.enum)) return mixed(fc.constantFrom(...(s.enum as unknown[])));
  const parts = (s.oneOf ?? s.anyOf ?? s.allOf) as JsonSchema[] | undefined;
  if (parts) return fc.oneof(...parts.map((part) => near(part, schemas, depth + 1)), wrong);
  const types: (string | undefined)[] = Array.isArray(s.type) ? s.type : [s.type ?? (s.properties ? "object" : undefined)];
  return fc.oneof(...types.map((type) => mixed(shaped(s, type, schemas, depth))));
}

function shaped(s: Record<string, any>, type: string | undefined, schemas: Record<string, JsonSchema>, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "string": {
      const min = (s.minLength ?? 0) as number;
      const length = fc.oneof({ arbitrary: fc.string({ minLength: min, maxLength: (s.maxLength ?? min + 4) as number }), weight: 3 }, { arbitrary: fc.string({ maxLength: (s.maxLength ?? 4) + 2 }), weight: 1 });
      return s.pattern ? fc.oneof(fc.stringMatching(new RegExp(s.pattern as string)), length, fc.constantFrom("a b", " a", "a  b")) : length;
    }
    case "integer":
    case "number": {
      const edges = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter((n): n is number => typeof n === "number").flatMap((n) => [n - 1, n, n + 1, n + 0.5]);
      return fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.constantFrom(0, -1, 0.5, 2 ** 53, -(2 ** 53), Number.NaN, Infinity, ...edges), fc.double());
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      const min = (s.minItems ?? 0) as number;
      const items = near(s.items ?? {}, schemas, depth + 1);
      return fc.oneof({ arbitrary: fc.array(items, { minLength: min, maxLength: Math.max(min, (s.maxItems ?? 2) as number) }), weight: 3 }, { arbitrary: fc.array(items, { maxLength: (s.maxItems ?? 2) + 1 }), weight: 1 });
    case "object": {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      const model = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, near(property, schemas, depth + 1)]));
      const required = (s.required ?? []) as string[];
      const extra = fc.dictionary(fc.constantFrom("extra", "other", ...Object.keys(properties)), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 1 });
      // Required fields are there most of the time, so that whole valid objects come up often.
      const complete = fc.record(model, { requiredKeys: required.filter((key) => key in model) });
      const values = s.additionalProperties && typeof s.additionalProperties === "object" ? fc.dictionary(fc.string({ maxLength: 3 }), near(s.additionalProperties, schemas, depth + 1), { maxKeys: 3 }) : undefined;
      return values ?? fc.oneof({ arbitrary: complete, weight: 4 }, { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 }, { arbitrary: fc.tuple(complete, extra).map(([a, b]) => ({ ...a, ...b })), weight: 1 });
    }
    default:
      return wrong;
  }
}

describe.each(specs)("generated validators of %s agree with zod/mini", (spec) => {
  const schemas = (parse(readFileSync(`${root}${spec}`, "utf8")) as { components?: { schemas?: Record<string, JsonSchema> } }).components?.schemas ?? {};
  const ours = build(plain, "v", v, schemas);
  const zods = build(reference, "z", z, schemas);

  it.each(Object.keys(schemas))("%s", (name) => {
    const counts = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(near(schemas[name]!, schemas), (value) => {
        const expected = zods[shared.schemaConstName(name)]!.safeParse(value).success;
        expect(ours[shared.schemaConstName(name)]!.safeParse(value).success).toBe(expected);
        counts[expected ? "accepted" : "refused"]++;
      }),
      { numRuns: 400 },
    );
    // Both outcomes came up: the comparison was not vacuous.
    expect(counts.accepted).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
  });
});
