export { authenticateClient, type AuthenticateClientOptions, type ClientCheck, type FakeClient } from "./authenticate-client.js";
export {
  createFakeAuthority,
  faultResponse,
  type BearerCheck,
  type FakeAuthority,
  type FakeFault,
  type FakeRoute,
  type FakeStats,
  type IssuedToken,
} from "./create-fake-authority.js";
export { createPingHandler, PING_PATH } from "./create-ping-handler.js";
export { guardHandler, rfc6750Refusal, type BearerRefusal, type TokenGuardOptions } from "./create-token-guard.js";
export { catchAuthError } from "./catch-auth-error.js";
export { createManualClock, type ManualClock } from "./create-manual-clock.js";
export { createHandlersFetch, serveHandlers, type FakeServer, type ServeOptions } from "./serve-handlers.js";
export { toProviderFake } from "./to-provider-fake.js";
export type { ProviderFake } from "./types.js";
