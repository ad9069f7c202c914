import { randomBytes } from "node:crypto";
import { HttpResponse } from "msw";
import type { Clock } from "../types.js";

/** A fault a fake answers with instead of its normal response. */
export interface FakeFault<Code extends string = string> {
  /**
   * `drop`: the connection is closed without an answer (a network error);
   * `stall`: no answer until the client gives up. Otherwise an HTTP response with `status`.
   */
  kind?: "drop" | "stall";
  /** Ignored for `drop` and `stall`. */
  status: number;
  /** A provider error code, rendered in the provider's own error body. */
  code?: Code;
  /** A raw body instead (an HTML page, malformed JSON, an empty string…), sent as text/html. */
  body?: string;
  /** Adds `Retry-After: <seconds>`. */
  retryAfterSeconds?: number;
}

export type FakeRoute = "token" | "api";

export interface FakeStats {
  /** Requests to the token endpoint, whatever their outcome. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** Requests to the API. */
  apiCalls: number;
}

export interface IssuedToken {
  accessToken: string;
  clientId: string;
  scopes: readonly string[];
  audience: string | undefined;
  expiresAt: number;
  revoked: boolean;
}

/** Why a bearer token was refused, if it was. */
export type BearerCheck =
  | { ok: true; token: IssuedToken }
  | { ok: false; reason: "missing" | "unknown" | "revoked" | "expired" | "insufficient-scope" };

/**
 * The state every provider fake shares: issued tokens with their lifetime, revocation,
 * queued faults and counters. A provider's fake adds its handlers and its response formats.
 */
export interface FakeAuthority<Code extends string = string> {
  readonly stats: Readonly<FakeStats>;
  /** Issues a JWT-shaped token that expires `lifetimeSeconds` from now on the fake's clock. */
  issue(grant: { clientId: string; scopes: readonly string[]; audience?: string | undefined }, lifetimeSeconds: number): IssuedToken;
  /** Checks an `Authorization: Bearer …` header; with `requiredScopes`, also the token's scopes. */
  checkBearer(request: Request, requiredScopes?: readonly string[]): BearerCheck;
  /** Counts a request to `route` and returns the fault queued for it, if any. */
  begin(route: FakeRoute): FakeFault<Code> | undefined;
  revokeToken(accessToken?: string): void;
  /** From now on `clientId` is accepted with `clientSecret` only (its old secret is refused); its tokens stay valid. */
  rotateSecret(clientId: string, clientSecret: string): void;
  /** Whether `given` is `client`'s secret now (its configured one, or the one it was rotated to). */
  acceptsSecret(client: { clientId: string; clientSecret: string }, given: unknown): boolean;
  failNext(route: FakeRoute, fault: FakeFault<Code>, times?: number): void;
  /** Requests to `route` within the last `windowSeconds`, counting this one (for rate limits). */
  recentRequests(route: FakeRoute, windowSeconds: number): number;
  reset(): void;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

export function createFakeAuthority<Code extends string = string>(options: { clock?: Clock | undefined } = {}): FakeAuthority<Code> {
  const clock = options.clock ?? Date;
  const tokens = new Map<string, IssuedToken>();
  let faults: Record<FakeRoute, { fault: FakeFault<Code>; times: number }[]> = { token: [], api: [] };
  let arrivals: Record<FakeRoute, number[]> = { token: [], api: [] };
  const stats: FakeStats = { tokenRequests: 0, tokensIssued: 0, apiCalls: 0 };
  const rotated = new Map<string, string>();

  return {
    stats,
    issue(grant, lifetimeSeconds) {
      const now = clock.now();
      const claims = { sub: grant.clientId, aud: grant.audience, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + lifetimeSeconds, jti: randomBytes(8).toString("hex") };
      const accessToken = `${base64url('{"alg":"RS256","typ":"JWT"}')}.${base64url(JSON.stringify(claims))}.${base64url(randomBytes(32))}`;
      const token: IssuedToken = { accessToken, clientId: grant.clientId, scopes: grant.scopes, audience: grant.audience, expiresAt: now + lifetimeSeconds * 1000, revoked: false };
      tokens.set(accessToken, token);
      stats.tokensIssued++;
      return token;
    },
    checkBearer(request, requiredScopes = []) {
      const match = /^Bearer (\S+)$/i.exec(request.headers.get("authorization") ?? "");
      if (match?.[1] === undefined) return { ok: false, reason: "missing" };
      const token = tokens.get(match[1]);
      if (token === undefined) return { ok: false, reason: "unknown" };
      if (token.revoked) return { ok: false, reason: "revoked" };
      if (clock.now() >= token.expiresAt) return { ok: false, reason: "expired" };
      if (!requiredScopes.every((s) => token.scopes.includes(s))) return { ok: false, reason: "insufficient-scope" };
      return { ok: true, token };
    },
    begin(route) {
      if (route === "token") stats.tokenRequests++;
      else stats.apiCalls++;
      arrivals[route].push(clock.now());
      const next = faults[route][0];
      if (next === undefined) return undefined;
      if (--next.times <= 0) faults[route].shift();
      return next.fault;
    },
    revokeToken(accessToken) {
      for (const [value, token] of tokens) if (accessToken === undefined || value === accessToken) token.revoked = true;
    },
    rotateSecret(clientId, clientSecret) {
      rotated.set(clientId, clientSecret);
    },
    acceptsSecret(client, given) {
      return (rotated.get(client.clientId) ?? client.clientSecret) === given;
    },
    failNext(route, fault, times = 1) {
      faults[route].push({ fault, times });
    },
    recentRequests(route, windowSeconds) {
      const since = clock.now() - windowSeconds * 1000;
      arrivals[route] = arrivals[route].filter((t) => t > since);
      return arrivals[route].length;
    },
    reset() {
      tokens.clear();
      rotated.clear();
      faults = { token: [], api: [] };
      arrivals = { token: [], api: [] };
      Object.assign(stats, { tokenRequests: 0, tokensIssued: 0, apiCalls: 0 });
    },
  };
}

/**
 * The response for a fault: `renderCode` draws the provider's own error body for `fault.code`,
 * otherwise `fault.body` is sent as text/html. Pass `request` so that a `stall` ends when the
 * client gives up.
 */
export function faultResponse<Code extends string>(
  fault: FakeFault<Code>,
  renderCode: (status: number, code: Code) => Record<string, unknown>,
  request?: Request,
): Response | Promise<Response> {
  if (fault.kind === "drop") return HttpResponse.error();
  if (fault.kind === "stall") {
    return new Promise<Response>((resolve) => {
      if (request?.signal.aborted === true) return resolve(HttpResponse.error());
      request?.signal.addEventListener("abort", () => resolve(HttpResponse.error()), { once: true });
    });
  }
  const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) };
  if (fault.code !== undefined) return HttpResponse.json(renderCode(fault.status, fault.code), { status: fault.status, headers });
  return new HttpResponse(fault.body ?? null, { status: fault.status, headers: { "content-type": "text/html", ...headers } });
}
