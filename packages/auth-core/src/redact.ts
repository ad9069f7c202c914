export const REDACTED = "[REDACTED]";

/** Replaces every occurrence of each secret in `text`. Secrets shorter than 4 characters are left alone. */
export function redact(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * A copy of `error` safe to keep as an `AuthError`'s `cause`: name, message, stack and `code`
 * (e.g. `ECONNREFUSED`) are kept with every secret removed, and so is its own cause chain.
 */
export function redactError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (error === undefined || error === null) return undefined;
  if (!(error instanceof Error)) return new Error(redact(String(error), secrets));
  const copy = new Error(redact(error.message, secrets));
  copy.name = redact(error.name, secrets);
  if (error.stack !== undefined) copy.stack = redact(error.stack, secrets);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code: redact(code, secrets) });
  if (typeof code === "number") Object.assign(copy, { code });
  if (error.cause !== undefined && depth < 3) copy.cause = redactError(error.cause, secrets, depth + 1);
  return copy;
}

/** A JSON-safe copy of `value` with every secret removed from its strings (keys included). */
export function redactJson<T>(value: T, secrets: readonly string[]): T {
  if (value === undefined) return value;
  return JSON.parse(redact(JSON.stringify(value), secrets.map((s) => JSON.stringify(s).slice(1, -1)))) as T;
}
