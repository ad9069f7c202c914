// @payauth/generate's programmatic API; the command line is `payauth-generate` (src/cli.js).
export { checkSpec, emitOperationScopes, FILES, generateSpec, header, refusal, renderSpec } from "./generate.js";
export { SpecError } from "./json-schema.js";
