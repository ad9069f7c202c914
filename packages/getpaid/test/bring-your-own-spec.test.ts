import { catchAuthError } from "@payauth/auth-core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { AuthError, createGetpaidClient, getpaidOperationScopes, isAuthError, type FetchLike, type GetpaidClientOptions } from "../src/index.js";
import { createGetpaidFake, createHandlersFetch, createManualClock, getpaidFakeCredentials, type ManualClock } from "../src/testing/index.js";
import type { components, paths as FixturePaths } from "./fixtures/invoices/openapi.gen.js";
import { operationScopes as fixtureOperationScopes } from "./fixtures/invoices/operations.gen.js";

// "Bring your own spec": the types and operation scopes in test/fixtures/invoices/ are generated
// (`pnpm generate`) from a TEST FIXTURE spec of made-up invoice endpoints, standing in for a
// fuller getpaid spec of the user's. They are not getpaid's documented API.

type Invoice = components["schemas"]["Invoice"];

const API = "https://api.sandbox.getpaid.io";
let clock: ManualClock;
let fetch: FetchLike;
/** The API requests that reached the (test) invoices API: never the token requests. */
let apiRequests: Request[];

const invoice: Invoice = { id: "inv_1", status: "open", currency: "EUR", total_amount: 1250, customer_id: "cus_1" };

/**
 * The getpaid fake for tokens, and the fixture's invoice endpoints answered here, as an API that
 * enforces scopes would (403 `insufficient_scope`), with the scopes each token was issued for.
 */
function useApi() {
  const fake = createGetpaidFake({ clock });
  const tokens = createHandlersFetch(fake.handlers);
  const granted = new Map<string, string[]>();
  apiRequests = [];
  fetch = async (request) => {
    const url = new URL(request.url);
    if (url.origin !== API) {
      const scope = ((await request.clone().json()) as { scope?: string }).scope;
      const response = await tokens(request);
      const body = (await response.clone().json()) as { access_token?: string; scope?: string };
      if (body.access_token !== undefined) granted.set(body.access_token, (body.scope ?? scope ?? "").split(" ").filter(Boolean));
      return response;
    }
    apiRequests.push(request.clone());
    const scopes = granted.get(request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "");
    if (scopes === undefined) return Response.json({ error: "invalid_token" }, { status: 401 });
    const allowed = (...any: string[]) => any.some((s) => scopes.includes(s));
    if (url.pathname === "/invoices" && request.method === "GET") {
      return allowed("invoices:read", "invoices:read_write") ? Response.json({ data: [invoice], has_more: false }) : forbidden();
    }
    if (url.pathname === "/invoices" && request.method === "POST") {
      return allowed("invoices:read_write") ? Response.json({ ...invoice, id: "inv_2", status: "draft" }, { status: 201 }) : forbidden();
    }
    return Response.json({ error: "not_found" }, { status: 404 });
  };
}

function forbidden(): Response {
  return Response.json({ error: "insufficient_scope", error_description: "The access token lacks a required scope" }, { status: 403 });
}

function client(overrides: Partial<GetpaidClientOptions<FixturePaths>> = {}) {
  return createGetpaidClient<FixturePaths>({
    environment: "sandbox",
    ...getpaidFakeCredentials.sandbox,
    fetch,
    clock,
    scopes: ["invoices:read"],
    operationScopes: fixtureOperationScopes,
    ...overrides,
  });
}

const newInvoice = { customer_id: "cus_1", currency: "EUR", lines: [{ description: "Consulting", quantity: 1, unit_amount: 1250 }] };


beforeEach(() => {
  clock = createManualClock();
  useApi();
});

describe("createGetpaidClient<paths> with a fuller spec's operationScopes", () => {
  it("calls an operation the token has the scope for, with its types from the user's spec", async () => {
    const getpaid = client();
    const { data, error, response } = await getpaid.GET("/invoices", { params: { query: { status: "open", limit: 10 } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.data[0]?.total_amount).toBe(1250);
    expect(apiRequests).toHaveLength(1);
    expect(apiRequests[0]?.url).toBe(`${API}/invoices?status=open&limit=10`);
    expect(apiRequests[0]?.headers.get("authorization")).toBe(`Bearer ${(await getpaid.auth.getToken()).accessToken}`);
  });

  it("fails fast with insufficient-scope naming invoices:read_write, and sends nothing", async () => {
    const getpaid = client();
    await getpaid.auth.getToken();
    const error = await catchAuthError(getpaid.POST("/invoices", { body: newInvoice }));
    expect(isAuthError(error, "insufficient-scope")).toBe(true);
    expect(error.provider).toBe("getpaid");
    expect(error.message).toContain("@payauth/getpaid: POST /invoices needs scope(s) invoices:read_write; the token has invoices:read.");
    expect(error.details).toEqual({
      operation: "POST /invoices",
      missingScopes: ["invoices:read_write"],
      requiredScopes: [["invoices:read_write"]],
      grantedScopes: ["invoices:read"],
    });
    expect(apiRequests).toHaveLength(0);
  });

  it("sends the call with scopeCheck: false, and the API refuses it itself", async () => {
    const getpaid = client({ scopeCheck: false });
    const { data, error, response } = await getpaid.POST("/invoices", { body: newInvoice });
    expect(response.status).toBe(403);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ error: "insufficient_scope" });
    expect(apiRequests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(["POST /invoices"]);
  });

  it("allows both operations with invoices:read_write (either scope will do for GET /invoices)", async () => {
    const getpaid = client({ scopes: ["invoices:read_write"] });
    expect((await getpaid.GET("/invoices")).response.status).toBe(200);
    const { data, response } = await getpaid.POST("/invoices", { body: newInvoice });
    expect(response.status).toBe(201);
    expect(data?.status).toBe("draft");
    expect(apiRequests).toHaveLength(2);
  });

  it("checks nothing without the fuller spec's map: getpaid's own spec lists only its token endpoint", async () => {
    expect(getpaidOperationScopes).toEqual({ "POST /oauth/token": [[]] });
    const getpaid = client({ operationScopes: undefined });
    expect((await getpaid.POST("/invoices", { body: newInvoice })).response.status).toBe(403);
    expect(apiRequests).toHaveLength(1);
  });

  it("lets a map of the caller's own tighten or loosen one operation", async () => {
    const getpaid = client({ operationScopes: { ...fixtureOperationScopes, "POST /invoices": [["invoices:read"]] } });
    // payauth lets it through, and the API, which knows better, refuses it.
    expect((await getpaid.POST("/invoices", { body: newInvoice })).response.status).toBe(403);
    const strict = client({ operationScopes: { "GET /invoices": [["invoices:read_write"]] } });
    expect((await catchAuthError(strict.GET("/invoices"))).details).toMatchObject({ missingScopes: ["invoices:read_write"] });
    expect(apiRequests).toHaveLength(1);
  });
});
