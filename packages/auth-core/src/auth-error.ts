/**
 * The one error type every @payauth package throws for auth failures.
 * `code` is a closed union: switch on it exhaustively.
 */
export const AUTH_ERROR_CODES = [
  "invalid-credentials",
  "insufficient-scope",
  "token-expired",
  "invalid-token",
  "rate-limited",
  "invalid-request",
  "server-error",
  "network-error",
  "timeout",
  "invalid-response",
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export interface AuthErrorInit {
  code: AuthErrorCode;
  /** Short provider id, e.g. `maxpay`. Messages are prefixed with `@payauth/<provider>: `. */
  provider: string;
  message: string;
  status?: number | undefined;
  /** The provider's own error code, e.g. `rate-limit-exceeded`. */
  providerCode?: string | undefined;
  /** How long the provider asked us to wait (from `Retry-After`), in milliseconds. */
  retryAfterMs?: number | undefined;
  /** Provider-specific, display-safe details (never secrets). */
  details?: Readonly<Record<string, unknown>> | undefined;
  /** Must already be redacted: see `redactError()`. */
  cause?: unknown;
}

const BRAND = Symbol.for("@payauth/auth-core/AuthError");

export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly code: AuthErrorCode;
  readonly provider: string;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** Token requests sent for the acquisition that failed, retries included (set by the token manager). */
  declare readonly attempts?: number;
  /** Milliseconds the failed acquisition took, its retries and waits included (set by the token manager). */
  declare readonly elapsedMs?: number;

  constructor(init: AuthErrorInit) {
    super(`@payauth/${init.provider}: ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.provider = init.provider;
    this.status = init.status;
    this.providerCode = init.providerCode;
    this.retryAfterMs = init.retryAfterMs;
    this.details = init.details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      status: this.status,
      providerCode: this.providerCode,
      retryAfterMs: this.retryAfterMs,
      details: this.details,
      attempts: this.attempts,
      elapsedMs: this.elapsedMs,
      causeCodes: causeCodes(this.cause),
    };
  }
}

/**
 * The codes along `error`'s cause chain (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`,
 * `CERT_HAS_EXPIRED`…), outermost first, each once: code-like strings only, never a message.
 */
export function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === "string" && /^[A-Z][A-Z\d_]+$/.test(code) && !codes.includes(code)) codes.push(code);
  }
  return codes;
}

/**
 * Records on a failed acquisition's error how many token requests it sent and how long it took;
 * a timeout's or network error's message says so too (`… (3 attempts in 30.5 s)`). V8 formats
 * `stack` when it is first read, so a stack read later shows the new message.
 */
export function noteAcquisition(error: unknown, attempts: number, ms: number): void {
  if (isAuthError(error) && !error.attempts) {
    Object.assign(error, { attempts, elapsedMs: Math.round(ms) });
    if (/^(timeout|network-error)$/.test(error.code)) error.message += ` (${attempts} attempt${attempts > 1 ? "s" : ""} in ${(ms / 1e3).toFixed(1)} s)`;
  }
}

/**
 * True when `error` is an `AuthError` (also one from another copy of this package),
 * and, when `code` is given, has that code.
 */
export function isAuthError(error: unknown): error is AuthError;
export function isAuthError<C extends AuthErrorCode>(error: unknown, code: C): error is AuthError & { readonly code: C };
export function isAuthError(error: unknown, code?: AuthErrorCode): boolean {
  if (typeof error !== "object" || error === null) return false;
  if (!(error instanceof AuthError) && (error as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (error as AuthError).code === code;
}
