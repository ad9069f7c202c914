import type { HttpHandler } from "msw";
import type { FakeFault, FakeRoute, FakeStats } from "./create-fake-authority.js";
import type { FakeServer, ServeOptions } from "./serve-handlers.js";

/**
 * What every provider's fake (`@payauth/<provider>/testing`) offers. `Scope` types the scopes
 * `requireToken` can ask for (the provider's scope union, and `CustomScope` for others).
 */
export interface ProviderFake<Code extends string = string, Scope extends string = string> {
  /** msw handlers: use with `setupServer(...handlers)`, `createHandlersFetch(handlers)` or `serve()`. */
  readonly handlers: HttpHandler[];
  readonly stats: Readonly<FakeStats>;
  /** Revokes one token, or every token issued so far: the API then refuses it with 401. */
  revokeToken(accessToken?: string): void;
  /** Rotates a client's secret: from now on only `clientSecret` is accepted for `clientId` (tokens already issued stay valid until revoked). */
  rotateSecret(clientId: string, clientSecret: string): void;
  /** Answers the next `times` (default 1) requests to the token endpoint or the API with `fault`. */
  failNext(route: FakeRoute, fault: FakeFault<Code>, times?: number): void;
  /**
   * Puts the fake's token check in front of an msw handler of yours (an API route the fake does
   * not serve): `revokeToken()`, an expired token (on the fake's clock), a token without every
   * one of `scopes` and `failNext("api", …)` then reach your route, refused in the provider's own
   * error format (401 for the token, 403 for a scope). Requests that pass get your handler's
   * answer. Counted in `stats.apiCalls`. Use the result with `createHandlersFetch([...fake.handlers, guarded])`,
   * `setupServer(...)` or `server.use(...)`.
   */
  requireToken(handler: HttpHandler, options?: { scopes?: readonly Scope[] | undefined }): HttpHandler;
  /** Serves the handlers over real HTTP on loopback. */
  serve(options?: ServeOptions): Promise<FakeServer>;
  /** Forgets tokens, faults and counts. */
  reset(): void;
}
