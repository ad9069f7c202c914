import type { HttpHandler } from "msw";
import type { FakeFault, FakeRoute, FakeStats } from "./create-fake-authority.js";
import type { FakeServer, ServeOptions } from "./serve-handlers.js";

/** What every provider's fake (`@payauth/<provider>/testing`) offers. */
export interface ProviderFake<Code extends string = string> {
  /** msw handlers: use with `setupServer(...handlers)`, `createHandlersFetch(handlers)` or `serve()`. */
  readonly handlers: HttpHandler[];
  readonly stats: Readonly<FakeStats>;
  /** Revokes one token, or every token issued so far: the API then refuses it with 401. */
  revokeToken(accessToken?: string): void;
  /** Rotates a client's secret: from now on only `clientSecret` is accepted for `clientId` (tokens already issued stay valid until revoked). */
  rotateSecret(clientId: string, clientSecret: string): void;
  /** Answers the next `times` (default 1) requests to the token endpoint or the API with `fault`. */
  failNext(route: FakeRoute, fault: FakeFault<Code>, times?: number): void;
  /** Serves the handlers over real HTTP on loopback. */
  serve(options?: ServeOptions): Promise<FakeServer>;
  /** Forgets tokens, faults and counts. */
  reset(): void;
}
