export {
  autopayFakeCredentials,
  createAutopayFake,
  type AutopayFake,
  type AutopayFakeClient,
  type AutopayFakeErrorCode,
  type AutopayFakeOptions,
  type AutopayFault,
} from "./create-autopay-fake.js";
export { createHandlersFetch, createManualClock, serveHandlers, type FakeServer, type ManualClock } from "@payauth/auth-core/testing";
