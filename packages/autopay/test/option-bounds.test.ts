import { describeOptionBounds } from "@payauth/conformance";
import { createAutopayClient } from "../src/index.js";
import { autopayFakeCredentials } from "../src/testing/index.js";

// Issue 12, item 8, through this provider's factory: options that were accepted and failed later
// are refused at construction, naming the option, never showing the secret.
describeOptionBounds({
  provider: "autopay",
  factory: "createAutopayClient",
  make: (options = {}) => createAutopayClient({ ...autopayFakeCredentials, ...options } as Parameters<typeof createAutopayClient>[0]),
  secret: autopayFakeCredentials.clientSecret,
  baseUrl: "https://api.autopay.io",
  tokenUrl: "https://api-auth.autopay.io/oauth/token",
});
