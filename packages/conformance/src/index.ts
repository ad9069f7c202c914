export { describeConformance, type ConformanceClientOptions, type ConformancePaths, type ConformanceTarget, type TokenErrorCase } from "./describe-conformance.js";
export { describeRequireToken, type GuardedRouteClient, type Refusal, type RequireTokenTarget } from "./describe-require-token.js";
