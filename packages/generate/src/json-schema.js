// What both validator emitters share: the JSON Schema keywords our specs may use, `$ref`
// resolution within `components.schemas`, and an order in which each schema follows the ones
// it references. Anything outside KNOWN_KEYS makes generation fail, so a spec is never
// validated less strictly than it reads.
//
// A spec may come from anyone (a provider's, a colleague's), so nothing in it reaches generated
// code except through `literal` (an escaped string, number, boolean or null), `propertyKey`
// (an escaped, quoted key), `commentText` (one line that cannot end its comment or act as a
// TypeScript directive) or `schemaConstName` (letters, digits, `_` and `$` only). What cannot be
// represented that way is refused with a SpecError naming the JSON pointer of the offending value.

const REF_PREFIX = "#/components/schemas/";

export const KNOWN_KEYS = new Set([
  "type", "properties", "required", "items", "enum", "const", "oneOf", "anyOf", "allOf", "$ref",
  "additionalProperties", "minLength", "maxLength", "pattern", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems",
  // Annotations: no effect on validation.
  "description", "title", "examples", "example", "format", "default", "deprecated", "readOnly", "writeOnly",
]);

const TYPES = new Set(["string", "integer", "number", "boolean", "null", "array", "object"]);

/** A spec the generator cannot represent: `pointer` (RFC 6901, e.g. `/components/schemas/Thing`) says where. */
export class SpecError extends Error {
  constructor(pointer, reason) {
    super(`${fragment(pointer)}: ${reason}`);
    this.name = "SpecError";
    this.pointer = pointer;
    this.reason = reason;
  }
}

