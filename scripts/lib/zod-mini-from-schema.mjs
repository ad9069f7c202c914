// Emits zod/mini validators from an OpenAPI 3.1 document's `components.schemas`: the reference
// implementation of the JSON Schema our specs use. The packages ship the smaller validators of
// validators-from-schema.mjs; packages/faults checks that both accept exactly the same values.

import { checkKeywords, checkRequired, checkSchemaNames, docComment, isEmptySchema, literal as lit, orderSchemas, pointer, propertyKey, quote, refName, schemaConstName, SpecError, typesOf } from "./json-schema.mjs";

function withChecks(base, checks) {
  return checks.length === 0 ? base : `${base}.check(${checks.join(", ")})`;
}

function emitType(schema, type, where) {
  switch (type) {
    case "string": {
      const checks = [];
      if (schema.minLength !== undefined) checks.push(`z.minLength(${lit(schema.minLength)})`);
      if (schema.maxLength !== undefined) checks.push(`z.maxLength(${lit(schema.maxLength)})`);
      if (schema.pattern !== undefined) checks.push(`z.regex(new RegExp(${lit(schema.pattern)}))`);
      return withChecks("z.string()", checks);
    }
    case "integer":
    case "number": {
      const checks = [];
      if (schema.minimum !== undefined) checks.push(`z.gte(${lit(schema.minimum)})`);
      if (schema.maximum !== undefined) checks.push(`z.lte(${lit(schema.maximum)})`);
      if (schema.exclusiveMinimum !== undefined) checks.push(`z.gt(${lit(schema.exclusiveMinimum)})`);
      if (schema.exclusiveMaximum !== undefined) checks.push(`z.lt(${lit(schema.exclusiveMaximum)})`);
      return withChecks(type === "integer" ? "z.int()" : "z.number()", checks);
    }
    case "boolean":
      return "z.boolean()";
    case "null":
      return "z.null()";
    case "array": {
      const checks = [];
      if (schema.minItems !== undefined) checks.push(`z.minLength(${lit(schema.minItems)})`);
      if (schema.maxItems !== undefined) checks.push(`z.maxLength(${lit(schema.maxItems)})`);
      return withChecks(`z.array(${emit(schema.items ?? {}, pointer(where, "items"))})`, checks);
    }
    case "object": {
      checkRequired(schema, where);
      const required = new Set(schema.required ?? []);
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0 && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `z.record(z.string(), ${emit(schema.additionalProperties, pointer(where, "additionalProperties"))})`;
      }
      const fields = props.map(([name, prop]) => {
        const inner = emit(prop, pointer(where, "properties", name));
        return `${propertyKey(name)}: ${required.has(name) ? inner : `z.optional(${inner})`}`;
      });
      // Providers add fields over time: unknown fields are kept, not rejected.
      const ctor = schema.additionalProperties === false ? "z.strictObject" : "z.looseObject";
      return `${ctor}({ ${fields.join(", ")} })`;
    }
    default:
      throw new SpecError(pointer(where, "type"), `unsupported type ${quote(type)}`);
  }
}

/** One JSON Schema (at JSON pointer `where`) as a zod/mini expression. */
export function emit(schema, where) {
  if (isEmptySchema(schema)) return "z.unknown()";
  checkKeywords(schema, where);
  if ("$ref" in schema) return schemaConstName(refName(schema.$ref, where));
  if (schema.const !== undefined) return `z.literal(${lit(schema.const)})`;
  if (schema.enum) {
    return schema.enum.every((v) => typeof v === "string")
      ? `z.enum(${lit(schema.enum)})`
      : `z.union([${schema.enum.map((v) => `z.literal(${lit(v)})`).join(", ")}])`;
  }
  if (schema.oneOf || schema.anyOf) {
    const key = schema.oneOf ? "oneOf" : "anyOf";
    const options = schema[key].map((s, i) => emit(s, pointer(where, key, i)));
    return `z.union([${options.join(", ")}])`;
  }
  if (schema.allOf) {
    return schema.allOf.map((s, i) => emit(s, pointer(where, "allOf", i))).reduce((a, b) => `z.intersection(${a}, ${b})`);
  }
  const types = typesOf(schema);
  if (types.length === 1 && types[0] === undefined) {
    if (schema.properties) return emitType(schema, "object", where);
    throw new SpecError(where, "a schema needs a type");
  }
  const nonNull = types.filter((t) => t !== "null");
  const inner = nonNull.length === 1 ? emitType(schema, nonNull[0], where) : `z.union([${nonNull.map((t) => emitType(schema, t, where)).join(", ")}])`;
  return types.includes("null") ? `z.nullable(${inner})` : inner;
}

/** The body of a `schemas.gen.ts`: one exported validator per component schema. */
export function emitSchemas(schemas, where = "/components/schemas") {
  checkSchemaNames(schemas, where);
  return orderSchemas(schemas, where)
    .map((name) => {
      const code = emit(schemas[name], pointer(where, name));
      return `${docComment(schemas[name])}export const ${schemaConstName(name)} = /* @__PURE__ */ ${code};`;
    })
    .join("\n\n");
}
