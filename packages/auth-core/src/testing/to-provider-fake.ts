import type { HttpHandler } from "msw";
import type { FakeAuthority } from "./create-fake-authority.js";
import { serveHandlers } from "./serve-handlers.js";
import type { ProviderFake } from "./types.js";

/** A provider's fake from its handlers and the authority behind them: the knobs every fake shares. */
export function toProviderFake<Code extends string>(handlers: HttpHandler[], authority: FakeAuthority<Code>): ProviderFake<Code> {
  return {
    handlers,
    stats: authority.stats,
    revokeToken: authority.revokeToken,
    rotateSecret: authority.rotateSecret,
    failNext: authority.failNext,
    serve: (options) => serveHandlers(handlers, options),
    reset: authority.reset,
  };
}
