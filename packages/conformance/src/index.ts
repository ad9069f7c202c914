export { describeConformance, type ConformanceClientOptions, type ConformancePaths, type ConformanceTarget, type TokenErrorCase } from "./describe-conformance.js";
export { describeRequireToken, type GuardedRouteClient, type Refusal, type RequireTokenTarget } from "./describe-require-token.js";
export { describeExports, type ExportList, type ExportsTarget } from "./describe-exports.js";
export { describeOptionBounds, type AnyOptions, type OptionBoundsTarget } from "./describe-option-bounds.js";
export { SHARED_EXPORTS } from "./shared-exports.js";
