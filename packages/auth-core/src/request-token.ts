import { AuthError, causeCodes, type AuthErrorCode } from "./auth-error.js";
import { parseRetryAfter } from "./parse-retry-after.js";
import { readCappedText } from "./read-capped-text.js";
import { redact, redactError, redactJson } from "./redact.js";
import { statusToCode } from "./status-to-code.js";
import { untilAborted } from "./until-aborted.js";
import type { Clock, FetchLike, TokenGrant } from "./types.js";

/** The default time limit of one token request. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Token bodies larger than this are refused as `invalid-response`, without reading the rest. */
const MAX_BODY_BYTES = 64 * 1024;

/** What a provider's error body means, as its mapping sees it. */
export interface MappedError {
  code: AuthErrorCode;
  providerCode?: string | undefined;
  /** A human message from the provider; it is redacted and shortened before use. */
  message?: string | undefined;
  details?: Readonly<Record<string, unknown>> | undefined;
}

export interface ErrorContext {
  status: number;
  /** The parsed JSON body, or `undefined` when it was empty or not JSON. */
  body: unknown;
  headers: Headers;
}

export interface TokenEndpointRequest {
  url: string;
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Sent as JSON, or with `encoding: "form"` as `application/x-www-form-urlencoded` (RFC 6749
   * §4.4.2): each value as a string, an array as the field repeated, `undefined` left out.
   */
  body: Readonly<Record<string, unknown>>;
  /** `"json"` (the default) or `"form"`. */
  encoding?: "json" | "form" | undefined;
}

export interface RequestTokenOptions {
  provider: string;
  fetch: FetchLike;
  request: TokenEndpointRequest;
  /** Values that must never appear in an error: the client secret, and the token once known. */
  secrets: readonly string[];
  /** Turns a 2xx JSON body into a grant, or says why it is an error (e.g. `success: false`). */
  parseGrant: (body: unknown) => TokenGrant | MappedError;
  /** Maps an error body to a code; `undefined` falls back to the HTTP status. */
  mapError: (context: ErrorContext) => MappedError | undefined;
  timeoutMs?: number | undefined;
  clock?: Clock | undefined;
}

function isMappedError(value: TokenGrant | MappedError): value is MappedError {
  return "code" in value;
}

function describe(message: string | undefined, secrets: readonly string[]): string {
  if (message === undefined || message.trim() === "") return "";
  // Redacted again once white space is collapsed (a secret with a newline would survive the
  // first pass in its collapsed form); only the first 1,000 characters are looked at.
  const clean = redact(redact(message.slice(0, 1000), secrets).replace(/\s+/g, " ").trim(), secrets);
  return `: ${clean.length > 200 ? `${clean.slice(0, 200)}…` : clean}`;
}

/** Whether `value` can go into an `Authorization` header as it is. */
function isHeaderSafe(value: string): boolean {
  return value.length > 0 && /^[\x21-\x7e]+$/.test(value);
}

/** `body` as `application/x-www-form-urlencoded`: arrays repeat their field, `undefined` is left out. */
function formBody(body: Readonly<Record<string, unknown>>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined) form.append(name, String(item));
  }
  return form.toString();
}

/**
 * Performs one token request: POSTs JSON (or a form), enforces a timeout, and turns every outcome into
 * either a validated `TokenGrant` or an `AuthError` with no secret in it. This is where
 * token-endpoint errors are mapped.
 */
export async function requestToken(options: RequestTokenOptions): Promise<TokenGrant> {
  const { provider, secrets } = options;
  const clock = options.clock ?? Date;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fail = (code: AuthErrorCode, message: string, extra: Partial<Omit<ConstructorParameters<typeof AuthError>[0], "code" | "provider" | "message">> = {}) =>
    new AuthError({ code, provider, message, ...extra });

  const signal = AbortSignal.timeout(timeoutMs);
  const form = options.request.encoding === "form";
  const init: RequestInit = {
    method: "POST",
    headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json", accept: "application/json", ...options.request.headers },
    body: form ? formBody(options.request.body) : JSON.stringify(options.request.body),
    signal,
  };
  // Redirects are never followed. fetch refuses them itself with "error" (on Node, "manual" would
  // also keep the socket of an aborted, stalled request busy for the next one). Cloudflare Workers
  // refuse "error": there "manual", and a 3xx is refused below as fetch would (network-error).
  let request: Request;
  try {
    request = new Request(options.request.url, { ...init, redirect: "error" });
  } catch {
    request = new Request(options.request.url, { ...init, redirect: "manual" });
  }

  let response: Response;
  let text: string | null | undefined; // null: a redirect
  try {
    // Raced against the signal too, so a `fetch` that ignores `request.signal` cannot hang us.
    [response, text] = await untilAborted(
      (async () => {
        const res = await options.fetch(request);
        // A redirect (a 3xx, or a browser's opaque one): its body is not read.
        if (res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400)) {
          void res.body?.cancel().catch(() => {});
          return [res, null] as const;
        }
        // Stops at the cap, and cancels the body when the signal aborts (a stalled body).
        return [res, await readCappedText(res, MAX_BODY_BYTES, signal)] as const;
      })(),
      signal,
    );
  } catch (error) {
    // The host only (never the path, the query or userinfo), and the low-level codes of the cause chain.
    const cause = redactError(error, secrets);
    const codes = causeCodes(cause).join(", ");
    const to = `token request to ${new URL(request.url).host}`;
    if (signal.aborted) throw fail("timeout", `${to} timed out after ${timeoutMs} ms${codes && ` (${codes})`}`, { cause });
    throw fail("network-error", `${to} failed before a response arrived${codes && `: ${codes}`}`, { cause });
  }

  let body: unknown;
  if (text === null) {
    throw fail("network-error", `token endpoint redirected (HTTP ${response.status}): not followed`, { status: response.status });
  }
  if (text === undefined) {
    throw fail("invalid-response", `token endpoint answered HTTP ${response.status} with a body over ${MAX_BODY_BYTES} bytes`, { status: response.status });
  }
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }

  if (!response.ok) {
    const mapped = options.mapError({ status: response.status, body, headers: response.headers });
    const code = mapped?.code ?? statusToCode(response.status, "token");
    const providerCode = mapped?.providerCode === undefined ? undefined : redact(mapped.providerCode, secrets);
    throw fail(code, `token request failed with HTTP ${response.status}${providerCode === undefined ? "" : ` (${providerCode})`}${describe(mapped?.message, secrets)}`, {
      status: response.status,
      providerCode,
      retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), clock.now()),
      details: redactJson(mapped?.details, secrets),
    });
  }

  if (body === undefined) {
    throw fail("invalid-response", `token endpoint answered HTTP ${response.status} without a JSON body`, { status: response.status });
  }
  const parsed = options.parseGrant(body);
  if (isMappedError(parsed)) {
    const providerCode = parsed.providerCode === undefined ? undefined : redact(parsed.providerCode, secrets);
    throw fail(parsed.code, `token request was refused${providerCode === undefined ? "" : ` (${providerCode})`}${describe(parsed.message, secrets)}`, {
      status: response.status,
      providerCode,
      details: redactJson(parsed.details, secrets),
    });
  }
  if (!isHeaderSafe(parsed.accessToken)) {
    throw fail("invalid-response", "token response has an access token that cannot be sent in a header", { status: response.status });
  }
  if (!Number.isFinite(parsed.expiresInSeconds) || parsed.expiresInSeconds <= 0) {
    throw fail("invalid-response", "token response has no positive lifetime", { status: response.status });
  }
  return parsed;
}
