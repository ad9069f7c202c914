// Behaviours of other runtimes that payauth must not depend on, reproduced in Node so that a
// regression shows up in `pnpm test` too (`pnpm test:runtimes` runs the real runtimes).
import { afterEach, describe, expect, it, vi } from "vitest";
import { createProviderClient } from "../src/create-provider-client.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { FetchLike } from "../src/types.js";
import { acmeProvider } from "./support/acme-provider.js";

const API = "https://api.acme.test";
const NativeRequest = globalThis.Request;

/** Bun 1.4's Request: `new Request(request, { headers })` with an empty `headers` keeps the input's headers. */
class BunLikeRequest extends NativeRequest {
  constructor(input: ConstructorParameters<typeof Request>[0], init?: RequestInit) {
    let names = 0;
    new Headers(init?.headers).forEach(() => names++);
    const empty = init?.headers !== undefined && names === 0;
    super(input, empty && input instanceof NativeRequest ? { ...init, headers: input.headers } : init);
  }
}

interface paths {
  "/v1/files/{id}": { get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": { where: string } } } } } };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Bun: an empty init.headers keeps the input request's headers", () => {
  it("the emulation reproduces it", () => {
    const request = new BunLikeRequest("https://a.test/", {});
    request.headers.set("authorization", "Bearer t");
    expect(new BunLikeRequest(request, { headers: new Headers() }).headers.get("authorization")).toBe("Bearer t");
  });

  it("regression: a redirect to another origin is followed without the token (it was sent there on Bun)", async () => {
    vi.stubGlobal("Request", BunLikeRequest);
    const seen: Array<[string, string | null]> = [];
    const fetch: FetchLike = async (request) => {
      if (request.url === "https://auth.acme.test/token") return Response.json({});
      seen.push([request.url, request.headers.get("authorization")]);
      return request.url.startsWith(API)
        ? new Response(null, { status: 307, headers: { location: "https://downloads.other.test/f" } })
        : Response.json({ where: request.url });
    };
    // No header of the client's own: the copy for the other origin has none left once the token is gone.
    const client = createProviderClient<paths, string>(acmeProvider, { clientId: "c", clientSecret: "secret-1", fetch, clock: createManualClock() }, { baseUrl: API, tokenUrl: "https://auth.acme.test/token" });

    const { data } = await client.GET("/v1/files/{id}", { params: { path: { id: "a" } } });
    expect(data).toEqual({ where: "https://downloads.other.test/f" });
    expect(seen).toEqual([
      [`${API}/v1/files/a`, "Bearer provider-token"],
      ["https://downloads.other.test/f", null],
    ]);
  });
});
