import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The names one entry exports: values (at run time) and types. */
export interface ExportList {
  values: readonly string[];
  types: readonly string[];
}

export interface ExportsTarget {
  /** The package's name, e.g. `@payauth/maxpay`. */
  packageName: string;
  /** The documented exports per entry: `"."` and `"./testing"`. */
  expected: Record<"." | "./testing", ExportList>;
  /** The calling test file's `import.meta.url`: `../README.md`, `../src/…` and `./exports.test-d.ts` are read from there. */
  testFile: string;
  /** Each entry's module, imported by the caller (so that the path resolves in its package). */
  load: Record<"." | "./testing", () => Promise<Record<string, unknown>>>;
}

type Entry = "." | "./testing";
const SOURCES: Record<Entry, string> = { ".": "../src/index.ts", "./testing": "../src/testing/index.ts" };
const sorted = (names: readonly string[]) => [...names].sort();

/** Every name an entry's source re-exports (`export { a, type B, c as d } from "…"`), as values and types. */
function sourceExports(source: string): { values: string[]; types: string[] } {
  const values: string[] = [];
  const types: string[] = [];
  for (const [, typeOnly, list] of source.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from\s*"[^"]+"/g)) {
    for (const raw of list!.split(",")) {
      const item = raw.trim();
      if (item === "") continue;
      const isType = typeOnly !== undefined || item.startsWith("type ");
      const name = item.replace(/^type\s+/, "").split(/\s+as\s+/).at(-1)!.trim();
      (isType ? types : values).push(name);
    }
  }
  expect(source.replace(/export\s+(type\s+)?\{[^}]*\}\s*from\s*"[^"]+";?/g, "").trim(), "only `export { … } from` statements").toBe("");
  return { values, types };
}

/** A README's "Exports" section: per entry, the backticked names after "Values:" and "Types:". */
function readmeExports(readme: string): Record<string, { values: string[]; types: string[] }> {
  const start = readme.indexOf("\n## Exports\n");
  expect(start, "README has an Exports section").toBeGreaterThan(-1);
  const rest = readme.slice(start + 1);
  const end = rest.indexOf("\n## ", 1);
  const section = end === -1 ? rest : rest.slice(0, end);
  const names = (text: string) => [...text.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!);
  const out: Record<string, { values: string[]; types: string[] }> = {};
  for (const block of section.split("\n### ").slice(1)) {
    const entry = /^`([^`]+)`/.exec(block)?.[1];
    const values = /- Values:([\s\S]*?)(?=\n- Types:)/.exec(block)?.[1];
    const types = /- Types:([\s\S]*?)(?=\n\n|$)/.exec(block)?.[1];
    expect(entry !== undefined && values !== undefined && types !== undefined, `a well-formed block: ${block.slice(0, 40)}`).toBe(true);
    out[entry!] = { values: names(values!), types: names(types!) };
  }
  return out;
}

/**
 * Issue 12, item 10: a provider package's public exports (main and `/testing` entries) are exactly
 * the ones its README lists under "Exports" (a README is all a user sees on npm): at run time, in
 * the entries' sources (nothing undocumented, types included), in the README, and every documented
 * type checked to exist by the package's `exports.test-d.ts`.
 */
export function describeExports({ packageName, expected, testFile, load }: ExportsTarget): void {
  const read = (path: string) => readFileSync(new URL(path, testFile), "utf8");
  const entries = Object.keys(expected) as Entry[];
  const published = (entry: Entry) => (entry === "." ? packageName : `${packageName}/testing`);

  describe(`${packageName}: public exports (issue 12, item 10)`, () => {
    it.each(entries)("%s exports at run time exactly the documented values", async (entry) => {
      expect(sorted(Object.keys(await load[entry]()))).toEqual(sorted(expected[entry].values));
    });

    it.each(entries)("%s re-exports exactly the documented values and types, no undocumented type", (entry) => {
      const found = sourceExports(read(SOURCES[entry]));
      expect(sorted(found.values)).toEqual(sorted(expected[entry].values));
      expect(sorted(found.types)).toEqual(sorted(expected[entry].types));
    });

    it("the README's Exports section lists exactly these, per entry", () => {
      const documented = readmeExports(read("../README.md"));
      expect(Object.keys(documented)).toEqual(entries.map(published));
      for (const entry of entries) {
        const listed = documented[published(entry)]!;
        expect(sorted(listed.values), `${entry} values`).toEqual(sorted(expected[entry].values));
        expect(sorted(listed.types), `${entry} types`).toEqual(sorted(expected[entry].types));
      }
    });

    it("the type test checks every documented type", () => {
      const typeTest = read("./exports.test-d.ts");
      for (const name of entries.flatMap((entry) => expected[entry].types)) {
        expect(typeTest, name).toMatch(new RegExp(`expectTypeOf<${name}\\b`));
      }
    });
  });
}
