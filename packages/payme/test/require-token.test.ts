import { customScope } from "@payauth/auth-core";
import { describeRequireToken, type GuardedRouteClient } from "@payauth/conformance";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { createPayMeClient, PAYME_API_VERSION } from "../src/index.js";
import { createHandlersFetch, createPayMeFake, payMeFakeCredentials } from "../src/testing/index.js";

const status = (code: string) => ({ success: false, authorization: { meta: { status: { code } } } });

describeRequireToken({
  provider: "payme",
  createFake: (options) => createPayMeFake(options),
  createClient: ({ origin, ...options }) =>
    createPayMeClient({
      environment: "preprod",
      baseUrl: origin,
      ...payMeFakeCredentials,
      scopes: ["get:charges"],
      ...options,
    }) as unknown as GuardedRouteClient,
  grantedScope: "get:charges",
  missingScope: customScope("refunds:create"),
  apiHeaders: { "alg-api-version": PAYME_API_VERSION },
  refusals: {
    revoked: { status: 401, body: status("401") },
    expired: { status: 401, body: status("401") },
    missing: { status: 401, body: status("401") },
    scope: { status: 403, body: status("403") },
  },
  apiFault: { fault: { status: 500, code: "500" }, expect: { status: 500, body: status("500") } },
});

it("payme: requireToken refuses a request without ALG-API-VERSION before looking at its token", async () => {
  const fake = createPayMeFake();
  const route = fake.requireToken(http.get("https://api.preprod.alignet.io/charges", () => HttpResponse.json([])));
  const response = await createHandlersFetch([route])(new Request("https://api.preprod.alignet.io/charges"));
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject(status("400"));
});