/** The JSON pointer of `tokens` under `base` (`~` and `/` escaped as RFC 6901 says). */
export function pointer(base, ...tokens) {
  return base + tokens.map((token) => "/" + String(token).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/**
 * A JSON pointer as a URI fragment (`#/components/schemas/Thing-v2`), every character a fragment
 * may not hold percent-encoded (RFC 6901 §6): one line, no control characters, for an error message.
 */
export function fragment(jsonPointer) {
  return "#" + jsonPointer.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu, percentEncoded);
}

/** `c` percent-encoded as UTF-8 (a lone surrogate as the three bytes WTF-8 gives it). */
function percentEncoded(c) {
  const code = c.codePointAt(0);
  if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(c);
  return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");
}

const isPlainObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

const LINE_TERMINATORS = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * A string, number, boolean or null as a JavaScript literal: JSON, with the line and paragraph
 * separators escaped too (JSON leaves them raw, and older parsers end a string literal there).
 */
export function literal(value) {
  if (Array.isArray(value)) return `[${value.map(literal).join(",")}]`;
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
  if (value !== null && !["string", "number", "boolean"].includes(typeof value)) throw new TypeError(`not a literal: ${typeof value}`);
  return JSON.stringify(value).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A value from a spec quoted for an error message: JSON, on one line, no control characters raw. */
export function quote(value) {
  const json = JSON.stringify(value) ?? String(value);
  return json.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A key of an object literal: quoted and escaped; `__proto__` computed, so that it names a property, not the prototype. */
export function propertyKey(name) {
  return name === "__proto__" ? `[${literal(name)}]` : literal(name);
}

/**
 * Text from a spec for a `/** … *\/` or `//` comment: one line (line terminators, U+2028 and
 * U+2029 included, become spaces), `*\/` escaped as `*\\/` so that it cannot end the comment, and
 * a leading `@ts-` escaped so that TypeScript does not read `@ts-ignore` or `@ts-expect-error` there.
 */
export function commentText(text) {
  return text.replace(LINE_TERMINATORS, " ").replace(/\*\//g, "*\\/").replace(/^(\s*)@ts-/, "$1\\@ts-");
}

/** `text` with its line terminators written as escapes, for a `//` comment that must stay one line. */
export function oneLine(text) {
  return text.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A line TypeScript reads as a directive when it ends a comment (its scanner's own pattern). */
const DIRECTIVE = /^\s*[/*]*\s*@ts-(?:expect-error|ignore)/;

/** The keywords whose values are maps of names (schema, property, path, response, media type, … names). */
const NAME_MAPS = new Set([
  "schemas", "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "paths", "webhooks", "pathItems",
  "responses", "requestBodies", "content", "headers", "callbacks", "links", "securitySchemes", "scopes", "encoding", "variables", "mapping",
]);

/** The keywords whose values are data (examples, defaults, enums), not OpenAPI: their keys name nothing. */
const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const", "value"]);

/**
 * Fails on text anywhere in the document that openapi-typescript would not copy into the
 * generated code safely:
 * - a string with a line that TypeScript would read as a `@ts-ignore` or `@ts-expect-error`
 *   directive: openapi-typescript copies descriptions, titles, summaries, formats, defaults and
 *   examples into comments line by line (TypeScript also ends a line at \r, U+2028 and U+2029),
 *   and such a line at the end of a comment hides type errors or, `@ts-expect-error` with none
 *   to expect, does not compile;
 * - a `title` or `summary` that is not a string (openapi-typescript calls `.trim()` on them);
 * - a name (a key of a map of names, or a parameter's name) with a `%`, see `checkName`.
 * - a value that contains itself (a YAML alias to one of its ancestors).
 * `context` is what `value` is: OpenAPI `fields`, a map of `names`, a `parameter`, or `data`.
 */
export function checkStrings(value, where = "", context = "fields", ancestors = new Set()) {
  if (value !== null && typeof value === "object") {
    if (ancestors.has(value)) throw new SpecError(where, "this value contains itself (a YAML alias to one of its ancestors)");
    ancestors.add(value);
    try {
      checkChildren(value, where, context, ancestors);
    } finally {
      ancestors.delete(value);
    }
  } else if (typeof value === "string") {
    if (value.split(LINE_TERMINATORS).some((line) => DIRECTIVE.test(line))) {
      throw new SpecError(where, "a line of this text begins with a TypeScript directive (@ts-ignore or @ts-expect-error), which the generated comments would obey: reword it");
    }
  }
}

function checkChildren(value, where, context, ancestors) {
  const check = (item, at, inner) => checkStrings(item, at, inner, ancestors);
  if (Array.isArray(value)) value.forEach((item, i) => check(item, pointer(where, i), context));
  else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const at = pointer(where, key);
      if (context === "data") {
        check(item, at, "data");
        continue;
      }
      if (context === "names") {
        checkName(key, at);
        check(item, at, "fields");
        continue;
      }
      if ((key === "title" || key === "summary") && typeof item !== "string" && !isPlainObject(item)) throw new SpecError(at, `${key} must be a string`);
      // A parameter's name is part of the paths openapi-typescript builds, as a map key is.
      if (context === "parameter" && key === "name" && typeof item === "string") checkName(item, at);
      let inner = "fields";
      if (DATA_KEYS.has(key) || key.startsWith("x-")) inner = "data";
      else if (key === "parameters") inner = "parameter";
      else if (NAME_MAPS.has(key) && isPlainObject(item)) inner = "names";
      if (key === "parameters" && isPlainObject(item)) {
        for (const [name, parameter] of Object.entries(item)) {
          checkName(name, pointer(at, name));
          check(parameter, pointer(at, name), "parameter");
        }
      } else check(item, at, inner);
    }
  }
}

/**
 * Fails on a name with a `%`: openapi-typescript builds a JSON pointer of the names on the way to
 * each schema and reads it back as a URI fragment at every level, percent-decoding it again each
 * time, so `100%` makes it throw and `%2541` turns into `%41`, then `A`.
 */
function checkName(name, where) {
  if (name.includes("%")) throw new SpecError(where, `the name ${quote(name)} has a %, which openapi-typescript reads as a percent-escape: rename it`);
}

/**
 * The name of the validator of schema `name`: `name` with every character but ASCII letters,
 * digits, `_` and `$` replaced by `_`, `_` before a leading digit, and `Schema` after (so never
 * a reserved word, nor `v`, `components`, `scopes` or `Scope`). `checkSchemaNames` refuses two
 * schemas with the same validator name.
 */
export function schemaConstName(name) {
  const base = name.replace(/[^A-Za-z0-9_$]/gu, "_");
  return `${/^[0-9]/.test(base) ? "_" : ""}${base}Schema`;
}

/** Fails when `components.schemas` is not a map, or two of its names make the same validator name (`Thing-v2`, `Thing_v2`). */
export function checkSchemaNames(schemas, where = "/components/schemas") {
  if (!isPlainObject(schemas)) throw new SpecError(where, "components.schemas must be a map of schemas");
  const seen = new Map();
  for (const name of Object.keys(schemas)) {
    const id = schemaConstName(name);
    const other = seen.get(id);
    if (other !== undefined) {
      throw new SpecError(pointer(where, name), `the schemas ${quote(other)} (${fragment(pointer(where, other))}) and ${quote(name)} would both be validated by ${id}: rename one of them`);
    }
    seen.set(id, name);
  }
}

/** The schema name a `$ref` points to: only `#/components/schemas/<name>`, percent- and `~`-escapes decoded. */
export function refName(ref, where = "") {
  if (typeof ref !== "string" || !ref.startsWith(REF_PREFIX)) throw new SpecError(pointer(where, "$ref"), `unsupported $ref ${quote(ref)}: only #/components/schemas/<name>`);
  let token;
  try {
    token = decodeURIComponent(ref.slice(REF_PREFIX.length));
  } catch {
    throw new SpecError(pointer(where, "$ref"), `malformed $ref ${quote(ref)}: a bad percent-escape`);
  }
  if (token.includes("/")) throw new SpecError(pointer(where, "$ref"), `unsupported $ref ${quote(ref)}: only a whole schema of #/components/schemas`);
  const name = token.replace(/~1/g, "/").replace(/~0/g, "~");
  // openapi-typescript's resolver (Redocly's) decodes `~1` and `~0` before the percent-escapes:
  // a $ref that names another schema read that way would give the types of one and the validator of the other.
  let theirs;
  try {
    theirs = decodeURIComponent(ref.slice(REF_PREFIX.length).replace(/~1/g, "/").replace(/~0/g, "~"));
  } catch {}
  if (theirs !== name) throw new SpecError(pointer(where, "$ref"), `ambiguous $ref ${quote(ref)}: a percent-escaped ~ reads as another name to openapi-typescript`);
  return name;
}

const NON_NEGATIVE_INTEGER_KEYS = ["minLength", "maxLength", "minItems", "maxItems"];
const NUMBER_KEYS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];
const STRING_KEYS = ["description", "title", "format"];
const BOOLEAN_KEYS = ["deprecated", "readOnly", "writeOnly"];
const isLiteral = (value) => value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));

/**
 * Throws on a keyword the emitters do not handle (`x-` extensions are annotations), and on a
 * keyword whose value the emitters could not write as it reads (a bound that is not a number,
 * a pattern that is not a valid regular expression, an enum value that is not a literal, …).
 */
export function checkKeywords(schema, where) {
  if (!isPlainObject(schema)) throw new SpecError(where, `a schema must be an object or a boolean, not ${schema === null ? "null" : Array.isArray(schema) ? "a list" : typeof schema}`);
  for (const key of Object.keys(schema)) {
    if (!KNOWN_KEYS.has(key) && !key.startsWith("x-")) throw new SpecError(pointer(where, key), `unsupported keyword ${quote(key)}`);
  }
  const fail = (key, expected) => {
    throw new SpecError(pointer(where, key), `${key} must be ${expected}`);
  };
  for (const key of NON_NEGATIVE_INTEGER_KEYS) if (key in schema && !(Number.isSafeInteger(schema[key]) && schema[key] >= 0)) fail(key, "a non-negative integer");
  for (const key of NUMBER_KEYS) if (key in schema && !(typeof schema[key] === "number" && Number.isFinite(schema[key]))) fail(key, "a finite number");
  for (const key of STRING_KEYS) if (key in schema && typeof schema[key] !== "string") fail(key, "a string");
  for (const key of BOOLEAN_KEYS) if (key in schema && typeof schema[key] !== "boolean") fail(key, "true or false");
  if ("pattern" in schema) {
    if (typeof schema.pattern !== "string") fail("pattern", "a string");
    try {
      new RegExp(schema.pattern);
    } catch {
      fail("pattern", "a valid regular expression (JavaScript syntax, as the validators compile it)");
    }
  }
  if ("type" in schema) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.length === 0 || !types.every((type) => TYPES.has(type))) fail("type", `one of ${[...TYPES].join(", ")}, or a non-empty list of them`);
  }
  if ("enum" in schema && !(Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every(isLiteral))) fail("enum", "a non-empty list of strings, finite numbers, booleans and nulls (the validators compare with ===)");
  if ("const" in schema && !isLiteral(schema.const)) fail("const", "a string, a finite number, a boolean or null (the validators compare with ===)");
  if ("required" in schema && !(Array.isArray(schema.required) && schema.required.every((name) => typeof name === "string"))) fail("required", "a list of property names");
  if ("properties" in schema && !isPlainObject(schema.properties)) fail("properties", "a map of schemas");
  if ("additionalProperties" in schema && typeof schema.additionalProperties !== "boolean" && !isPlainObject(schema.additionalProperties)) fail("additionalProperties", "a boolean or a schema");
  for (const key of ["oneOf", "anyOf", "allOf"]) if (key in schema && !(Array.isArray(schema[key]) && schema[key].length > 0)) fail(key, "a non-empty list of schemas");
  if ("examples" in schema && !Array.isArray(schema.examples)) fail("examples", "a list");
}

