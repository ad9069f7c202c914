import { describe, expect, it } from "vitest";
import { AUTH_ERROR_CODES, AuthError, isAuthError, noteAcquisition } from "../src/auth-error.js";

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

  it("serialises to JSON with its fields, without stack, its cause reduced to the codes along its chain", () => {
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
      causeCodes: [],
    });
    expect(JSON.stringify(rateLimited())).not.toContain("inner");
    expect(rateLimited().toJSON()).toHaveProperty("status", 429);
    expect(Object.keys(rateLimited().toJSON()).sort()).toEqual(
      ["attempts", "causeCodes", "code", "details", "elapsedMs", "message", "name", "provider", "providerCode", "retryAfterMs", "status"],
    );
  });

  it("keeps the cause chain's codes in JSON, each once, never a message", () => {
    const reset = Object.assign(new Error("read ECONNRESET s3cr3t"), { code: "ECONNRESET" });
    const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET", cause: Object.assign(new Error("again"), { code: "UND_ERR_SOCKET", cause: reset }) });
    const outer = new TypeError("fetch failed", { cause: socket });
    const error = new AuthError({ code: "network-error", provider: "acme", message: "token request failed before a response arrived", cause: outer });
    noteAcquisition(error, 3, 1200);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ causeCodes: ["UND_ERR_SOCKET", "ECONNRESET"], attempts: 3, elapsedMs: 1200 });
    expect(JSON.stringify(error)).not.toContain("s3cr3t");
    // A code that is not code-like (free text, a number) is left out.
    const odd = new AuthError({ code: "network-error", provider: "acme", message: "m", cause: Object.assign(new Error("x"), { code: "not a code: s3cr3t", cause: Object.assign(new Error("y"), { code: 23 }) }) });
    expect(odd.toJSON()["causeCodes"]).toEqual([]);
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

describe("noteAcquisition", () => {
  it("adds the attempts and the time to a timeout's message (and so to its stack, formatted when first read), once", () => {
    const error = new AuthError({ code: "timeout", provider: "acme", message: "token request to auth.acme.test timed out after 10000 ms" });
    noteAcquisition(error, 3, 30_512);
    noteAcquisition(error, 9, 1);
    expect(error.message).toBe("@payauth/acme: token request to auth.acme.test timed out after 10000 ms (3 attempts in 30.5 s)");
    expect(error.stack?.split("\n")[0]).toBe(`AuthError: ${error.message}`);
    expect([error.attempts, error.elapsedMs]).toEqual([3, 30_512]);
  });

  it("leaves the message of other codes alone", () => {
    const error = new AuthError({ code: "invalid-credentials", provider: "acme", message: "token request failed with HTTP 401" });
    noteAcquisition(error, 1, 120.4);
    expect(error.message).toBe("@payauth/acme: token request failed with HTTP 401");
    expect(error.toJSON()).toMatchObject({ attempts: 1, elapsedMs: 120 });
  });
});
