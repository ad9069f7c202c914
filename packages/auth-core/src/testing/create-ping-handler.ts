import { http, HttpResponse, type HttpHandler } from "msw";
import type { BearerCheck, FakeAuthority, FakeFault } from "./create-fake-authority.js";
import { faultResponse } from "./create-fake-authority.js";

/** The API path every provider fake answers with its auth checks (used by the conformance suite). */
export const PING_PATH = "/payauth-conformance/ping";

/**
 * `GET <origin>/payauth-conformance/ping`: counts an API call, answers a queued API fault,
 * refuses a bad bearer token the provider's way (`refuse`), else 200 `{ ok: true }`.
 */
export function createPingHandler<Code extends string>(
  origin: string,
  authority: FakeAuthority<Code>,
  refuse: (check: Extract<BearerCheck, { ok: false }>) => Response,
  renderCode: (status: number, code: Code) => Record<string, unknown>,
): HttpHandler {
  return http.get(`${origin}${PING_PATH}`, ({ request }) => {
    const fault: FakeFault<Code> | undefined = authority.begin("api");
    if (fault) return faultResponse(fault, renderCode, request);
    const check = authority.checkBearer(request);
    if (!check.ok) return refuse(check);
    return HttpResponse.json({ ok: true });
  });
}
