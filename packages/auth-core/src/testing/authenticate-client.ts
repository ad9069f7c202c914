import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { ClientAuthenticationMethod } from "../client-authentication.js";
import type { Clock } from "../types.js";
import type { FakeAuthority } from "./create-fake-authority.js";

/** A client a fake token endpoint knows, with the credentials each method needs. */
export interface FakeClient {
  clientId: string;
  /** For `client_secret_basic` and `client_secret_post` (rotated with the fake's `rotateSecret`). */
  clientSecret?: string | undefined;
  /** For `private_key_jwt`: the key assertions are verified with (public or private; a JWK, a PEM or a `KeyObject`). */
  publicKey?: KeyObject | JsonWebKey | string | undefined;
  /** For `tls_client_auth`: the fake trusts that the transport checked the client's certificate. */
  tlsClientAuth?: boolean | undefined;
  /** The methods this client may use. Default: every method its credentials allow. */
  methods?: readonly ClientAuthenticationMethod[] | undefined;
}

/** The outcome of `authenticateClient`: the client and its method, or an RFC 6749 §5.2 error. */
export type ClientCheck<Client extends FakeClient> =
  | { ok: true; client: Client; method: ClientAuthenticationMethod }
  | { ok: false; status: 400 | 401; error: "invalid_request" | "invalid_client"; description: string; headers: Record<string, string> };

export interface AuthenticateClientOptions {
  /** Whose `rotateSecret` applies. */
  authority?: Pick<FakeAuthority, "acceptsSecret"> | undefined;
  /** The time assertions are checked against. Default `Date`. */
  clock?: Pick<Clock, "now"> | undefined;
  /** `jti`s seen so far: a replayed assertion is refused. Pass one set per fake. */
  seenAssertions?: Set<string> | undefined;
}

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** The longest client assertion lifetime the fake accepts. */
const MAX_ASSERTION_SECONDS = 300;

/** `application/x-www-form-urlencoded` decoding (RFC 6749 Appendix B): `+` is a space. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * Authenticates a token request as an RFC 6749 authorization server does, for fakes:
 * `client_secret_basic` (the `Authorization: Basic` credentials form-decoded after base64, as
 * §2.3.1 says), `client_secret_post`, `private_key_jwt` (RFC 7523: signature, `iss` = `sub` =
 * client id, `aud` the token URL, `exp` within 5 minutes, `jti` not replayed) and
 * `tls_client_auth` (`client_id` alone: the transport is trusted). More than one method in a
 * request is `invalid_request`; a wrong or unknown credential `invalid_client` (401, with
 * `WWW-Authenticate: Basic` when Basic was used).
 */
export async function authenticateClient<Client extends FakeClient>(
  request: Request,
  form: URLSearchParams,
  clients: readonly Client[],
  options: AuthenticateClientOptions = {},
): Promise<ClientCheck<Client>> {
  const authorization = request.headers.get("authorization");
  const used = [authorization !== null, form.has("client_secret"), form.has("client_assertion") || form.has("client_assertion_type")].filter(Boolean).length;
  const bad = (description: string) => ({ ok: false, status: 400, error: "invalid_request", description, headers: {} }) as const;
  const refused = (description: string) =>
    ({ ok: false, status: 401, error: "invalid_client", description, headers: authorization === null ? {} : { "www-authenticate": 'Basic realm="token"' } }) as const;
  if (used > 1) return bad("more than one client authentication method");
  const bodyId = form.get("client_id");
  const find = (method: ClientAuthenticationMethod, id: string | null | undefined) =>
    clients.find((c) => c.clientId === id && (c.methods === undefined || c.methods.includes(method)));
  const secretOk = (client: Client | undefined, secret: string | null | undefined): client is Client =>
    client?.clientSecret !== undefined &&
    typeof secret === "string" &&
    (options.authority ? options.authority.acceptsSecret({ clientId: client.clientId, clientSecret: client.clientSecret }, secret) : client.clientSecret === secret);

  if (authorization !== null) {
    const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(authorization);
    let decoded: string | undefined;
    try {
      decoded = match?.[1] === undefined ? undefined : atob(match[1]);
    } catch {
      decoded = undefined;
    }
    const colon = decoded?.indexOf(":") ?? -1;
    if (decoded === undefined || colon < 0 || /[^\x20-\x7e]/.test(decoded)) return refused("malformed Basic credentials");
    const id = formDecode(decoded.slice(0, colon));
    const client = find("client_secret_basic", id);
    if (bodyId !== null && bodyId !== id) return bad("client_id differs from the Basic credentials");
    return secretOk(client, formDecode(decoded.slice(colon + 1))) ? { ok: true, client, method: "client_secret_basic" } : refused("client authentication failed");
  }
  if (form.has("client_secret")) {
    const client = find("client_secret_post", bodyId);
    return secretOk(client, form.get("client_secret")) ? { ok: true, client, method: "client_secret_post" } : refused("client authentication failed");
  }
  const assertion = form.get("client_assertion");
  if (assertion !== null || form.has("client_assertion_type")) {
    if (form.get("client_assertion_type") !== JWT_BEARER || assertion === null) return bad("client_assertion_type must be jwt-bearer, with a client_assertion");
    const jose = await import("jose");
    let id: string | undefined;
    try {
      id = jose.decodeJwt(assertion).sub;
    } catch {
      return refused("malformed client assertion");
    }
    const client = find("private_key_jwt", id);
    if (client?.publicKey === undefined || (bodyId !== null && bodyId !== id)) return refused("client authentication failed");
    const given = client.publicKey;
    const key = typeof given === "string" ? createPublicKey(given) : "kty" in given ? createPublicKey({ key: given, format: "jwk" }) : given.type === "public" ? given : createPublicKey(given as KeyObject);
    const url = new URL(request.url);
    try {
      const { payload } = await jose.jwtVerify(assertion, key, {
        issuer: client.clientId,
        subject: client.clientId,
        audience: [request.url, `${url.origin}${url.pathname}`],
        currentDate: new Date((options.clock ?? Date).now()),
        requiredClaims: ["exp", "jti"],
      });
      const now = (options.clock ?? Date).now() / 1000;
      if ((payload.exp ?? 0) - now > MAX_ASSERTION_SECONDS) return refused("client assertion lives too long");
      if (options.seenAssertions?.has(payload.jti ?? "")) return refused("client assertion replayed");
      options.seenAssertions?.add(payload.jti ?? "");
    } catch {
      return refused("client assertion refused");
    }
    return { ok: true, client, method: "private_key_jwt" };
  }
  const client = find("tls_client_auth", bodyId);
  return client?.tlsClientAuth === true ? { ok: true, client, method: "tls_client_auth" } : refused("client authentication failed");
}
