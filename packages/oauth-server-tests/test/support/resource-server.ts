import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchLike } from "@payauth/auth-core";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type { AuthorizationServer } from "./authorization-server.js";

export interface ResourceServerConnection {
  authorizationServer: AuthorizationServer;
  /** Its own credentials at the authorization server, for introspection. */
  introspectionClient: { clientId: string; clientSecret: string };
  /** Makes requests to the authorization server (its certificate is from the test CA). */
  fetch: FetchLike;
}

export interface ResourceServer {
  /** The API's origin, which is also the audience its tokens must have. */
  url: string;
  /** Calls answered 200, and calls refused with 401. */
  readonly stats: { accepted: number; refused: number };
  /** The access tokens it accepted, in order. */
  readonly acceptedTokens: string[];
  /** Where its tokens come from: set once the authorization server (which needs this server's URL as its resource) is up. */
  connect(connection: ResourceServerConnection): void;
  close(): Promise<void>;
}

/**
 * A resource server on http://127.0.0.1 whose `GET /payments` accepts a Bearer JWT access token
 * only when its signature verifies against the authorization server's JWKS (jose), its issuer
 * and audience are right (the audience is this server's URL), it has the `payments:read` scope,
 * and the authorization server's introspection endpoint says it is still active (so that a
 * revoked token is refused at once). Anything else is a 401 with an RFC 6750 `WWW-Authenticate`.
 */
export async function startResourceServer(): Promise<ResourceServer> {
  let connection: ResourceServerConnection | undefined;
  let jwks: ReturnType<typeof createLocalJWKSet> | undefined;
  const stats = { accepted: 0, refused: 0 };
  const acceptedTokens: string[] = [];
  let url = "";

  async function check(authorization: string | undefined): Promise<{ clientId: string; aud: string } | undefined> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
    if (token === undefined || connection === undefined) return undefined;
    const { authorizationServer: as, introspectionClient, fetch } = connection;
    try {
      jwks ??= createLocalJWKSet((await (await fetch(new Request(as.jwksUrl))).json()) as JSONWebKeySet);
      const { payload } = await jwtVerify(token, jwks, { issuer: as.issuer, audience: url, typ: "at+jwt", algorithms: ["ES256"] });
      if (!String(payload["scope"] ?? "").split(" ").includes("payments:read")) return undefined;
      const introspection = await fetch(
        new Request(as.introspectionUrl, {
          method: "POST",
          headers: { authorization: `Basic ${btoa(`${introspectionClient.clientId}:${introspectionClient.clientSecret}`)}`, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ token, token_type_hint: "access_token" }),
        }),
      );
      const active = ((await introspection.json()) as { active?: unknown }).active === true;
      if (!active) return undefined;
      acceptedTokens.push(token);
      return { clientId: String(payload["client_id"]), aud: String(payload.aud) };
    } catch {
      return undefined;
    }
  }

  const server: Server = createServer((request, response) => {
    void check(request.headers.authorization).then((accepted) => {
      if (request.url !== "/payments" || request.method !== "GET") {
        response.writeHead(404).end();
      } else if (accepted === undefined) {
        stats.refused++;
        response.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"', "content-type": "application/json" }).end('{"error":"invalid_token"}');
      } else {
        stats.accepted++;
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(accepted));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stats,
    acceptedTokens,
    connect: (value) => {
      connection = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
