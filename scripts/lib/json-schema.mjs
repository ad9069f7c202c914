// Moved to @payauth/generate (packages/generate/src/json-schema.js), the one generator; kept here
// for the scripts and tests that import it from scripts/lib.
export * from "../../packages/generate/src/json-schema.js";
