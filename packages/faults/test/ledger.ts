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

/** Every way an outcome can be printed or logged. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true })];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // circular: inspect covers it
  }
  if (value instanceof Error) {
    out.push(String(value), value.message, value.stack ?? "");
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

  /** Looks for every secret in everything that could be printed about `value`. */
  scan(value: unknown): void {
    const texts = renderings(value);
    for (const secret of this.secrets()) if (texts.some((t) => t.includes(secret))) this.row.secretsSeen++;
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
