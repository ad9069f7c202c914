import { describe, expect, it } from "vitest";
import { ErrorCodeSchema, OAuthErrorSchema, scopes, TokenRequestSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";

// The validators are generated from specs/autopay.yaml: check them against the docs' own examples.
describe("generated Autopay validators", () => {
  const request = {
    client_id: "kWmliLIrb79QfsF9r3vJE4xrKMcdcrrA",
    client_secret: "7xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxg",
    audience: "https://api.autopay.io",
    grant_type: "client_credentials",
  };

  it("accept the documented request, and nothing but it", () => {
    expect(TokenRequestSchema.safeParse(request).success).toBe(true);
    expect(TokenRequestSchema.safeParse({ ...request, audience: "https://api.autopay.io/" }).success).toBe(false);
    expect(TokenRequestSchema.safeParse({ ...request, grant_type: "password" }).success).toBe(false);
    expect(TokenRequestSchema.safeParse({ ...request, scope: "customer_club" }).success).toBe(false);
    const { audience: _, ...withoutAudience } = request;
    expect(TokenRequestSchema.safeParse(withoutAudience).success).toBe(false);
  });

  it("accept the documented response and reject wrong types", () => {
    const documented = { access_token: "exxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxQ", scope: "customer_club", expires_in: 86400, token_type: "Bearer" };
    expect(TokenResponseSchema.safeParse(documented).success).toBe(true);
    expect(TokenResponseSchema.safeParse({ ...documented, expires_in: "86400" }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documented, expires_in: 0 }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documented, expires_in: 1.5 }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documented, access_token: "" }).success).toBe(false);
    const { expires_in: _, ...misspelt } = documented;
    expect(TokenResponseSchema.safeParse({ ...misspelt, expries_in: 86400 }).success).toBe(false);
    const { scope: __, ...withoutScope } = documented;
    expect(TokenResponseSchema.safeParse(withoutScope).success).toBe(true);
    expect(TokenResponseSchema.safeParse({ ...documented, extra: true }).success).toBe(true);
  });

  it("accept the documented error and other OAuth codes", () => {
    expect(OAuthErrorSchema.safeParse({ error: "access_denied", error_description: "Unauthorized" }).success).toBe(true);
    expect(OAuthErrorSchema.safeParse({ error: "invalid_request" }).success).toBe(true);
    expect(OAuthErrorSchema.safeParse({ error_description: "Unauthorized" }).success).toBe(false);
    expect(ErrorCodeSchema.safeParse("access_denied").success).toBe(true);
    expect(ErrorCodeSchema.safeParse("invalid_request").success).toBe(false);
  });

  it("know the documented scope", () => {
    expect(scopes).toEqual(["customer_club"]);
  });
});
