// `@payauth/auth-core/validators`: the run-time checks that generated `schemas.gen.ts` files are
// built from (`import * as v`), one combinator per JSON Schema construct the specs use
// (scripts/lib/validators-from-schema.mjs emits the calls). Its own entry, so that a bundler
// keeps only the combinators a provider's schemas use.
// They accept exactly what zod/mini accepts for the same schema (a test in packages/faults
// compares both on generated values), at a fraction of its size and import time.

/** One problem found in a value: where it is and what was expected, never the value itself. */
export interface Issue {
  readonly code: "invalid_type" | "too_small" | "too_big" | "invalid_format" | "invalid_value" | "invalid_union" | "unrecognized_keys";
  readonly path: readonly PropertyKey[];
  readonly expected?: string;
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };

/** A generated validator: `safeParse` returns the value itself when it matches the schema. */
export interface Validator<T = unknown> {
  safeParse(value: unknown): SafeParseResult<T>;
  /** Adds what is wrong with `value` (found at `path`) to `issues`. */
  readonly check: (value: unknown, path: readonly PropertyKey[], issues: Issue[]) => void;
}

/** The type a validator checks for (what `safeParse` returns as `data`). */
export type Infer<V> = V extends Validator<infer T> ? T : never;

type Check = Validator["check"];

function validator<T>(check: Check): Validator<T> {
  return {
    check,
    safeParse(value) {
      const issues: Issue[] = [];
      check(value, [], issues);
      return issues.length === 0 ? { success: true, data: value as T } : { success: false, error: { issues } };
    },
  };
}

export interface Bounds {
  min?: number;
  max?: number;
}

function bounded(length: number, bounds: Bounds, path: readonly PropertyKey[], issues: Issue[]): void {
  if (bounds.min !== undefined && length < bounds.min) issues.push({ code: "too_small", path });
  if (bounds.max !== undefined && length > bounds.max) issues.push({ code: "too_big", path });
}

/** Any value (an empty schema). */
export const unknown = <T = unknown>(): Validator<T> => validator(() => {});

/** A string, with `minLength`/`maxLength` as `min`/`max` and an (unanchored) `pattern`. */
export function string<T = string>(bounds: Bounds & { pattern?: string } = {}): Validator<T> {
  const pattern = bounds.pattern === undefined ? undefined : new RegExp(bounds.pattern);
  return validator((value, path, issues) => {
    if (typeof value !== "string") return void issues.push({ code: "invalid_type", path, expected: "string" });
    bounded(value.length, bounds, path, issues);
    if (pattern !== undefined && !pattern.test(value)) issues.push({ code: "invalid_format", path });
  });
}

export interface NumberRange {
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** A finite number (a safe integer with `integer`), within the range given. */
export function number<T = number>(range: NumberRange = {}): Validator<T> {
  const { minimum = -Infinity, maximum = Infinity, exclusiveMinimum = -Infinity, exclusiveMaximum = Infinity } = range;
  const expected = range.integer === true ? "int" : "number";
  return validator((value, path, issues) => {
    if (typeof value !== "number" || !Number.isFinite(value) || (range.integer === true && !Number.isInteger(value))) {
      return void issues.push({ code: "invalid_type", path, expected });
    }
    if (value < minimum || value <= exclusiveMinimum || (range.integer === true && value < Number.MIN_SAFE_INTEGER)) issues.push({ code: "too_small", path });
    if (value > maximum || value >= exclusiveMaximum || (range.integer === true && value > Number.MAX_SAFE_INTEGER)) issues.push({ code: "too_big", path });
  });
}

/** `true` or `false`. */
export const boolean = <T = boolean>(): Validator<T> =>
  validator((value, path, issues) => {
    if (typeof value !== "boolean") issues.push({ code: "invalid_type", path, expected: "boolean" });
  });

/** One of `values` (JSON Schema `enum` and `const`), compared with `===`. */
export const literal = <T = unknown>(values: readonly unknown[]): Validator<T> =>
  validator((value, path, issues) => {
    if (!values.includes(value)) issues.push({ code: "invalid_value", path });
  });

/** `null` or what `inner` accepts. */
export const nullable = <T = unknown>(inner: Validator<unknown>): Validator<T> =>
  validator((value, path, issues) => {
    if (value !== null) inner.check(value, path, issues);
  });

/** An array whose every item `items` accepts, with `minItems`/`maxItems` as `min`/`max`. */
export const array = <T = unknown[]>(items: Validator<unknown>, bounds: Bounds = {}): Validator<T> =>
  validator((value, path, issues) => {
    if (!Array.isArray(value)) return void issues.push({ code: "invalid_type", path, expected: "array" });
    bounded(value.length, bounds, path, issues);
    value.forEach((item, index) => items.check(item, [...path, index], issues));
  });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An object with `properties`: those named in `required` must be there (the others may be
 * missing or `undefined`), unless their schema takes `undefined`. Unknown keys are kept, as providers add fields over time, unless
 * `strict` (`additionalProperties: false`).
 */
export function object<T = Record<string, unknown>>(properties: Readonly<Record<string, Validator<unknown>>>, required: readonly string[] = [], strict = false): Validator<T> {
  const entries = Object.entries(properties);
  return validator((value, path, issues) => {
    if (!isRecord(value)) return void issues.push({ code: "invalid_type", path, expected: "object" });
    for (const [key, property] of entries) {
      const item = Object.hasOwn(value, key) ? value[key] : undefined;
      // A missing or undefined property is checked only when required (an empty schema takes it).
      if (item !== undefined || required.includes(key)) property.check(item, [...path, key], issues);
    }
    if (strict && Object.keys(value).some((key) => !Object.hasOwn(properties, key))) issues.push({ code: "unrecognized_keys", path });
  });
}

/** An object whose every value `values` accepts (`additionalProperties` without `properties`). */
export const record = <T = Record<string, unknown>>(values: Validator<unknown>): Validator<T> =>
  validator((value, path, issues) => {
    if (!isRecord(value)) return void issues.push({ code: "invalid_type", path, expected: "record" });
    for (const key of Object.keys(value)) values.check(value[key], [...path, key], issues);
  });

/** What at least one of `options` accepts (`oneOf`, `anyOf`, or a list of types). */
export const union = <T = unknown>(options: readonly Validator<unknown>[]): Validator<T> =>
  validator((value, path, issues) => {
    const accepted = options.some((option) => {
      const own: Issue[] = [];
      option.check(value, path, own);
      return own.length === 0;
    });
    if (!accepted) issues.push({ code: "invalid_union", path });
  });

/** What every one of `parts` accepts (`allOf`). */
export const allOf = <T = unknown>(parts: readonly Validator<unknown>[]): Validator<T> =>
  validator((value, path, issues) => {
    for (const part of parts) part.check(value, path, issues);
  });
