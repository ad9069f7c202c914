import type { HttpHandler } from "msw";
import type { FakeAuthority } from "./create-fake-authority.js";
import { guardHandler, rfc6750Refusal, type TokenGuardOptions } from "./create-token-guard.js";
import { serveHandlers } from "./serve-handlers.js";
import type { ProviderFake } from "./types.js";

/**
 * A provider's fake from its handlers and the authority behind them: the knobs every fake shares.
 * `guard` says how the provider's API refuses a token, for `requireToken`; by default as RFC 6750
 * does (401 `invalid_token`, 403 `insufficient_scope`, with `WWW-Authenticate`).
 */
export function toProviderFake<Code extends string, Scope extends string = string>(
  handlers: HttpHandler[],
  authority: FakeAuthority<Code>,
  guard: TokenGuardOptions<Code> = { refuse: rfc6750Refusal, renderCode: (_status, code) => ({ error: code }) },
): ProviderFake<Code, Scope> {
  return {
    handlers,
    stats: authority.stats,
    revokeToken: authority.revokeToken,
    rotateSecret: authority.rotateSecret,
    failNext: authority.failNext,
    requireToken: (handler, options) => guardHandler(authority, guard, handler, options),
    serve: (options) => serveHandlers(handlers, options),
    reset: authority.reset,
  };
}
