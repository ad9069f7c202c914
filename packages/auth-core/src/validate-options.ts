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

/**
 * An absolute http(s) URL without credentials or fragment (`#…`); with `query: false`, without
 * a query (`?…`) either, as for a base URL that paths are appended to. Messages never echo the
 * URL: its query may hold a key.
 */
export function requireHttpUrl(provider: string, option: string, value: unknown, allowInsecureHttp = false, parts: { query?: boolean } = {}): URL {
  if (typeof value !== "string" || value === "") throw new InvalidOptionError(provider, option, "must be an absolute http(s) URL");
  if (value.includes("#") || (parts.query === false && value.includes("?"))) {
    throw new InvalidOptionError(provider, option, parts.query === false ? "must not have a query or fragment" : "must not have a fragment");
  }
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

/**
 * The longest delay a timer takes (2^31 − 1 ms, about 24.8 days): `setTimeout` and
 * `AbortSignal.timeout` overflow past it and fire at once.
 */
export const MAX_TIMER_MS = 2_147_483_647;

export interface NumberCheck {
  min: number;
  exclusive?: boolean;
  /** A whole number. */
  integer?: boolean;
  /** At most this; a timer's bound (`MAX_TIMER_MS`, in the option's unit). */
  max?: number;
}

/** A count: a whole number >= 1. */
export const COUNT: NumberCheck = { min: 1, integer: true };
/** A duration in ms that feeds a timer or a deadline: >= 0, at most `MAX_TIMER_MS`. */
export const DURATION_MS: NumberCheck = { min: 0, max: MAX_TIMER_MS };

export function optionalNumber(provider: string, option: string, value: unknown, { min, exclusive, integer, max }: NumberCheck): number | undefined {
  if (value === undefined) return undefined;
  const bound = `${exclusive ? ">" : ">="} ${min}`;
  const problem =
    typeof value !== "number" || !Number.isFinite(value) || (exclusive ? value <= min : value < min)
      ? `a finite number ${bound}`
      : integer && !Number.isInteger(value)
        ? `a whole number ${bound}`
        : max !== undefined && value > max
          ? `<= ${max} (a timer's limit)`
          : "";
  if (problem) throw new InvalidOptionError(provider, option, `must be ${problem}`);
  return value as number;
}

export function requireRetry(provider: string, value: unknown): RetryOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) throw new InvalidOptionError(provider, "retry", "must be an object");
  const retry = value as RetryOptions;
  return {
    maxAttempts: optionalNumber(provider, "retry.maxAttempts", retry.maxAttempts, COUNT),
    baseDelayMs: optionalNumber(provider, "retry.baseDelayMs", retry.baseDelayMs, DURATION_MS),
    maxDelayMs: optionalNumber(provider, "retry.maxDelayMs", retry.maxDelayMs, DURATION_MS),
    maxElapsedMs: optionalNumber(provider, "retry.maxElapsedMs", retry.maxElapsedMs, DURATION_MS),
  };
}

/** `false`, `undefined`, or an object whose fields are numbers > 0 that pass their checks. */
export function requireLimit<K extends string>(provider: string, option: string, value: unknown, fields: Readonly<Record<K, NumberCheck>>): Record<K, number> | false | undefined {
  if (value === undefined || value === false) return value;
  const names = Object.keys(fields) as K[];
  if (typeof value !== "object" || value === null) throw new InvalidOptionError(provider, option, `must be false or { ${names.join(", ")} }`);
  const out = {} as Record<K, number>;
  for (const field of names) {
    const n = optionalNumber(provider, `${option}.${field}`, (value as Record<string, unknown>)[field], { ...fields[field], min: 0, exclusive: true });
    if (n === undefined) throw new InvalidOptionError(provider, `${option}.${field}`, "is required");
    out[field] = n;
  }
  return out;
}

/** `undefined`, or a value of `type`: a truthy string such as `"false"` is refused, not guessed at. */
export function optionalType(provider: string, option: string, value: unknown, type: "boolean" | "function"): void {
  if (value !== undefined && typeof value !== type) throw new InvalidOptionError(provider, option, type === "boolean" ? "must be true or false" : "must be a function");
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
