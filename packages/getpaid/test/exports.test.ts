import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Issue 12, item 10: the public exports of @payauth/getpaid and @payauth/getpaid/testing are exactly the ones its
// README lists under "Exports" (a README is all a user sees on npm). The types are checked to
// exist in exports.test-d.ts; here, that the entries export nothing else and the README says the same.

const EXPECTED = {
  ".": {
    values: [
      "createGetpaidClient",
      "createGetpaidClientPool",
      "customScope",
      "isAuthError",
      "AuthError",
      "InvalidOptionError",
      "AUTH_ERROR_CODES",
      "GETPAID_ERROR_CODES",
      "mapGetpaidError",
      "GETPAID_TOKEN_URL",
      "GETPAID_AUDIENCES",
      "GETPAID_ENVIRONMENTS",
      "getpaidScopes",
      "getpaidOperationScopes",
      "createMemoryTokenStore",
    ],
    types: [
      "GetpaidClient",
      "GetpaidClientOptions",
      "GetpaidClientPoolOptions",
      "GetpaidEnvironment",
      "GetpaidScope",
      "GetpaidResource",
      "GetpaidAccess",
      "GetpaidTokenResponse",
      "GetpaidError",
      "GetpaidErrorCode",
      "GetpaidOperation",
      "GetpaidOperationScope",
      "paths",
      "components",
      "operations",
      "AccessToken",
      "AuthErrorCode",
      "AuthEvent",
      "ClientAuth",
      "ClientPool",
      "Clock",
      "CustomScope",
      "FetchLike",
      "OperationKey",
      "OperationScopes",
      "OperationScopesFor",
      "PoolEvent",
      "RetryOptions",
      "SecretSupplier",
      "StoredToken",
      "TokenStore",
    ],
  },
  "./testing": {
    values: [
      "createGetpaidFake",
      "getpaidFakeCredentials",
      "getpaidAllScopes",
      "createHandlersFetch",
      "createManualClock",
      "serveHandlers",
    ],
    types: [
      "GetpaidFake",
      "GetpaidFakeClient",
      "GetpaidFakeOptions",
      "GetpaidFakeErrorCode",
      "GetpaidFault",
      "FakeServer",
      "ManualClock",
    ],
  },
} as const;

type Entry = keyof typeof EXPECTED;
const SOURCES: Record<Entry, string> = { ".": "../src/index.ts", "./testing": "../src/testing/index.ts" };

const sorted = (names: readonly string[]) => [...names].sort();
const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

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

/** The README's "Exports" section: per entry, the backticked names after "Values:" and "Types:". */
function readmeExports(): Record<string, { values: string[]; types: string[] }> {
  const readme = read("../README.md");
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

describe("@payauth/getpaid: public exports (issue 12, item 10)", () => {
  it("the main entry exports at run time exactly the documented values", async () => {
    expect(sorted(Object.keys(await import("../src/index.js")))).toEqual(sorted(EXPECTED["."].values));
  });

  it("the /testing entry exports at run time exactly the documented values", async () => {
    expect(sorted(Object.keys(await import("../src/testing/index.js")))).toEqual(sorted(EXPECTED["./testing"].values));
  });

  it.each(Object.keys(EXPECTED) as Entry[])("%s re-exports exactly the documented values and types, no undocumented type", (entry) => {
    const found = sourceExports(read(SOURCES[entry]));
    expect(sorted(found.values)).toEqual(sorted(EXPECTED[entry].values));
    expect(sorted(found.types)).toEqual(sorted(EXPECTED[entry].types));
  });

  it("the README's Exports section lists exactly these, per entry", () => {
    const documented = readmeExports();
    expect(Object.keys(documented)).toEqual(["@payauth/getpaid", "@payauth/getpaid/testing"]);
    for (const entry of Object.keys(EXPECTED) as Entry[]) {
      const listed = documented[entry === "." ? "@payauth/getpaid" : "@payauth/getpaid/testing"]!;
      expect(sorted(listed.values), `${entry} values`).toEqual(sorted(EXPECTED[entry].values));
      expect(sorted(listed.types), `${entry} types`).toEqual(sorted(EXPECTED[entry].types));
    }
  });

  it("the type test checks every documented type", () => {
    const typeTest = read("./exports.test-d.ts");
    for (const name of [...EXPECTED["."].types, ...EXPECTED["./testing"].types]) {
      expect(typeTest, name).toMatch(new RegExp(`expectTypeOf<${name}\\b`));
    }
  });
});
