export {
  createGetpaidFake,
  getpaidAllScopes,
  getpaidFakeCredentials,
  type GetpaidFake,
  type GetpaidFakeClient,
  type GetpaidFakeErrorCode,
  type GetpaidFakeOptions,
  type GetpaidFault,
} from "./create-getpaid-fake.js";
export { createHandlersFetch, createManualClock, serveHandlers, type FakeServer, type ManualClock } from "@payauth/auth-core/testing";
