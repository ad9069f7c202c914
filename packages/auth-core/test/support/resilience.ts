import { vi } from "vitest";
import { AuthError, type AuthErrorCode } from "../../src/auth-error.js";
import { createTokenManager, type TokenManagerOptions } from "../../src/create-token-manager.js";
import { createManualClock, type ManualClock } from "../../src/testing/create-manual-clock.js";
import type { AuthEvent, TokenGrant } from "../../src/types.js";

export const KEY = "payauth:acme:resilience";
export const SECOND = 1000;

/** The usual HTTP status of each code, so a constructed error looks like one `requestToken` makes. */
const STATUS: Partial<Record<AuthErrorCode, number>> = {
  "invalid-credentials": 401,
  "insufficient-scope": 403,
  "invalid-request": 400,
  "rate-limited": 429,
  "server-error": 500,
  timeout: 408,
};

/** An `AuthError` from provider `acme` with `code` (and the status that usually goes with it). */
export function authError(code: AuthErrorCode, extra: { status?: number; retryAfterMs?: number; message?: string } = {}): AuthError {
  return new AuthError({
    code,
    provider: "acme",
    message: extra.message ?? `failed with ${code}`,
    status: extra.status ?? STATUS[code],
    retryAfterMs: extra.retryAfterMs,
  });
}

/** One outcome of a scripted token request: `"ok"` grants `token-<call number>`, anything else is thrown. */
export type Outcome = "ok" | Error;

/**
 * A `requestToken` stub that plays `script` call by call (the n-th call, 1-based, grants `token-n`
 * on `"ok"`); once the script is used up it keeps playing `then` (default `"ok"`).
 * `setThen` changes what comes after the script, e.g. to make renewals fail from some point on.
 */
export function scripted(script: readonly Outcome[] = [], options: { then?: Outcome; lifetimeSeconds?: number; onCall?: (n: number) => void } = {}) {
  let calls = 0;
  let then: Outcome = options.then ?? "ok";
  const requestToken = vi.fn(async (): Promise<TokenGrant> => {
    calls += 1;
    options.onCall?.(calls);
    const outcome = script[calls - 1] ?? then;
    if (outcome !== "ok") throw outcome;
    return { accessToken: `token-${calls}`, expiresInSeconds: options.lifetimeSeconds ?? 3600, scopes: [] };
  });
  return Object.assign(requestToken, {
    setThen(next: Outcome) {
      then = next;
    },
  });
}

/** An `onEvent` that records every event. */
export function recorder() {
  const events: AuthEvent[] = [];
  return {
    events,
    onEvent: (event: AuthEvent) => {
      events.push(event);
    },
    of<T extends AuthEvent["type"]>(type: T): Extract<AuthEvent, { type: T }>[] {
      return events.filter((e): e is Extract<AuthEvent, { type: T }> => e.type === type);
    },
  };
}

/**
 * A token manager on a manual clock with events recorded. Unless overridden: provider `acme`,
 * jitter `random = () => 0.5`, no request limit and no circuit breaker (so that each test turns on
 * only what it is about).
 */
export function setup(requestToken: TokenManagerOptions["requestToken"], extra: Partial<Omit<TokenManagerOptions, "requestToken">> & { clock?: ManualClock } = {}) {
  const clock = extra.clock ?? createManualClock();
  const log = recorder();
  const auth = createTokenManager({
    provider: "acme",
    cacheKey: KEY,
    random: () => 0.5,
    tokenRequestLimit: false,
    circuitBreaker: false,
    onEvent: log.onEvent,
    ...extra,
    requestToken,
    clock,
  });
  return { auth, clock, ...log };
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** The rejection of `promise`, checked to be an `AuthError` with `code`. */
export async function authRejection(promise: Promise<unknown>, code: AuthErrorCode): Promise<AuthError> {
  const error = await rejection(promise);
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  if (error.code !== code) throw new Error(`expected code ${code}, got ${error.code} (${error.message})`);
  return error;
}

/** Lets every queued promise callback run (a macrotask boundary; no time passes on any clock). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A `requestToken` that stays pending until released, so that concurrent callers pile up. */
export function gated() {
  const pending: Array<{ resolve: (grant: TokenGrant) => void; reject: (error: unknown) => void }> = [];
  const requestToken = vi.fn(
    () =>
      new Promise<TokenGrant>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  );
  return {
    requestToken,
    release(index: number, accessToken: string, expiresInSeconds = 3600) {
      pending[index]?.resolve({ accessToken, expiresInSeconds, scopes: [] });
    },
    reject(index: number, error: unknown) {
      pending[index]?.reject(error);
    },
  };
}
