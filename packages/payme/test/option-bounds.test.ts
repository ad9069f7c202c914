import { describeOptionBounds } from "@payauth/conformance";
import { createPayMeClient } from "../src/index.js";
import { payMeFakeCredentials } from "../src/testing/index.js";

// Issue 12, item 8, through this provider's factory: options that were accepted and failed later
// are refused at construction, naming the option, never showing the secret.
describeOptionBounds({
  provider: "payme",
  factory: "createPayMeClient",
  make: (options = {}) => createPayMeClient({ environment: "preprod", ...payMeFakeCredentials, ...options } as Parameters<typeof createPayMeClient>[0]),
  secret: payMeFakeCredentials.clientSecret,
  baseUrl: "https://api.preprod.alignet.io",
  tokenUrl: "https://auth.preprod.alignet.io/token",
});
