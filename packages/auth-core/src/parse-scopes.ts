/** A space-separated OAuth `scope` string as a list (empty for absent or blank). */
export function parseScopes(scope: unknown): string[] {
  return typeof scope === "string" ? scope.split(/\s+/).filter((s) => s !== "") : [];
}
