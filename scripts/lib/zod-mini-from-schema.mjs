// Emits zod/mini validators from an OpenAPI 3.1 document's `components.schemas`.
// A small generator of our own: the maintained OpenAPI-to-zod tools emit classic `zod`
// (93 kB min+gzip), and the run-time checks must stay as small as `zod/mini` (5 kB).
// It covers the JSON Schema our specs use and throws on anything else, so a spec can
// never be validated less strictly than it reads.

const REF_PREFIX = "#/components/schemas/";
const KNOWN_KEYS = new Set([
  "type", "properties", "required", "items", "enum", "const", "oneOf", "anyOf", "allOf", "$ref",
  "additionalProperties", "minLength", "maxLength", "pattern", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems",
  // Annotations: no effect on validation.
  "description", "title", "examples", "example", "format", "default", "deprecated", "readOnly", "writeOnly",
]);

export function schemaConstName(name) {
  return `${name}Schema`;
}

function refName(ref) {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

function collectRefs(schema, out = new Set()) {
  if (Array.isArray(schema)) schema.forEach((s) => collectRefs(s, out));
  else if (schema && typeof schema === "object") {
    if (typeof schema.$ref === "string") out.add(refName(schema.$ref));
    Object.values(schema).forEach((v) => collectRefs(v, out));
  }
  return out;
}

/** Schema names ordered so that each comes after the ones it references. */
export function orderSchemas(schemas) {
  const order = [];
  const state = new Map();
  const visit = (name, trail) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new Error(`recursive schemas are not supported: ${[...trail, name].join(" -> ")}`);
    if (!(name in schemas)) throw new Error(`$ref to missing schema ${name}`);
    state.set(name, "visiting");
    for (const dep of [...collectRefs(schemas[name])].sort()) visit(dep, [...trail, name]);
    state.set(name, "done");
    order.push(name);
  };
  Object.keys(schemas).sort().forEach((name) => visit(name, []));
  return order;
}

const lit = (v) => JSON.stringify(v);

function withChecks(base, checks) {
  return checks.length === 0 ? base : `${base}.check(${checks.join(", ")})`;
}

function emitType(schema, type, where) {
  switch (type) {
    case "string": {
      const checks = [];
      if (schema.minLength !== undefined) checks.push(`z.minLength(${schema.minLength})`);
      if (schema.maxLength !== undefined) checks.push(`z.maxLength(${schema.maxLength})`);
      if (schema.pattern !== undefined) checks.push(`z.regex(new RegExp(${lit(schema.pattern)}))`);
      return withChecks("z.string()", checks);
    }
    case "integer":
    case "number": {
      const checks = [];
      if (schema.minimum !== undefined) checks.push(`z.gte(${schema.minimum})`);
      if (schema.maximum !== undefined) checks.push(`z.lte(${schema.maximum})`);
      if (schema.exclusiveMinimum !== undefined) checks.push(`z.gt(${schema.exclusiveMinimum})`);
      if (schema.exclusiveMaximum !== undefined) checks.push(`z.lt(${schema.exclusiveMaximum})`);
      return withChecks(type === "integer" ? "z.int()" : "z.number()", checks);
    }
    case "boolean":
      return "z.boolean()";
    case "null":
      return "z.null()";
    case "array": {
      const checks = [];
      if (schema.minItems !== undefined) checks.push(`z.minLength(${schema.minItems})`);
      if (schema.maxItems !== undefined) checks.push(`z.maxLength(${schema.maxItems})`);
      return withChecks(`z.array(${emit(schema.items ?? {}, `${where}.items`)})`, checks);
    }
    case "object": {
      const required = new Set(schema.required ?? []);
      const props = Object.entries(schema.properties ?? {});
      for (const name of required) {
        if (!(schema.properties ?? {})[name]) throw new Error(`${where}: required property ${name} is not described`);
      }
      if (props.length === 0 && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `z.record(z.string(), ${emit(schema.additionalProperties, `${where}.additionalProperties`)})`;
      }
      const fields = props.map(([name, prop]) => {
        const inner = emit(prop, `${where}.${name}`);
        return `${lit(name)}: ${required.has(name) ? inner : `z.optional(${inner})`}`;
      });
      // Providers add fields over time: unknown fields are kept, not rejected.
      const ctor = schema.additionalProperties === false ? "z.strictObject" : "z.looseObject";
      return `${ctor}({ ${fields.join(", ")} })`;
    }
    default:
      throw new Error(`${where}: unsupported type ${type}`);
  }
}

/** One JSON Schema as a zod/mini expression. */
export function emit(schema, where) {
  if (schema === true || (schema && Object.keys(schema).length === 0)) return "z.unknown()";
  for (const key of Object.keys(schema)) {
    if (!KNOWN_KEYS.has(key) && !key.startsWith("x-")) throw new Error(`${where}: unsupported keyword ${key}`);
  }
  if (schema.$ref) return schemaConstName(refName(schema.$ref));
  if (schema.const !== undefined) return `z.literal(${lit(schema.const)})`;
  if (schema.enum) {
    return schema.enum.every((v) => typeof v === "string")
      ? `z.enum(${lit(schema.enum)})`
      : `z.union([${schema.enum.map((v) => `z.literal(${lit(v)})`).join(", ")}])`;
  }
  if (schema.oneOf || schema.anyOf) {
    const options = (schema.oneOf ?? schema.anyOf).map((s, i) => emit(s, `${where}.oneOf[${i}]`));
    return `z.union([${options.join(", ")}])`;
  }
  if (schema.allOf) {
    return schema.allOf.map((s, i) => emit(s, `${where}.allOf[${i}]`)).reduce((a, b) => `z.intersection(${a}, ${b})`);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length === 1 && types[0] === undefined) {
    if (schema.properties) return emitType(schema, "object", where);
    throw new Error(`${where}: a schema needs a type`);
  }
  const nonNull = types.filter((t) => t !== "null");
  const inner = nonNull.length === 1 ? emitType(schema, nonNull[0], where) : `z.union([${nonNull.map((t) => emitType(schema, t, where)).join(", ")}])`;
  return types.includes("null") ? `z.nullable(${inner})` : inner;
}

/** The body of a `schemas.gen.ts`: one exported validator per component schema. */
export function emitSchemas(schemas) {
  return orderSchemas(schemas)
    .map((name) => {
      const doc = schemas[name].description ? `/** ${schemas[name].description.trim().replace(/\*\//g, "*\\/").replace(/\n/g, " ")} */\n` : "";
      return `${doc}export const ${schemaConstName(name)} = /* @__PURE__ */ ${emit(schemas[name], name)};`;
    })
    .join("\n\n");
}
