// What a user's own tests do with `@payauth/<provider>/testing` (as each README shows): the client
// on `createHandlersFetch(fake.handlers)`, in memory, no port. Written once with plain checks;
// each runtime's test runner registers them with its own API:
//   node --test testing-fake.node.test.mjs, bun test ./testing-fake.bun.test.mjs, deno test testing-fake.deno.test.mjs
import { createAutopayClient } from "@payauth/autopay";
import { autopayFakeCredentials, createAutopayFake, createHandlersFetch as autopayHandlersFetch } from "@payauth/autopay/testing";
import { createGetpaidClient } from "@payauth/getpaid";
import { createGetpaidFake, createHandlersFetch as getpaidHandlersFetch, getpaidFakeCredentials } from "@payauth/getpaid/testing";
import { createMaxPayClient, isAuthError } from "@payauth/maxpay";
import { createHandlersFetch, createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import { createPayMeClient } from "@payauth/payme";
import { createPayMeFake, createHandlersFetch as payMeHandlersFetch, payMeFakeCredentials } from "@payauth/payme/testing";

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Each README's testing example: the fake, and a client whose fetch answers from its handlers.
const setups = {
  maxpay: (secret) => {
    const fake = createMaxPayFake();
    const credentials = { ...maxPayFakeCredentials, ...(secret ? { clientSecret: secret } : {}) };
    return { fake, client: createMaxPayClient({ baseUrl: "https://maxpay.test", ...credentials, fetch: createHandlersFetch(fake.handlers) }), path: "/v1/me" };
  },
  payme: (secret) => {
    const fake = createPayMeFake({ environment: "preprod" });
    const credentials = { ...payMeFakeCredentials, ...(secret ? { clientSecret: secret } : {}) };
    return { fake, client: createPayMeClient({ environment: "preprod", ...credentials, fetch: payMeHandlersFetch(fake.handlers) }), path: "/payauth-conformance/ping" };
  },
  getpaid: (secret) => {
    const fake = createGetpaidFake();
    const credentials = { ...getpaidFakeCredentials.sandbox, ...(secret ? { clientSecret: secret } : {}) };
    return { fake, client: createGetpaidClient({ environment: "sandbox", ...credentials, fetch: getpaidHandlersFetch(fake.handlers) }), path: "/payauth-conformance/ping" };
  },
  autopay: (secret) => {
    const fake = createAutopayFake();
    const credentials = { ...autopayFakeCredentials, ...(secret ? { clientSecret: secret } : {}) };
    return { fake, client: createAutopayClient({ ...credentials, fetch: autopayHandlersFetch(fake.handlers) }), path: "/payauth-conformance/ping" };
  },
};

async function call(client, path) {
  const { data, error, response } = await client.GET(path);
  check(data !== undefined, `GET ${path}: HTTP ${response.status} ${JSON.stringify(error)}`);
  return data;
}

/** `[name, async () => void]` for every provider. */
export const cases = Object.entries(setups).flatMap(([provider, setup]) => [
  [
    `${provider}: 20 calls on the fake, one token`,
    async () => {
      const { fake, client, path } = setup();
      await Promise.all(Array.from({ length: 20 }, () => call(client, path)));
      check(fake.stats.tokensIssued === 1, `expected 1 token issued, got ${fake.stats.tokensIssued}`);
    },
  ],
  [
    `${provider}: a revoked token is replaced and the call replayed`,
    async () => {
      const { fake, client, path } = setup();
      await call(client, path);
      fake.revokeToken();
      await call(client, path);
      check(fake.stats.tokensIssued === 2, `expected 2 tokens issued, got ${fake.stats.tokensIssued}`);
    },
  ],
  [
    `${provider}: a wrong secret is invalid-credentials`,
    async () => {
      const { client, path } = setup("not-the-secret");
      const error = await client.GET(path).then(
        () => undefined,
        (e) => e,
      );
      check(isAuthError(error, "invalid-credentials"), `expected invalid-credentials, got ${error?.code ?? error}`);
    },
  ],
]);
