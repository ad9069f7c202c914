import { describe, expect, it } from "vitest";
import { invalidResponse } from "../src/describe-issues.js";
import * as v from "../src/validators.js";

const ok = (validator: v.Validator<unknown>, value: unknown) => validator.safeParse(value).success;
const issues = (validator: v.Validator<unknown>, value: unknown) => {
  const result = validator.safeParse(value);
  return result.success ? [] : result.error.issues;
};

describe("validators: scalars", () => {
  it("string: type, length bounds and an unanchored pattern", () => {
    const s = v.string({ min: 2, max: 4, pattern: "^[a-z]+" });
    expect([ok(s, "ab"), ok(s, "abcd"), ok(s, "ab1")]).toEqual([true, true, true]);
    expect(issues(s, 3)).toEqual([{ code: "invalid_type", path: [], expected: "string" }]);
    expect(issues(s, "a")).toEqual([{ code: "too_small", path: [] }]);
    expect(issues(s, "abcde")).toEqual([{ code: "too_big", path: [] }]);
    expect(issues(s, "1ab")).toEqual([{ code: "invalid_format", path: [] }]);
    expect(ok(v.string(), "")).toBe(true);
  });

  it("number: finite only; integer means a safe integer; inclusive and exclusive bounds", () => {
    expect([ok(v.number(), 1.5), ok(v.number(), Number.NaN), ok(v.number(), Infinity), ok(v.number(), "1")]).toEqual([true, false, false, false]);
    const int = v.number({ integer: true });
    expect([ok(int, 3), ok(int, 3.5), ok(int, 2 ** 53), ok(int, -(2 ** 53))]).toEqual([true, false, false, false]);
    expect(issues(int, 3.5)).toEqual([{ code: "invalid_type", path: [], expected: "int" }]);
    const positive = v.number({ exclusiveMinimum: 0 });
    expect([ok(positive, 0), ok(positive, 0.001)]).toEqual([false, true]);
    const range = v.number({ minimum: 1, maximum: 3, exclusiveMaximum: 3 });
    expect([ok(range, 1), ok(range, 0.9), ok(range, 2.9), ok(range, 3)]).toEqual([true, false, true, false]);
  });

  it("boolean, literal (enum and const, by ===), unknown", () => {
    expect([ok(v.boolean(), false), ok(v.boolean(), 0)]).toEqual([true, false]);
    const codes = v.literal(["a", 1, null]);
    expect([ok(codes, "a"), ok(codes, 1), ok(codes, null), ok(codes, "1"), ok(codes, undefined)]).toEqual([true, true, true, false, false]);
    expect(issues(codes, "b")).toEqual([{ code: "invalid_value", path: [] }]);
    expect([ok(v.unknown(), undefined), ok(v.unknown(), { any: "thing" })]).toEqual([true, true]);
  });

  it("nullable: null or the inner schema", () => {
    const n = v.nullable(v.string());
    expect([ok(n, null), ok(n, "x"), ok(n, undefined), ok(n, 1)]).toEqual([true, true, false, false]);
  });
});

describe("validators: structures", () => {
  const token = v.object({ access_token: v.string({ min: 1 }), expires_in: v.number({ integer: true }), scope: v.string(), extra: v.unknown() }, ["access_token", "expires_in"]);

  it("object: required properties present, optional ones missing or undefined, unknown keys kept", () => {
    expect(ok(token, { access_token: "t", expires_in: 60 })).toBe(true);
    expect(ok(token, { access_token: "t", expires_in: 60, scope: undefined, later: { field: 1 } })).toBe(true);
    const result = token.safeParse({ access_token: "t", expires_in: 60, later: 1 });
    expect(result.success && result.data).toEqual({ access_token: "t", expires_in: 60, later: 1 });
  });

  it("object: reports every problem with its path, and never the values", () => {
    expect(issues(token, { expires_in: "60", scope: 1 })).toEqual([
      { code: "invalid_type", path: ["access_token"], expected: "string" },
      { code: "invalid_type", path: ["expires_in"], expected: "int" },
      { code: "invalid_type", path: ["scope"], expected: "string" },
    ]);
    expect(invalidResponse("the token response", issues(token, { access_token: "secret-value", expires_in: 1.5 })).message).toBe(
      "the token response does not match the spec: expires_in: invalid_type (expected int)",
    );
  });

  it("object: arrays, null and primitives are not objects; only own properties count", () => {
    for (const value of [[], null, "{}", 1]) expect(issues(token, value)).toEqual([{ code: "invalid_type", path: [], expected: "object" }]);
    const inherited = Object.create({ access_token: "t", expires_in: 60 }) as object;
    expect(ok(token, inherited)).toBe(false);
  });

  it("object: a required property whose schema takes undefined may be missing (as an empty schema)", () => {
    expect(ok(v.object({ any: v.unknown() }, ["any"]), {})).toBe(true);
    expect(ok(v.object({ name: v.string() }, ["name"]), { name: undefined })).toBe(false);
  });

  it("object: strict (additionalProperties: false) refuses unknown keys", () => {
    const strict = v.object({ a: v.string() }, [], true);
    expect([ok(strict, { a: "x" }), ok(strict, {})]).toEqual([true, true]);
    expect(issues(strict, { a: "x", b: 1 })).toEqual([{ code: "unrecognized_keys", path: [] }]);
  });

  it("array: every item, with paths, and item-count bounds", () => {
    const list = v.array(v.object({ id: v.string() }, ["id"]), { min: 1, max: 2 });
    expect(ok(list, [{ id: "a" }])).toBe(true);
    expect(issues(list, [{ id: "a" }, { id: 2 }])).toEqual([{ code: "invalid_type", path: [1, "id"], expected: "string" }]);
    expect(issues(list, [])).toEqual([{ code: "too_small", path: [] }]);
    expect(issues(list, [{ id: "a" }, { id: "b" }, { id: "c" }])).toEqual([{ code: "too_big", path: [] }]);
    expect(issues(list, { 0: { id: "a" } })).toEqual([{ code: "invalid_type", path: [], expected: "array" }]);
  });

  it("record: every value of an object", () => {
    const counts = v.record(v.number());
    expect([ok(counts, {}), ok(counts, { a: 1 }), ok(counts, [])]).toEqual([true, true, false]);
    expect(issues(counts, { a: 1, b: "2" })).toEqual([{ code: "invalid_type", path: ["b"], expected: "number" }]);
  });

  it("union: one option is enough; otherwise one invalid_union issue", () => {
    const u = v.union([v.string(), v.object({ code: v.string() }, ["code"])]);
    expect([ok(u, "x"), ok(u, { code: "c" })]).toEqual([true, true]);
    expect(issues(u, { code: 1 })).toEqual([{ code: "invalid_union", path: [] }]);
  });

  it("allOf: every part, with every part's issues", () => {
    const both = v.allOf([v.object({ a: v.string() }, ["a"]), v.object({ b: v.number() }, ["b"])]);
    expect(ok(both, { a: "x", b: 1 })).toBe(true);
    expect(issues(both, { a: 1 }).map((issue) => issue.path)).toEqual([["a"], ["b"]]);
  });
});
