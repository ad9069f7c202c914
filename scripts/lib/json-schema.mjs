// What both validator emitters share: the JSON Schema keywords our specs may use, `$ref`
// resolution within `components.schemas`, and an order in which each schema follows the ones
// it references. Anything outside KNOWN_KEYS makes generation fail, so a spec is never
// validated less strictly than it reads.

const REF_PREFIX = "#/components/schemas/";

export const KNOWN_KEYS = new Set([
  "type", "properties", "required", "items", "enum", "const", "oneOf", "anyOf", "allOf", "$ref",
  "additionalProperties", "minLength", "maxLength", "pattern", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems",
  // Annotations: no effect on validation.
  "description", "title", "examples", "example", "format", "default", "deprecated", "readOnly", "writeOnly",
]);

export function schemaConstName(name) {
  return `${name}Schema`;
}

export function refName(ref) {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

/** Throws on a keyword the emitters do not handle (`x-` extensions are annotations). */
export function checkKeywords(schema, where) {
  for (const key of Object.keys(schema)) {
    if (!KNOWN_KEYS.has(key) && !key.startsWith("x-")) throw new Error(`${where}: unsupported keyword ${key}`);
  }
}

/** Whether a schema accepts anything (`true` or `{}`). */
export function isEmptySchema(schema) {
  return schema === true || (schema && typeof schema === "object" && Object.keys(schema).length === 0);
}

/** The types a schema names (`[undefined]` when it names none). */
export function typesOf(schema) {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Fails on a `required` property that `properties` does not describe. */
export function checkRequired(schema, where) {
  for (const name of schema.required ?? []) {
    if (!(schema.properties ?? {})[name]) throw new Error(`${where}: required property ${name} is not described`);
  }
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

/** A schema's description as a doc comment line, or nothing. */
export function docComment(schema) {
  return schema.description ? `/** ${schema.description.trim().replace(/\*\//g, "*\\/").replace(/\n/g, " ")} */\n` : "";
}
