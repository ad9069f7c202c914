import type { MappedError } from "./request-token.js";
import type { Issue } from "./validators.js";

/**
 * A failed validation of a response (a generated validator's issues) as an `invalid-response`
 * error. Only paths and expectations are described, never the values received (they may hold
 * a token).
 */
export function invalidResponse(what: string, issues: readonly Issue[]): MappedError {
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.path.length === 0 ? "(body)" : issue.path.map(String).join(".");
    return `${path}: ${issue.code}${issue.expected === undefined ? "" : ` (expected ${issue.expected})`}`;
  });
  return { code: "invalid-response", message: `${what} does not match the spec: ${parts.join("; ")}` };
}
