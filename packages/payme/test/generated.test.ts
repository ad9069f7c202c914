import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { PAYME_API_VERSION, PAYME_ENVIRONMENTS } from "../src/environments.js";
import { ErrorBodySchema, scopes, TokenRefusalSchema, TokenRequestSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";

// The validators are generated from specs/payme.yaml: check them against the docs' own examples.
const documentedRequest = {
  action: "authorize",
  grant_type: "client_credentials",
  audience: "https://api.preprod.alignet.io/",
  client_id: "your_client_id",
  client_secret: "your_client_secret",
  scope: "create:token post:charges get:charges delete:charges",
};
const documentedResponse = {
  action: "authorize",
  success: true,
  access_token: "eyJhbGciOiJIUzI1NiIs...",
  scope: "create:token api-test:create:token",
  expires_in: 8600,
  token_type: "Bearer",
  authorization: { meta: { status: { code: "00", message_ilgn: [{ locale: "es_PE", value: "Access Token creado" }] } } },
};

describe("generated Pay-me validators", () => {
  it("accept the documented token request and require every documented field", () => {
    expect(TokenRequestSchema.safeParse(documentedRequest).success).toBe(true);
    for (const field of Object.keys(documentedRequest)) {
      expect(TokenRequestSchema.safeParse({ ...documentedRequest, [field]: undefined }).success).toBe(false);
    }
    expect(TokenRequestSchema.safeParse({ ...documentedRequest, action: "token" }).success).toBe(false);
  });

  it("accept the documented token response and reject wrong types", () => {
    expect(TokenResponseSchema.safeParse(documentedResponse).success).toBe(true);
    expect(TokenResponseSchema.safeParse({ ...documentedResponse, success: false }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documentedResponse, expires_in: "8600" }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documentedResponse, access_token: "" }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documentedResponse, extra: true }).success).toBe(true);
    expect(TokenRefusalSchema.safeParse({ ...documentedResponse, success: false }).success).toBe(true);
  });

  it("understand the three tolerated error shapes", () => {
    expect(ErrorBodySchema.safeParse({ success: false, authorization: documentedResponse.authorization }).success).toBe(true);
    expect(ErrorBodySchema.safeParse({ error: "access_denied" }).success).toBe(true);
    expect(ErrorBodySchema.safeParse({ message: "Unauthorized" }).success).toBe(true);
    expect(ErrorBodySchema.safeParse({ status: 401 }).success).toBe(false);
  });

  it("know the four documented scopes, create:token first", () => {
    expect(scopes).toEqual(["create:token", "post:charges", "get:charges", "delete:charges"]);
  });
});

describe("specs/payme.yaml and the source", () => {
  const spec = parse(readFileSync(new URL("../../../specs/payme.yaml", import.meta.url), "utf8")) as {
    servers: { url: string }[];
    paths: { "/token": { servers: { url: string }[] } };
    components: { parameters: { AlgApiVersion: { schema: { const: string } } } };
  };

  it("agree on the URLs of each environment", () => {
    expect(spec.servers.map((s) => s.url)).toEqual([PAYME_ENVIRONMENTS.preprod.baseUrl, PAYME_ENVIRONMENTS.production.baseUrl]);
    expect(spec.paths["/token"].servers.map((s) => `${s.url}/token`)).toEqual([PAYME_ENVIRONMENTS.preprod.tokenUrl, PAYME_ENVIRONMENTS.production.tokenUrl]);
    for (const env of Object.values(PAYME_ENVIRONMENTS)) expect(env.audience).toBe(`${env.baseUrl}/`);
  });

  it("agree on ALG-API-VERSION", () => {
    expect(spec.components.parameters.AlgApiVersion.schema.const).toBe(PAYME_API_VERSION);
  });
});
