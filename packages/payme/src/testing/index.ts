export {
  createPayMeFake,
  payMeFakeCredentials,
  type PayMeFake,
  type PayMeFakeErrorCode,
  type PayMeFakeOptions,
  type PayMeFault,
} from "./create-payme-fake.js";
export { createHandlersFetch, createManualClock, serveHandlers, type FakeServer, type ManualClock } from "@payauth/auth-core/testing";
