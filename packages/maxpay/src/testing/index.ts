export {
  createMaxPayFake,
  maxPayAllScopes,
  maxPayFakeCredentials,
  type MaxPayFake,
  type MaxPayFakeClient,
  type MaxPayFakeOptions,
  type MaxPayFault,
} from "./create-maxpay-fake.js";
export { createHandlersFetch, createManualClock, serveHandlers, type FakeServer, type ManualClock } from "@payauth/auth-core/testing";
