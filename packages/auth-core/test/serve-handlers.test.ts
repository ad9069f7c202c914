import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { createHandlersFetch, serveHandlers, type FakeServer } from "../src/testing/serve-handlers.js";

const handlers = [
  http.get("*/ping", () => HttpResponse.json({ ok: true })),
  http.post("*/echo", async ({ request }) =>
    HttpResponse.json({ received: await request.json(), contentType: request.headers.get("content-type"), url: request.url }),
  ),
];

describe("serveHandlers", () => {
  const servers: FakeServer[] = [];
  async function serve(...args: Parameters<typeof serveHandlers>): Promise<FakeServer> {
    const server = await serveHandlers(...args);
    servers.push(server);
    return server;
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("serves the handlers over HTTP on 127.0.0.1", async () => {
    const server = await serve(handlers);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${server.url}/ping`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ ok: true });
  });

  it("answers 404 for a path no handler serves", async () => {
    const server = await serve(handlers);
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "no fake handler for this request" });
  });

  it("passes a POST body, its headers and the full URL to the handler", async () => {
    const server = await serve(handlers);
    const response = await fetch(`${server.url}/echo?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ amount: 42, note: "✓" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      received: { amount: 42, note: "✓" },
      contentType: "application/json",
      url: `${server.url}/echo?x=1`,
    });
  });

  it("serves several servers side by side on different ports", async () => {
    const a = await serve(handlers);
    const b = await serve([http.get("*/ping", () => HttpResponse.json({ ok: "b" }))]);
    expect(a.url).not.toBe(b.url);
    expect(await (await fetch(`${a.url}/ping`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${b.url}/ping`)).json()).toEqual({ ok: "b" });
  });

  it("stops answering once closed", async () => {
    const server = await serveHandlers(handlers);
    await server.close();
    await expect(fetch(`${server.url}/ping`)).rejects.toThrow(TypeError);
  });

  it.each(["0.0.0.0", "example.com", "192.168.1.10"])("refuses to listen on the non-loopback host %s", async (host) => {
    await expect(serveHandlers(handlers, { host })).rejects.toThrow(TypeError);
    await expect(serveHandlers(handlers, { host })).rejects.toThrow(`serveHandlers only listens on loopback, not ${host}`);
  });
});

describe("createHandlersFetch", () => {
  it("answers from the handlers in memory", async () => {
    const fetch = createHandlersFetch(handlers);
    const response = await fetch(new Request("https://api.acme.test/ping"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("passes the request body to the handler", async () => {
    const fetch = createHandlersFetch(handlers);
    const response = await fetch(
      new Request("https://api.acme.test/echo", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' }),
    );
    expect(await response.json()).toEqual({ received: { a: 1 }, contentType: "application/json", url: "https://api.acme.test/echo" });
  });

  it("answers 404 for a request no handler serves", async () => {
    const fetch = createHandlersFetch(handlers);
    const response = await fetch(new Request("https://api.acme.test/unknown"));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "no fake handler for this request" });
  });
});
