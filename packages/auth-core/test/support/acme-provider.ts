import type { ProviderDefinition } from "../../src/create-provider-client.js";

/** A made-up provider whose token endpoint always grants `provider-token` for an hour. */
export const acmeProvider: ProviderDefinition = {
  id: "acme",
  tokenRequest: ({ tokenUrl }) => ({ url: tokenUrl, body: {} }),
  parseGrant: () => ({ accessToken: "provider-token", expiresInSeconds: 3600, scopes: [] }),
  mapTokenError: () => undefined,
  isTokenRejected: () => false,
};
