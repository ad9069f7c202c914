// Emits the run-time validators of an OpenAPI 3.1 document's `components.schemas` as calls to
// auth-core's combinators (`v.object(…)`, `v.string(…)`, …, from `@payauth/auth-core/validators`),
// each top-level one typed with the openapi-typescript type of the same schema. These replaced
// zod/mini validators: the same checks for about 1 kB instead of 6 kB min+gzip, and no 55 ms zod
// import. scripts/lib/zod-mini-from-schema.mjs (in the payauth repository) still emits the zod/mini equivalents, which the tests in
// packages/faults use as the reference these must agree with.

import { checkKeywords, checkRequired, checkSchemaNames, docComment, isEmptySchema, literal as lit, orderSchemas, pointer, propertyKey, quote, refName, schemaConstName, SpecError, typesOf } from "./json-schema.js";

/** `{ a: 1, b: 2 }` of the defined entries, or "" when there are none. */
function options(entries) {
  const defined = Object.entries(entries).filter(([, value]) => value !== undefined);
  return defined.length === 0 ? "" : `{ ${defined.map(([key, value]) => `${key}: ${lit(value)}`).join(", ")} }`;
}

/** `v.<name><T>(args)`: the type argument only on a top-level validator. */
function call(name, args, typeArg) {
  return `v.${name}${typeArg ? `<${typeArg}>` : ""}(${args.filter((a) => a !== "").join(", ")})`;
}

function emitType(schema, type, where, typeArg) {
  switch (type) {
    case "string":
      return call("string", [options({ min: schema.minLength, max: schema.maxLength, pattern: schema.pattern })], typeArg);
    case "integer":
    case "number":
      return call("number", [options({ integer: type === "integer" ? true : undefined, minimum: schema.minimum, maximum: schema.maximum, exclusiveMinimum: schema.exclusiveMinimum, exclusiveMaximum: schema.exclusiveMaximum })], typeArg);
    case "boolean":
      return call("boolean", [], typeArg);
    case "null":
      return call("literal", ["[null]"], typeArg);
    case "array":
      return call("array", [emit(schema.items ?? {}, pointer(where, "items")), options({ min: schema.minItems, max: schema.maxItems })], typeArg);
    case "object": {
      checkRequired(schema, where);
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0 && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return call("record", [emit(schema.additionalProperties, pointer(where, "additionalProperties"))], typeArg);
      }
      const fields = props.map(([name, prop]) => `${propertyKey(name)}: ${emit(prop, pointer(where, "properties", name))}`);
      const required = schema.required?.length ? lit(schema.required) : schema.additionalProperties === false ? "[]" : "";
      return call("object", [`{ ${fields.join(", ")} }`, required, schema.additionalProperties === false ? "true" : ""], typeArg);
    }
    default:
      throw new SpecError(pointer(where, "type"), `unsupported type ${quote(type)}`);
  }
}

/** One JSON Schema (at JSON pointer `where`) as a validator expression; `typeArg` types the outermost call. */
export function emit(schema, where, typeArg) {
  if (isEmptySchema(schema)) return call("unknown", [], typeArg);
  checkKeywords(schema, where);
  if ("$ref" in schema) return schemaConstName(refName(schema.$ref, where));
  if (schema.const !== undefined) return call("literal", [lit([schema.const])], typeArg);
  if (schema.enum) return call("literal", [lit(schema.enum)], typeArg);
  if (schema.oneOf || schema.anyOf) {
    const key = schema.oneOf ? "oneOf" : "anyOf";
    const parts = schema[key].map((s, i) => emit(s, pointer(where, key, i)));
    return call("union", [`[${parts.join(", ")}]`], typeArg);
  }
  if (schema.allOf) return call("allOf", [`[${schema.allOf.map((s, i) => emit(s, pointer(where, "allOf", i))).join(", ")}]`], typeArg);
  const types = typesOf(schema);
  if (types.length === 1 && types[0] === undefined) {
    if (schema.properties) return emitType(schema, "object", where, typeArg);
    throw new SpecError(where, "a schema needs a type");
  }
  const nonNull = types.filter((t) => t !== "null");
  const nullable = types.includes("null");
  const inner = nonNull.length === 1 ? emitType(schema, nonNull[0], where, nullable ? undefined : typeArg) : call("union", [`[${nonNull.map((t) => emitType(schema, t, where)).join(", ")}]`], nullable ? undefined : typeArg);
  return nullable ? call("nullable", [inner], typeArg) : inner;
}

/**
 * The body of a `schemas.gen.ts`: one exported validator per component schema, typed by
 * `openapi.gen.ts`. `where` is the JSON pointer of the schemas, for errors.
 */
export function emitValidators(schemas, where = "/components/schemas") {
  checkSchemaNames(schemas, where);
  return orderSchemas(schemas, where)
    .map((name) => {
      const type = `components["schemas"][${lit(name)}]`;
      const at = pointer(where, name);
      const code = emit(schemas[name], at, type);
      return `${docComment(schemas[name])}export const ${schemaConstName(name)} = /* @__PURE__ */ ${code};`;
    })
    .join("\n\n");
}
