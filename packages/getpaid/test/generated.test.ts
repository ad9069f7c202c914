import { readFileSync } from "node:fs";
import { OAUTH_ERROR_CODES } from "@payauth/auth-core";
import { describe, expect, it } from "vitest";
import { OAuthErrorSchema, scopes, TokenRequestSchema, TokenResponseSchema } from "../src/generated/schemas.gen.js";
import { GETPAID_AUDIENCES, GETPAID_ERROR_CODES, GETPAID_TOKEN_URL } from "../src/index.js";

const spec = readFileSync(new URL("../../../specs/getpaid.yaml", import.meta.url), "utf8");

// The validators are generated from specs/getpaid.yaml: check them against the docs' own examples.
describe("generated getpaid validators", () => {
  const documentedToken = {
    access_token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    token_type: "bearer",
    expires_in: 3600,
  };

  it("accept both documented token responses and reject wrong types", () => {
    expect(TokenResponseSchema.safeParse(documentedToken).success).toBe(true);
    expect(TokenResponseSchema.safeParse({ ...documentedToken, token_type: "Bearer", scope: "accounts:read_write invoices:read_write" }).success).toBe(true);
    expect(TokenResponseSchema.safeParse({ ...documentedToken, expires_in: "3600" }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documentedToken, expires_in: 0 }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documentedToken, access_token: "" }).success).toBe(false);
    expect(TokenResponseSchema.safeParse({ ...documentedToken, extra: true }).success).toBe(true);
  });

  it("accept the documented live and sandbox requests, with or without scope", () => {
    for (const audience of ["https://api.getpaid.io", "https://api.sandbox.getpaid.io"]) {
      const request = { client_id: "{{client_id}}", client_secret: "{{client_secret}}", audience, grant_type: "client_credentials" };
      expect(TokenRequestSchema.safeParse({ ...request, scope: "accounts:read_write invoices:read_write" }).success).toBe(true);
      expect(TokenRequestSchema.safeParse(request).success).toBe(true);
    }
    const base = { client_id: "a", client_secret: "b", audience: "https://api.getpaid.io", grant_type: "client_credentials" };
    expect(TokenRequestSchema.safeParse({ ...base, audience: undefined }).success).toBe(false);
    expect(TokenRequestSchema.safeParse({ ...base, grant_type: "password" }).success).toBe(false);
    expect(TokenRequestSchema.safeParse({ ...base, scope: "" }).success).toBe(false);
    expect(TokenRequestSchema.safeParse({ ...base, scope: " invoices:read" }).success).toBe(false);
  });

  it("know the eight documented scopes and the assumed OAuth error codes", () => {
    expect([...scopes]).toEqual([
      "accounts:read", "accounts:read_write", "invoices:read", "invoices:read_write",
      "documents:read", "documents:read_write", "payments:read", "payments:read_write",
    ]);
    for (const scope of scopes) expect(scope).toMatch(/^[a-z]+:(read|read_write)$/);
    expect(OAuthErrorSchema.safeParse({ error: "access_denied", error_description: "Unauthorized" }).success).toBe(true);
    expect(OAuthErrorSchema.safeParse({ error: "teapot" }).success).toBe(false);
  });

  it("map every listed OAuth code as auth-core's OAUTH_ERROR_CODES does", () => {
    for (const [code, mapped] of Object.entries(GETPAID_ERROR_CODES)) {
      expect(OAuthErrorSchema.safeParse({ error: code }).success).toBe(true);
      expect(OAUTH_ERROR_CODES[code]).toBe(mapped);
    }
  });

  it("use the spec's hosts as the package's defaults", () => {
    expect(spec).toContain(`url: ${GETPAID_AUDIENCES.live}\n`);
    expect(spec).toContain(`url: ${GETPAID_AUDIENCES.sandbox}\n`);
    expect(spec).toContain(`tokenUrl: ${GETPAID_TOKEN_URL}\n`);
    expect(GETPAID_TOKEN_URL).toBe("https://auth.getpaid.io/oauth/token");
    expect(GETPAID_AUDIENCES).toEqual({ live: "https://api.getpaid.io", sandbox: "https://api.sandbox.getpaid.io" });
  });
});