/** Whether a schema accepts anything (`true` or `{}`). */
export function isEmptySchema(schema) {
  return schema === true || (isPlainObject(schema) && Object.keys(schema).length === 0);
}

/** The types a schema names (`[undefined]` when it names none). */
export function typesOf(schema) {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Fails on a `required` property that `properties` does not describe. */
export function checkRequired(schema, where) {
  for (const [i, name] of (schema.required ?? []).entries()) {
    if (!Object.hasOwn(schema.properties ?? {}, name)) throw new SpecError(pointer(where, "required", i), `required property ${quote(name)} is not described`);
  }
}

/** The schemas inside `schema` that the emitters emit, each with its JSON pointer. */
function subschemas(schema, where) {
  if (!isPlainObject(schema)) return [];
  const found = [];
  for (const key of ["items", "additionalProperties"]) if (isPlainObject(schema[key])) found.push([schema[key], pointer(where, key)]);
  if (isPlainObject(schema.properties)) for (const [name, sub] of Object.entries(schema.properties)) found.push([sub, pointer(where, "properties", name)]);
  for (const key of ["oneOf", "anyOf", "allOf"]) if (Array.isArray(schema[key])) schema[key].forEach((sub, i) => found.push([sub, pointer(where, key, i)]));
  return found;
}

/** The schema names `schema` references, each with the pointer of its first `$ref`. */
function collectRefs(schema, where, out = new Map()) {
  if (isPlainObject(schema) && "$ref" in schema) {
    const name = refName(schema.$ref, where);
    if (!out.has(name)) out.set(name, pointer(where, "$ref"));
    return out;
  }
  for (const [sub, at] of subschemas(schema, where)) collectRefs(sub, at, out);
  return out;
}

/** Schema names ordered so that each comes after the ones it references. */
export function orderSchemas(schemas, where = "/components/schemas") {
  const order = [];
  const state = new Map();
  const visit = (name, trail, from) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new SpecError(from, `recursive schemas are not supported: ${[...trail, name].map((n) => quote(n)).join(" -> ")}`);
    if (!Object.hasOwn(schemas, name)) throw new SpecError(from, `$ref to missing schema ${quote(name)}`);
    state.set(name, "visiting");
    const refs = collectRefs(schemas[name], pointer(where, name));
    for (const dep of [...refs.keys()].sort()) visit(dep, [...trail, name], refs.get(dep));
    state.set(name, "done");
    order.push(name);
  };
  Object.keys(schemas).sort().forEach((name) => visit(name, [], pointer(where, name)));
  return order;
}

/** A schema's description as a doc comment line, or nothing. */
export function docComment(schema) {
  return schema.description ? `/** ${commentText(schema.description.trim())} */\n` : "";
}
