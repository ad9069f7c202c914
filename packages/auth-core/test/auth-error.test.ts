import { describe, expect, it } from "vitest";
import { AUTH_ERROR_CODES, AuthError, isAuthError } from "../src/auth-error.js";

const BRAND = Symbol.for("@payauth/auth-core/AuthError");

function rateLimited(): AuthError {
  return new AuthError({
    code: "rate-limited",
    provider: "acme",
    message: "token request failed with HTTP 429",
    status: 429,
    providerCode: "rate-limit-exceeded",
    retryAfterMs: 30_000,
    details: { requestId: "req-1" },
    cause: new Error("inner"),
  });
}

/** What an AuthError from another copy of the package looks like to this one. */
function foreignAuthError(code: string, brand: unknown = true): Error {
  const foreign = Object.create(Error.prototype) as Error & { code: string };
  foreign.code = code;
  foreign.message = "@payauth/acme: from another copy";
  Object.defineProperty(foreign, BRAND, { value: brand });
  return foreign;
}

describe("AuthError", () => {
  it("prefixes the message, keeps every field and is an Error", () => {
    const error = rateLimited();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AuthError");
    expect(error.message).toBe("@payauth/acme: token request failed with HTTP 429");
    expect(error).toMatchObject({
      code: "rate-limited",
      provider: "acme",
      status: 429,
      providerCode: "rate-limit-exceeded",
      retryAfterMs: 30_000,
      details: { requestId: "req-1" },
    });
    expect((error.cause as Error).message).toBe("inner");
  });

  it("has no cause property when none is given", () => {
    const error = new AuthError({ code: "timeout", provider: "acme", message: "slow" });
    expect("cause" in error).toBe(false);
    expect(error.status).toBeUndefined();
  });

  it("serialises to JSON with its fields and without cause or stack", () => {
    const json = JSON.parse(JSON.stringify(rateLimited())) as Record<string, unknown>;
    expect(json).toEqual({
      name: "AuthError",
      code: "rate-limited",
      message: "@payauth/acme: token request failed with HTTP 429",
      provider: "acme",
      status: 429,
      providerCode: "rate-limit-exceeded",
      retryAfterMs: 30_000,
      details: { requestId: "req-1" },
    });
    expect(rateLimited().toJSON()).toHaveProperty("status", 429);
    expect(Object.keys(rateLimited().toJSON()).sort()).toEqual(
      ["code", "details", "message", "name", "provider", "providerCode", "retryAfterMs", "status"],
    );
  });
});

describe("AUTH_ERROR_CODES", () => {
  it("is exactly the ten codes", () => {
    expect([...AUTH_ERROR_CODES]).toEqual([
      "invalid-credentials",
      "insufficient-scope",
      "token-expired",
      "invalid-token",
      "rate-limited",
      "invalid-request",
      "server-error",
      "network-error",
      "timeout",
      "invalid-response",
    ]);
    expect(new Set(AUTH_ERROR_CODES).size).toBe(10);
  });
});

describe("isAuthError", () => {
  it("recognises an AuthError, with or without a code", () => {
    const error = rateLimited();
    expect(isAuthError(error)).toBe(true);
    expect(isAuthError(error, "rate-limited")).toBe(true);
    expect(isAuthError(error, "timeout")).toBe(false);
  });

  it.each(AUTH_ERROR_CODES)("matches code %s only against itself", (code) => {
    const error = new AuthError({ code, provider: "acme", message: "m" });
    for (const other of AUTH_ERROR_CODES) expect(isAuthError(error, other)).toBe(other === code);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "rate-limited"],
    ["a plain Error", new Error("@payauth/acme: x")],
    ["a look-alike without the brand", { name: "AuthError", code: "rate-limited", provider: "acme" }],
  ])("rejects %s", (_, value) => {
    expect(isAuthError(value)).toBe(false);
    expect(isAuthError(value, "rate-limited")).toBe(false);
  });

  it("recognises a branded error from another copy of the package", () => {
    const foreign = foreignAuthError("timeout");
    expect(foreign instanceof AuthError).toBe(false);
    expect(isAuthError(foreign)).toBe(true);
    expect(isAuthError(foreign, "timeout")).toBe(true);
    expect(isAuthError(foreign, "rate-limited")).toBe(false);
  });

  it("requires the brand to be exactly true", () => {
    expect(isAuthError(foreignAuthError("timeout", "true"))).toBe(false);
    expect(isAuthError(foreignAuthError("timeout", 1))).toBe(false);
  });

  it("narrows the type to the code", () => {
    const error: unknown = rateLimited();
    if (!isAuthError(error, "rate-limited")) throw new Error("expected an AuthError");
    const code: "rate-limited" = error.code;
    expect(code).toBe("rate-limited");
  });
});
