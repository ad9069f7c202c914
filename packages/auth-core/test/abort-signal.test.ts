import createClient from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { createAuthMiddleware } from "../src/create-auth-middleware.js";
import type { ClientAuth, GetTokenOptions } from "../src/types.js";
import { authError, gated, rejection, scripted, settle, setup } from "./support/resilience.js";

describe("createTokenManager: AbortSignal per caller", () => {
  it("one of 3 callers aborts: it rejects with the abort reason, the other two get the token, 1 request", async () => {
    const gate = gated();
    const { auth } = setup(gate.requestToken);
    const controller = new AbortController();

    const a = auth.getToken();
    const b = auth.getToken({ signal: controller.signal });
    const c = auth.getToken({ signal: new AbortController().signal });
    await settle();
    const reason = new Error("the user went away");
    controller.abort(reason);
    expect(await rejection(b)).toBe(reason);

    gate.release(0, "shared-token");
    expect((await a).accessToken).toBe("shared-token");
    expect((await c).accessToken).toBe("shared-token");
    expect(gate.requestToken).toHaveBeenCalledTimes(1);
  });

  it("rejects with a DOMException AbortError when aborted without a reason", async () => {
    const gate = gated();
    const { auth } = setup(gate.requestToken);
    const controller = new AbortController();

    const call = auth.getToken({ signal: controller.signal });
    await settle();
    controller.abort();
    const error = await rejection(call);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
  });

  it("lets the shared request finish when its only caller aborts: the next call uses its token", async () => {
    const gate = gated();
    const { auth } = setup(gate.requestToken);
    const controller = new AbortController();

    const call = auth.getToken({ signal: controller.signal });
    await settle();
    controller.abort();
    await rejection(call);
    gate.release(0, "finished-anyway");
    await settle();

    expect((await auth.getToken()).accessToken).toBe("finished-anyway");
    expect(gate.requestToken).toHaveBeenCalledTimes(1);
  });

  it("rejects at once with a pre-aborted signal, without a request", async () => {
    const requestToken = scripted();
    const { auth } = setup(requestToken);
    const reason = new Error("already gone");

    expect(await rejection(auth.getToken({ signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(requestToken).not.toHaveBeenCalled();
    // The manager is unaffected.
    expect((await auth.getToken()).accessToken).toBe("token-1");
  });

  it("rejects with the abort reason, not the request's failure, when aborted before the request fails", async () => {
    const gate = gated();
    const { auth } = setup(gate.requestToken, { retry: { maxAttempts: 1 } });
    const controller = new AbortController();

    const call = auth.getToken({ signal: controller.signal });
    const other = auth.getToken();
    await settle();
    const reason = new Error("aborted");
    controller.abort(reason);
    gate.reject(0, authError("server-error"));
    expect(await rejection(call)).toBe(reason);
    expect((await rejection(other)) as { code?: string }).toMatchObject({ code: "server-error" });
  });

  it("an abort after the token arrived changes nothing", async () => {
    const requestToken = scripted();
    const { auth } = setup(requestToken);
    const controller = new AbortController();

    const token = await auth.getToken({ signal: controller.signal });
    controller.abort();
    expect(token.accessToken).toBe("token-1");
    expect((await auth.getToken()).accessToken).toBe("token-1");
  });
});

interface paths {
  "/v1/ping": { get: { responses: { 200: { content: { "application/json": { ok: boolean } } } } } };
}

describe("createAuthMiddleware: passes the request's signal to getToken", () => {
  it("a client.GET aborted while the token is pending rejects, and the token request is not cancelled", async () => {
    const gate = gated();
    const { auth } = setup(gate.requestToken);
    const seen: Array<AbortSignal | undefined> = [];
    const spied: ClientAuth = {
      getToken: (options?: GetTokenOptions) => {
        seen.push(options?.signal);
        return auth.getToken(options);
      },
      hasScope: (scope) => auth.hasScope(scope),
      invalidate: (token) => auth.invalidate(token),
    };
    const fetch = vi.fn(async (_request: Request) => Response.json({ ok: true }));
    const client = createClient<paths>({ baseUrl: "https://api.acme.test", fetch });
    client.use(createAuthMiddleware({ auth: spied, apiOrigin: "https://api.acme.test", fetch, isTokenRejected: () => false }));

    const controller = new AbortController();
    const call = client.GET("/v1/ping", { signal: controller.signal });
    await settle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(AbortSignal);
    expect(seen[0]?.aborted).toBe(false);

    const reason = new Error("caller gave up");
    controller.abort(reason);
    expect(seen[0]?.aborted).toBe(true);
    expect(await rejection(call)).toBe(reason);
    expect(fetch).not.toHaveBeenCalled();

    gate.release(0, "late-token");
    expect((await auth.getToken()).accessToken).toBe("late-token");
    expect(gate.requestToken).toHaveBeenCalledTimes(1);
  });
});
