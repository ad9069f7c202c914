import { describeOptionBounds } from "@payauth/conformance";
import { createMaxPayClient } from "../src/index.js";
import { maxPayFakeCredentials } from "../src/testing/index.js";

// Issue 12, item 8, through this provider's factory: options that were accepted and failed later
// are refused at construction, naming the option, never showing the secret.
describeOptionBounds({
  provider: "maxpay",
  factory: "createMaxPayClient",
  make: (options = {}) => createMaxPayClient({ baseUrl: "https://api.maxpay.test", ...maxPayFakeCredentials, ...options } as Parameters<typeof createMaxPayClient>[0]),
  secret: maxPayFakeCredentials.clientSecret,
  baseUrl: "https://api.maxpay.test",
  tokenUrl: "https://api.maxpay.test/v1/auth/login",
});
