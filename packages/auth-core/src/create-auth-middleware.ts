import type { Middleware } from "openapi-fetch";
import type { ErrorContext } from "./request-token.js";
import type { ClientAuth, FetchLike } from "./types.js";

export interface AuthMiddlewareOptions {
  auth: ClientAuth;
  /** Only requests to this origin (e.g. `https://api.example.com`) get the token. */
  apiOrigin: string;
  /** Used to replay a request once after its token was rejected. */
  fetch: FetchLike;
  /** Whether an API 401 says the token itself is no good (expired, revoked, malformed). */
  isTokenRejected: (context: ErrorContext) => boolean;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

/**
 * The openapi-fetch middleware: adds `Authorization: Bearer …` to requests for the API's own
 * origin, and when the API rejects the token, invalidates it and replays the request once
 * with a fresh one.
 */
export function createAuthMiddleware(options: AuthMiddlewareOptions): Middleware {
  const { auth, fetch, isTokenRejected } = options;
  const originPrefix = `${new URL(options.apiOrigin).origin}/`;
  // The unsent copy of each request, for one replay. Weak: entries go with their request.
  const pending = new WeakMap<Request, { copy: Request; accessToken: string }>();

  return {
    async onRequest({ request }) {
      if (!request.url.startsWith(originPrefix)) return undefined;
      const { accessToken } = await auth.getToken();
      const copy = request.clone();
      request.headers.set("authorization", `Bearer ${accessToken}`);
      pending.set(request, { copy, accessToken });
      return request;
    },
    async onResponse({ request, response }) {
      const entry = pending.get(request);
      if (entry === undefined) return undefined;
      pending.delete(request);
      if (response.status !== 401) return undefined;
      const body = await readJson(response.clone());
      if (!isTokenRejected({ status: response.status, body, headers: response.headers })) return undefined;
      await response.body?.cancel();
      await auth.invalidate(entry.accessToken);
      const { accessToken } = await auth.getToken();
      entry.copy.headers.set("authorization", `Bearer ${accessToken}`);
      return fetch(entry.copy);
    },
  };
}
