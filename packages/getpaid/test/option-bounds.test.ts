import { describeOptionBounds } from "@payauth/conformance";
import { createGetpaidClient } from "../src/index.js";
import { getpaidFakeCredentials } from "../src/testing/index.js";

// Issue 12, item 8, through this provider's factory: options that were accepted and failed later
// are refused at construction, naming the option, never showing the secret.
describeOptionBounds({
  provider: "getpaid",
  factory: "createGetpaidClient",
  make: (options = {}) => createGetpaidClient({ environment: "sandbox", ...getpaidFakeCredentials.sandbox, ...options } as Parameters<typeof createGetpaidClient>[0]),
  secret: getpaidFakeCredentials.sandbox.clientSecret,
  baseUrl: "https://api.sandbox.getpaid.io",
  tokenUrl: "https://auth.getpaid.io/oauth/token",
});
