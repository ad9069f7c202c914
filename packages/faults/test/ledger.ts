import { inspect } from "node:util";
import { AUTH_ERROR_CODES, isAuthError, type AuthErrorCode } from "@payauth/auth-core";

/** One row of the fault-injection report. */
export interface LedgerRow {
  provider: string;
  scenario: string;
  faults: number;
  calls: number;
  succeeded: number;
  typed: Partial<Record<AuthErrorCode, number>>;
  untyped: number;
  secretsSeen: number;
  tokenRequests: number;
  minimumTokenRequests: number;
}

const rows: LedgerRow[] = [];

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const forms = new Map<string, readonly string[]>();

/**
 * Every form `secret` can take on the wire, computed here independently of auth-core's redaction:
 * as it is, JSON-escaped, form-urlencoded (URLSearchParams: a space as `+`), percent-encoded
 * (encodeURIComponent) with upper- or lower-case hex, and base64 as in an HTTP Basic header: the
 * part of base64(x + s) made of s's bits alone, for x of 0, 1 and 2 bytes and s the secret as it is
 * or form-encoded first (RFC 6749 §2.3.1), in the standard and url-safe alphabets.
 */
export function wireForms(secret: string): readonly string[] {
  let found = forms.get(secret);
  if (found === undefined) {
    const form = new URLSearchParams([["", secret]]).toString().slice(1);
    const percent = encodeURIComponent(secret);
    const out = new Set([secret, JSON.stringify(secret).slice(1, -1), form, lowerHex(form), percent, lowerHex(percent)]);
    for (const s of [secret, form]) {
      const bytes = Buffer.from(s);
      for (let k = 0; k < 3; k++) {
        const all = Buffer.concat([Buffer.alloc(k), bytes]);
        const [from, to] = [Math.ceil((k * 4) / 3), Math.floor(((k + bytes.length) * 4) / 3)];
        out.add(all.toString("base64").slice(from, to));
        out.add(all.toString("base64url").slice(from, to));
      }
    }
    found = [...out];
    forms.set(secret, found);
  }
  return found;
}

/** Every string in `value`, keys included (an error's `details` as a logger may print them one by one). */
function strings(value: unknown, depth = 0): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null || depth > 10) return [];
  return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item, depth + 1)]);
}

/** Every way an outcome can be printed or logged. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true })];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // circular: inspect covers it
  }
  if (value instanceof Error) {
    out.push(String(value), value.message, value.stack ?? "", ...strings((value as { details?: unknown }).details));
    let cause: unknown = value.cause;
    for (let depth = 0; cause !== undefined && depth < 5; depth++) {
      out.push(inspect(cause, { depth: 10, showHidden: true }));
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return out;
}

export class Tally {
  readonly row: LedgerRow;
  constructor(provider: string, scenario: string, private readonly secrets: () => readonly string[]) {
    this.row = { provider, scenario, faults: 0, calls: 0, succeeded: 0, typed: {}, untyped: 0, secretsSeen: 0, tokenRequests: 0, minimumTokenRequests: 0 };
    rows.push(this.row);
  }

  /** Looks for every secret, in every form it takes on the wire, in everything that could be printed about `value`. */
  scan(value: unknown): void {
    const texts = renderings(value);
    for (const secret of this.secrets()) if (wireForms(secret).some((form) => texts.some((t) => t.includes(form)))) this.row.secretsSeen++;
  }

  /** Runs one call and files its outcome: success, a typed AuthError by code, or anything else. */
  async call<T>(run: () => Promise<T>, succeeded: (value: T) => boolean = () => true): Promise<T | undefined> {
    this.row.calls++;
    try {
      const value = await run();
      this.scan(value);
      if (succeeded(value)) this.row.succeeded++;
      else this.row.untyped++;
      return value;
    } catch (error) {
      this.scan(error);
      if (isAuthError(error) && AUTH_ERROR_CODES.includes(error.code)) this.row.typed[error.code] = (this.row.typed[error.code] ?? 0) + 1;
      else this.row.untyped++;
      return undefined;
    }
  }
}

export function ledgerRows(): readonly LedgerRow[] {
  return rows;
}

/** The report as a Markdown table, one row per provider and scenario, plus totals. */
export function renderLedger(): string {
  const head = "| provider | scenario | faults injected | calls | succeeded | typed errors by code | untyped errors | secrets seen | token requests / minimum |";
  const lines = [head, "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"];
  const total = { faults: 0, calls: 0, succeeded: 0, untyped: 0, secretsSeen: 0, tokenRequests: 0, minimum: 0, typed: 0 };
  for (const r of rows) {
    const typed = Object.entries(r.typed).map(([code, n]) => `${code} ${n}`).join(", ") || "none";
    lines.push(`| ${r.provider} | ${r.scenario} | ${r.faults} | ${r.calls} | ${r.succeeded} | ${typed} | ${r.untyped} | ${r.secretsSeen} | ${r.tokenRequests} / ${r.minimumTokenRequests} |`);
    total.faults += r.faults;
    total.calls += r.calls;
    total.succeeded += r.succeeded;
    total.untyped += r.untyped;
    total.secretsSeen += r.secretsSeen;
    total.tokenRequests += r.tokenRequests;
    total.minimum += r.minimumTokenRequests;
    total.typed += Object.values(r.typed).reduce((a, b) => a + (b ?? 0), 0);
  }
  lines.push(`| **all** | | ${total.faults} | ${total.calls} | ${total.succeeded} | ${total.typed} typed | ${total.untyped} | ${total.secretsSeen} | ${total.tokenRequests} / ${total.minimum} |`);
  return lines.join("\n");
}
