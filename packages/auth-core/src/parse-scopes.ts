/**
 * A space-separated OAuth `scope` string as a list. `undefined` when the response has no
 * `scope` (then the requested scopes were granted, RFC 6749 §5.1).
 */
export function parseScopes(scope: unknown): string[] | undefined {
  return typeof scope === "string" ? scope.split(/\s+/).filter((s) => s !== "") : undefined;
}
