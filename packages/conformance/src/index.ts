export { describeConformance, type ConformanceClientOptions, type ConformancePaths, type ConformanceTarget, type TokenErrorCase } from "./describe-conformance.js";
