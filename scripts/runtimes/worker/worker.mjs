// The Worker of `pnpm test:runtimes`: scenarios.mjs bundled as a Workers user bundles
// @payauth packages (workers.mjs: esbuild with the workerd, worker and browser conditions, no
// Node compatibility), run in workerd by miniflare. The fakes stay in Node on 127.0.0.1.
//   GET /run?control=<url>&provider=<p>&scenario=<s>   runs one scenario, answers its results as JSON
//   GET /cross-request?fake=<json>                       one call of a client kept at module scope,
//                                                        shared by concurrent requests to this isolate
//   GET /durable-object?fake=<json>                      the same, the client's tokenStore a Durable
//                                                        Object (env.TOKENS) shared with other Workers
import { createDurableObjectTokenStore } from "./durable-object-token-store.mjs";
import { createClient, runScenarios } from "./scenarios.mjs";

export { PayauthTokenObject } from "./durable-object-token-store.mjs";

// Module scope outlives a request: this is the per-isolate cache a Worker's clients share.
const clients = new Map();

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/run") {
      const results = await runScenarios({
        control: url.searchParams.get("control"),
        providers: [url.searchParams.get("provider")],
        only: [url.searchParams.get("scenario")],
      });
      return Response.json(results);
    }
    if (url.pathname === "/cross-request" || url.pathname === "/durable-object") {
      const fake = JSON.parse(url.searchParams.get("fake"));
      const shared = url.pathname === "/durable-object";
      let entry = clients.get(fake.id);
      if (!entry) {
        // The client's last events, shown with a failed request so that a failure explains itself.
        const events = [];
        const onEvent = (event) => {
          const detail = event.type === "token-fetched" ? event.reason : event.type === "request-replayed" ? event.status : undefined;
          events.push(detail === undefined ? event.type : `${event.type}:${detail}`);
          if (events.length > 12) events.shift();
        };
        const client = createClient(fake, { onEvent, ...(shared ? { tokenStore: createDurableObjectTokenStore(env.TOKENS) } : {}) });
        clients.set(fake.id, (entry = { client, events }));
      }
      const { data, response } = await entry.client.GET("/payauth-conformance/ping");
      const ok = data?.ok === true;
      return Response.json({ ok, status: response.status, ...(ok ? {} : { events: entry.events }) });
    }
    return new Response("not found", { status: 404 });
  },
};
