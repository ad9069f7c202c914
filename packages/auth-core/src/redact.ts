export const REDACTED = "[REDACTED]";

/** `n` as hex of `width` digits, each letter matching either case: `%2b` and `%2B` alike. */
const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0").replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
const escape = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/**
 * A regular expression source that matches `secret` in every form it takes on the wire:
 * - as it is;
 * - JSON-escaped, by any encoder: `\"`, `\\`, `\n`, `\/` or `\u0022`, any character as `\u00e9` or `\u00E9`;
 * - percent-encoded, by `encodeURIComponent` or as application/x-www-form-urlencoded: `%C3%A9`
 *   or `%c3%a9`, a space as `%20` or `+`, the characters they leave alone as they are;
 * - inside base64, as in an HTTP Basic header (`base64(id:secret)`, the secret as it is or
 *   form-encoded first, RFC 6749 §2.3.1): the part of the secret's base64 that does not depend on
 *   what precedes or follows it, at each of the three byte alignments, standard and url-safe.
 * Within each form, the alternatives for a character start differently, so that matching never
 * backtracks (a secret of many `\` and a text of many `\` cost linear time, not exponential).
 */
export function secretForms(secret: string): string {
  const utf8 = new TextEncoder();
  let json = "";
  let percent = "";
  for (const ch of secret) {
    // Letters, digits and `-_.` travel as they are in every encoding (most tokens are only these).
    if (/[\w.-]/.test(ch)) {
      json += escape(ch);
      percent += escape(ch);
      continue;
    }
    let unicode = "";
    for (let i = 0; i < ch.length; i++) unicode += `\\\\u${hex(ch.charCodeAt(i), 4)}`;
    let bytes = "";
    for (const byte of utf8.encode(ch)) bytes += `%${hex(byte, 2)}`;
    // As JSON.stringify writes it: itself, or a short escape (`\"`); its `\u` escapes are `unicode`'s.
    const written = JSON.stringify(ch).slice(1, -1);
    json += `(?:${unicode}${written.startsWith("\\u") ? "" : `|${escape(written)}`}${ch === "/" ? "|\\\\/" : ""})`;
    percent += `(?:${bytes}${ch === "%" ? "" : `|${escape(ch)}`}${ch === " " ? "|\\+" : ""})`;
  }
  const form = new URLSearchParams([["", secret]]).toString().slice(1);
  const forms = new Set([escape(secret), json, percent]);
  for (const text of new Set([secret, form, form.replace(/\+/g, "%20")])) {
    let binary = "";
    for (const byte of utf8.encode(text)) binary += String.fromCharCode(byte);
    for (let skip = 0; skip < 3; skip++) {
      // base64 of `skip` bytes then the secret: the characters made of the secret's bits alone.
      const inner = btoa("\0".repeat(skip) + binary).slice(Math.ceil((skip * 4) / 3), Math.floor(((skip + binary.length) * 4) / 3));
      forms.add(escape(inner)).add(escape(inner.replace(/\+/g, "-").replace(/\//g, "_")));
    }
  }
  return [...forms].join("|");
}

/** One pattern for every form of every secret of 4 characters or more, or `undefined` when there is none. */
function matcher(secrets: readonly string[]): RegExp | undefined {
  const sources = secrets.filter((secret) => secret.length >= 4).map(secretForms);
  return sources.length > 0 ? new RegExp(sources.join("|"), "g") : undefined;
}

const scrub = (text: string, pattern: RegExp | undefined): string => (pattern === undefined ? text : text.replace(pattern, REDACTED));

/**
 * Replaces every occurrence of each secret in `text`, in any of the forms `secretForms` lists
 * (JSON-escaped, percent- and form-encoded, base64 as in a Basic header). Secrets shorter than 4
 * characters are left alone.
 */
export function redact(text: string, secrets: readonly string[]): string {
  return scrub(text, matcher(secrets));
}

/**
 * A copy of `error` safe to keep as an `AuthError`'s `cause`: name, message, stack and `code`
 * (e.g. `ECONNREFUSED`) are kept with every secret removed, and so is its own cause chain.
 */
export function redactError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (error === undefined || error === null) return undefined;
  const pattern = matcher(secrets);
  if (!(error instanceof Error)) return new Error(scrub(String(error), pattern));
  const copy = new Error(scrub(error.message, pattern));
  copy.name = scrub(error.name, pattern);
  if (error.stack !== undefined) copy.stack = scrub(error.stack, pattern);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code: scrub(code, pattern) });
  if (typeof code === "number") Object.assign(copy, { code });
  if (error.cause !== undefined && depth < 3) copy.cause = redactError(error.cause, secrets, depth + 1);
  return copy;
}

/** A JSON-safe copy of `value` with every secret removed from its strings (keys included). */
export function redactJson<T>(value: T, secrets: readonly string[]): T {
  if (value === undefined) return value;
  const pattern = matcher(secrets);
  // Each string of the JSON text (a key or a value) is redacted as the string it stands for.
  return JSON.parse(JSON.stringify(value).replace(/"(?:[^"\\]|\\.)*"/g, (string) => JSON.stringify(scrub(JSON.parse(string) as string, pattern)))) as T;
}

/**
 * A store's failure as an event shows it: its own message (ioredis's "Stream isn't writeable and
 * enableOfflineQueue options is false", not "Error"), at most 200 characters, with `secrets`
 * (the tokens and the client secret the manager knows; anything but a string is skipped) and any
 * URL's userinfo redacted.
 */
export function storeMessage(error: unknown, secrets: readonly unknown[]): string {
  const text = redact(String(error instanceof Error ? error.message : error).slice(0, 1000), secrets.filter((s): s is string => typeof s === "string"));
  return text.replace(/\/\/[^@\s/]*@/g, `//${REDACTED}@`).slice(0, 200);
}
