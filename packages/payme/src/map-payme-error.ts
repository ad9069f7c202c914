import { OAUTH_ERROR_CODES, statusToCode, type AuthErrorCode, type ErrorContext, type MappedError } from "@payauth/auth-core";
import { LocalizedMessageSchema, MessageErrorSchema, OAuthErrorSchema } from "./generated/schemas.gen.js";
import type { PayMeErrorDetails, PayMeLocalizedMessage } from "./types.js";

/** What the `authorization.meta.status` block of a Pay-me body says. */
export interface PayMeStatus {
  /** Pay-me's status code (`"00"`: token created; no other code is documented). */
  code: string | undefined;
  /** The `message_ilgn` entries that have a `locale` and a `value`. */
  messages: PayMeLocalizedMessage[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads `authorization.meta.status` from a Pay-me body, tolerantly: a malformed
 * `message_ilgn` entry is skipped and a numeric code is kept as text. `undefined` when the
 * body has no status block.
 */
export function readPayMeStatus(body: unknown): PayMeStatus | undefined {
  if (!isRecord(body) || !isRecord(body.authorization)) return undefined;
  const meta = body.authorization.meta;
  const status = isRecord(meta) ? meta.status : undefined;
  if (!isRecord(status)) return undefined;
  const rawCode = status.code;
  const code = typeof rawCode === "string" && rawCode.trim() !== "" ? rawCode : typeof rawCode === "number" && Number.isFinite(rawCode) ? String(rawCode) : undefined;
  const messages = Array.isArray(status.message_ilgn)
    ? status.message_ilgn.flatMap((entry: unknown) => {
        const parsed = LocalizedMessageSchema.safeParse(entry);
        return parsed.success ? [{ locale: parsed.data.locale, value: parsed.data.value }] : [];
      })
    : [];
  return { code, messages };
}

/** The `AuthError` code of a known RFC 6749 `error`, if it is one. */
function oauthCode(error: string | undefined): AuthErrorCode | undefined {
  return error !== undefined && Object.hasOwn(OAUTH_ERROR_CODES, error) ? OAUTH_ERROR_CODES[error] : undefined;
}

interface BodyFacts {
  /** Whether the body had any shape we understand. */
  understood: boolean;
  providerCode: string | undefined;
  oauthError: string | undefined;
  message: string | undefined;
  details: PayMeErrorDetails | undefined;
}

/** What any of the understood shapes (Pay-me status block, OAuth error, `{ message }`) says. */
function readBody(body: unknown): BodyFacts {
  const status = readPayMeStatus(body);
  const oauth = OAuthErrorSchema.safeParse(body);
  const plain = MessageErrorSchema.safeParse(body);
  const oauthError = oauth.success ? oauth.data.error : undefined;
  const messages = status?.messages ?? [];
  const message =
    messages.length > 0
      ? messages.map((m) => m.value).join(" / ")
      : ((oauth.success ? oauth.data.error_description : undefined) ?? (plain.success ? plain.data.message : undefined));
  return {
    understood: status !== undefined || oauth.success || plain.success,
    providerCode: status?.code ?? oauthError,
    oauthError,
    message,
    details: messages.length > 0 ? { messages } : undefined,
  };
}

/**
 * Maps a Pay-me error body (HTTP 4xx/5xx) to an `AuthError` code. Pay-me documents no error
 * body, so three shapes are understood: its own status block (`authorization.meta.status`,
 * whose `code` becomes `providerCode` and whose `message_ilgn` texts become the message and
 * `details.messages`), an OAuth `{ error, error_description }`, and `{ message }`.
 *
 * 401 and 403 mean what Pay-me documents whatever the body says (token endpoint: 401
 * `invalid-credentials`; API: 401 `invalid-token`; 403 `insufficient-scope`). Other statuses
 * take a known OAuth `error` code, else the HTTP status decides. `undefined` when the body is
 * missing, not JSON or none of these shapes (then the HTTP status decides).
 */
export function mapPayMeError(context: ErrorContext, endpoint: "token" | "api" = "token"): MappedError | undefined {
  const facts = readBody(context.body);
  if (!facts.understood) return undefined;
  const fallback = statusToCode(context.status, endpoint);
  const documented = context.status === 401 || context.status === 403;
  return {
    code: documented ? fallback : (oauthCode(facts.oauthError) ?? fallback),
    providerCode: facts.providerCode,
    message: facts.message,
    details: facts.details,
  };
}

/**
 * Maps a 200 answer with `success: false` (documented as a failure) to an `AuthError`:
 * `invalid-request`, unless the body carries a known OAuth `error` code (e.g. `invalid_client`
 * → `invalid-credentials`). `providerCode` is `authorization.meta.status.code` when present
 * (else the OAuth `error`); the `message_ilgn` texts are kept in `details.messages`.
 */
export function mapPayMeRefusal(body: unknown): MappedError {
  const facts = readBody(body);
  return {
    code: oauthCode(facts.oauthError) ?? "invalid-request",
    providerCode: facts.providerCode,
    message: facts.message ?? "Pay-me answered success: false",
    details: facts.details,
  };
}
