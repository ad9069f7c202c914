export {
  createPayMeFake,
  payMeAllScopes,
  payMeFakeCredentials,
  payMeFakeStatusCodes,
  type PayMeFake,
  type PayMeFakeClient,
  type PayMeFakeOptions,
  type PayMeFakeStatusCode,
  type PayMeFault,
} from "./create-payme-fake.js";
export { createHandlersFetch, createManualClock, serveHandlers, type FakeServer, type ManualClock } from "@payauth/auth-core/testing";
