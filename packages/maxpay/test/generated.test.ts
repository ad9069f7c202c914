import { describe, expect, it } from "vitest";
import { ErrorSchema, MeSchema, scopes, TokenResponseSchema } from "../src/generated/schemas.gen.js";

// The validators are generated from specs/maxpay.yaml: check them against the docs' own examples.
describe("generated Max Pay validators", () => {
  it("accept the documented token response and reject wrong types", () => {
    const documented = { accessToken: "eyJhbGciOiJSUzI1NiIsInR...", tokenType: "Bearer", expiresIn: 43200, scope: "clients:read clients:write" };
    expect(TokenResponseSchema.safeParse(documented).success).toBe(true);
    expect(TokenResponseSchema.safeParse({ ...documented, expiresIn: "43200" }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documented, expiresIn: -1 }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documented, accessToken: "" }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documented, extra: true }).success).toBe(true);
  });

  it("accept the documented /v1/me example", () => {
    const me = {
      customer: { id: 17, businessName: "DistribuidoraDemo S.A.", taxId: "30999999999", creationDate: "2025-11-01T10:00:00-03:00" },
      apiKey: { id: 88, name: "ERP Producción", scopes: ["clients:read"], environment: "PRODUCTION", rateLimitTier: "STANDARD" },
    };
    expect(MeSchema.safeParse(me).success).toBe(true);
    expect(MeSchema.safeParse({ customer: me.customer }).success).toBe(false);
  });

  it("know every documented error code and scope", () => {
    for (const code of ["invalid-credentials", "token-expired", "invalid-token", "insufficient-scope", "rate-limit-exceeded"]) {
      expect(ErrorSchema.safeParse({ code }).success).toBe(true);
    }
    expect(ErrorSchema.safeParse({ code: "teapot" }).success).toBe(false);
    expect(scopes).toHaveLength(15);
    expect(scopes[0]).toBe("clients:read");
    expect(scopes.at(-1)).toBe("webhooks:admin");
  });
});
