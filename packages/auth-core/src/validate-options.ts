import type { OperationScopes, RetryOptions } from "./types.js";

/** Thrown by a client factory when an option is missing or malformed. `option` names it. */
export class InvalidOptionError extends TypeError {
  override readonly name = "InvalidOptionError";
  readonly option: string;
  constructor(provider: string, option: string, problem: string) {
    super(`@payauth/${provider}: option \`${option}\` ${problem}`);
    this.option = option;
  }
}

export function requireString(provider: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InvalidOptionError(provider, option, "must be a non-empty string");
  }
  if (value !== value.trim()) throw new InvalidOptionError(provider, option, "must not start or end with white space");
  return value;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export function requireHttpUrl(provider: string, option: string, value: unknown, allowInsecureHttp = false): URL {
  if (typeof value !== "string" || value === "") throw new InvalidOptionError(provider, option, "must be an absolute http(s) URL");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionError(provider, option, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidOptionError(provider, option, "must be an absolute http(s) URL");
  }
  if (url.username !== "" || url.password !== "") throw new InvalidOptionError(provider, option, "must not carry credentials");
  if (url.protocol === "http:" && !allowInsecureHttp && !LOOPBACK_HOST.test(url.hostname)) {
    throw new InvalidOptionError(provider, option, "uses http:// for a host that is not loopback: secrets and tokens would cross the network in clear. Use https://, or set allowInsecureHttp: true");
  }
  return url;
}

/** An array of non-empty strings without white space. */
const isScopeList = (value: unknown): value is string[] => Array.isArray(value) && value.every((s) => typeof s === "string" && /^\S+$/.test(s));

export function requireScopes(provider: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!isScopeList(value)) {
    throw new InvalidOptionError(provider, "scopes", "must be an array of scopes without white space");
  }
  return [...new Set(value as string[])];
}

export function optionalNumber(provider: string, option: string, value: unknown, check: { min: number; exclusive?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const ok = typeof value === "number" && Number.isFinite(value) && (check.exclusive === true ? value > check.min : value >= check.min);
  if (!ok) throw new InvalidOptionError(provider, option, `must be a finite number ${check.exclusive === true ? ">" : ">="} ${check.min}`);
  return value;
}

export function requireRetry(provider: string, value: unknown): RetryOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) throw new InvalidOptionError(provider, "retry", "must be an object");
  const retry = value as RetryOptions;
  const maxAttempts = optionalNumber(provider, "retry.maxAttempts", retry.maxAttempts, { min: 1 });
  if (maxAttempts !== undefined && !Number.isInteger(maxAttempts)) throw new InvalidOptionError(provider, "retry.maxAttempts", "must be a whole number >= 1");
  return {
    maxAttempts,
    baseDelayMs: optionalNumber(provider, "retry.baseDelayMs", retry.baseDelayMs, { min: 0 }),
    maxDelayMs: optionalNumber(provider, "retry.maxDelayMs", retry.maxDelayMs, { min: 0 }),
    maxElapsedMs: optionalNumber(provider, "retry.maxElapsedMs", retry.maxElapsedMs, { min: 0 }),
  };
}

/** `false`, `undefined`, or an object whose two fields are numbers > 0. */
export function requireLimit<K extends string>(provider: string, option: string, value: unknown, fields: readonly [K, K]): Record<K, number> | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value !== "object" || value === null) throw new InvalidOptionError(provider, option, `must be false or { ${fields.join(", ")} }`);
  const out = {} as Record<K, number>;
  for (const field of fields) {
    const n = optionalNumber(provider, `${option}.${field}`, (value as Record<string, unknown>)[field], { min: 0, exclusive: true });
    if (n === undefined) throw new InvalidOptionError(provider, `${option}.${field}`, "is required");
    out[field] = n;
  }
  return out;
}

const OPERATION_KEY = /^[A-Z]+ \/\S*$/;

/**
 * `undefined`, or a copy of an `OperationScopes` map: keys `<METHOD> <path>` (the method
 * upper-case, the path as the spec writes it), values lists of scope sets (an `undefined` value
 * is left out).
 */
export function requireOperationScopes(provider: string, value: unknown): OperationScopes | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, string[][]> = {};
  const entries: [string, unknown][] = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : [["", value]];
  for (const [key, sets] of entries) {
    if (sets === undefined) continue;
    if (!OPERATION_KEY.test(key) || !Array.isArray(sets) || !sets.every(isScopeList)) {
      throw new InvalidOptionError(provider, "operationScopes", `must map "<METHOD> <path>" to scope sets, e.g. { "GET /a/{id}": [["a:read"]] }${key && `, not ${JSON.stringify(key)}`}`);
    }
    out[key] = sets.map((set: string[]) => [...set]);
  }
  return out;
}
