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

export function requireHttpUrl(provider: string, option: string, value: unknown): URL {
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
  return url;
}

export function requireScopes(provider: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === "string" && /^\S+$/.test(s))) {
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
