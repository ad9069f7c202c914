import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { decodeJwt, exportJWK, generateKeyPair, type JWK } from "jose";
import Provider, { type Adapter, type AdapterPayload, type ClientMetadata } from "oidc-provider";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

/** The test PKI (see `test/fixtures/README.md`): a CA, the server's certificate and a client's, and a rogue one. */
export const pki = {
  ca: fixture("ca.crt"),
  serverCert: fixture("server.crt"),
  serverKey: fixture("server.key"),
  clientCert: fixture("client.crt"),
  clientKey: fixture("client.key"),
  rogueCert: fixture("rogue.crt"),
  rogueKey: fixture("rogue.key"),
};

/** The subject the CA-signed client certificate is registered with (`tls_client_auth_subject_dn`). */
export const MTLS_SUBJECT = "CN=payauth-mtls-client";

export interface AuthorizationServerOptions {
  /** The API the tokens are for: their `aud`, and the only resource the server knows. */
  resource: string;
  /** The scopes of that API. */
  scopes: readonly string[];
  clients: ClientMetadata[];
  /** Access token lifetime in seconds, per client. Default 3600. */
  tokenLifetime?: (clientId: string) => number;
}

export interface AuthorizationServer {
  issuer: string;
  tokenUrl: string;
  introspectionUrl: string;
  revocationUrl: string;
  jwksUrl: string;
  /** Requests to the token endpoint, and the access tokens issued. */
  readonly stats: { tokenRequests: number; tokensIssued: number };
  /** Everything the server emitted as an error event, rendered, for the secret search. */
  readonly errorEvents: string[];
  close(): Promise<void>;
}

/**
 * panva's oidc-provider 8 (an OpenID Certified authorization server) in this process, on
 * https://127.0.0.1 with the test PKI, requesting (not requiring) client certificates: the
 * `client_credentials` grant, `client_secret_basic`, `client_secret_post`, `private_key_jwt` and
 * `tls_client_auth`, JWT access tokens (RFC 9068) for one resource (RFC 8707) signed with its own
 * ES256 key, token introspection (RFC 7662) and revocation (RFC 7009).
 */
export async function startAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const server: Server = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: false });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), alg: "ES256", use: "sig", kid: "server-es256" };

  // oidc-provider keeps opaque tokens in its adapter but not JWT ones. So that its revocation
  // and introspection endpoints find a JWT access token, this adapter keeps each one issued
  // (the client_credentials.issued event) by its jti, and looks a JWT up by its jti.
  const stores = new Map<string, Map<string, { payload: AdapterPayload; expiresAt: number }>>();
  class TestAdapter implements Adapter {
    readonly store: Map<string, { payload: AdapterPayload; expiresAt: number }>;
    constructor(readonly model: string) {
      this.store = stores.get(model) ?? new Map();
      stores.set(model, this.store);
    }
    private id(id: string): string {
      if (this.model !== "ClientCredentials" || !id.includes(".")) return id;
      try {
        return decodeJwt(id).jti ?? id;
      } catch {
        return id;
      }
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      this.store.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    }
    async find(id: string) {
      const entry = this.store.get(this.id(id));
      return entry !== undefined && entry.expiresAt > Date.now() ? entry.payload : undefined;
    }
    async findByUserCode() {
      return undefined;
    }
    async findByUid() {
      return undefined;
    }
    async consume(id: string) {
      const entry = this.store.get(id);
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      this.store.delete(this.id(id));
    }
    async revokeByGrantId() {}
  }

  const tokenLifetime = options.tokenLifetime ?? (() => 3600);
  const provider = new Provider(issuer, {
    adapter: TestAdapter,
    clients: options.clients,
    // Its only signing key is ES256 (the default for ID tokens is RS256).
    clientDefaults: { id_token_signed_response_alg: "ES256", grant_types: ["client_credentials"], response_types: [] },
    // The resource server's lifetime (accessTokenTTL below) decides; this is only asked without one.
    ttl: { ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600 },
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth"],
    jwks: { keys: [signingKey] },
    cookies: { keys: ["payauth-oauth-server-tests-cookie-key"] },
    scopes: [...options.scopes],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== options.resource) throw new Error("unknown resource");
          return {
            scope: options.scopes.join(" "),
            audience: options.resource,
            accessTokenTTL: tokenLifetime(client.clientId),
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "ES256" } },
          };
        },
      },
      mTLS: {
        enabled: true,
        tlsClientAuth: true,
        getCertificate: (ctx) => (ctx.socket as TLSSocket).getPeerX509Certificate() as X509Certificate | undefined as X509Certificate,
        certificateAuthorized: (ctx) => (ctx.socket as TLSSocket).authorized,
        certificateSubjectMatches: (ctx, property, expected) =>
          property === "tls_client_auth_subject_dn" && (ctx.socket as TLSSocket).getPeerX509Certificate()?.subject === expected.replace(/,\s*/g, "\n"),
      },
    },
  });

  const stats = { tokenRequests: 0, tokensIssued: 0 };
  const errorEvents: string[] = [];
  provider.on("client_credentials.issued", (token: Record<string, unknown> & { jti: string; expiration: number; constructor: { IN_PAYLOAD: string[] } }) => {
    stats.tokensIssued++;
    // As the opaque format would store it (its iat and exp are computed, not kept on the token).
    const payload: AdapterPayload = {};
    for (const key of token.constructor.IN_PAYLOAD) if (token[key] !== undefined) (payload as Record<string, unknown>)[key] = token[key];
    const now = Math.floor(Date.now() / 1000);
    payload.iat ??= now;
    payload.exp ??= now + token.expiration;
    void new TestAdapter("ClientCredentials").upsert(token.jti, payload, payload.exp - now);
  });
  for (const event of ["grant.error", "introspection.error", "revocation.error", "server_error"]) {
    provider.on(event, (_ctx: unknown, error: Error) => errorEvents.push(`${event}: ${error.name} ${error.message} ${JSON.stringify(error)} ${error.stack ?? ""}`));
  }

  const callback = provider.callback();
  server.on("request", (request, response) => {
    if (request.method === "POST" && request.url === "/token") stats.tokenRequests++;
    callback(request, response);
  });

  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    introspectionUrl: `${issuer}/token/introspection`,
    revocationUrl: `${issuer}/token/revocation`,
    jwksUrl: `${issuer}/jwks`,
    stats,
    errorEvents,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
