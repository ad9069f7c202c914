import { AuthError } from "./auth-error.js";
import type { SecretSupplier } from "./create-credential.js";
import { redactError } from "./redact.js";
import type { TokenEndpointRequest } from "./request-token.js";
import type { Clock } from "./types.js";
import { InvalidOptionError, requireString } from "./validate-options.js";

/** The client authentication methods of RFC 6749 §2.3.1, RFC 7523 and RFC 8705, by their registered names. */
export type ClientAuthenticationMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "tls_client_auth";

/** The algorithms a `private_key_jwt` client assertion may be signed with. */
export type ClientAssertionAlgorithm = "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512" | "EdDSA";

/** A private key as a JWK (RFC 7517): `kty`, its public members and the private `d` (checked when the client is created). */
export interface PrivateJwk {
  kty?: string | undefined;
  d?: string | undefined;
  [member: string]: unknown;
}

/**
 * A private key: a PEM string (PKCS #8; PKCS #1 and SEC 1 too where `node:crypto` is), a private
 * JWK, or a Node `KeyObject` (or an extractable Web Crypto `CryptoKey`) of type `private`.
 */
export type PrivateKeyInput = string | PrivateJwk | { readonly type: string };

/** `private_key_jwt` (RFC 7523 §2.2): each token request carries a client assertion signed with your private key. */
export interface PrivateKeyJwtOptions {
  method: "private_key_jwt";
  privateKey: PrivateKeyInput;
  /** The `kid` header, the id under which the provider knows the public key. Default: the JWK's `kid`, else none. */
  keyId?: string | undefined;
  /** Default: the JWK's `alg`, else RS256 for RSA, ES256 / ES384 / ES512 for P-256 / P-384 / P-521, EdDSA for Ed25519. */
  algorithm?: ClientAssertionAlgorithm | undefined;
}

/** The methods that authenticate with `clientSecret`. */
export type SecretClientAuthentication = "client_secret_basic" | "client_secret_post";

/**
 * The methods that authenticate with a key, without `clientSecret`. With `tls_client_auth`
 * (RFC 8705 §2.1) the certificate lives in the transport: pass a `fetch` whose connections
 * present it (undici's `Agent` with `connect: { cert, key }`); the body carries `client_id`.
 */
export type KeyClientAuthentication = PrivateKeyJwtOptions | "tls_client_auth";

/** How the client authenticates to the token endpoint, where the provider accepts several. */
export type ClientAuthentication = SecretClientAuthentication | KeyClientAuthentication;

/** `Options` for a client that authenticates with a key: `clientAuthentication` required, no `clientSecret`. */
export type WithClientKey<Options extends { clientSecret: unknown }> = Omit<Options, "clientSecret" | "clientAuthentication"> & {
  clientSecret?: undefined;
  clientAuthentication: KeyClientAuthentication;
};

/** What a method is prepared with when a client is created. */
export interface ClientAuthenticationContext {
  provider: string;
  clientId: string;
  /** The `clientAuthentication` option as given (`undefined` for the provider's default). */
  option: unknown;
  /** The `clientSecret` option as given. */
  clientSecret: unknown;
  clock?: Clock | undefined;
}

/** A token request with the client's credential in it, and the values that must never be shown. */
export interface AuthenticatedRequest {
  request: TokenEndpointRequest;
  secrets: string[];
}

/** One client's authentication, checked when the client is created. */
export interface PreparedClientAuthentication {
  /** What the token store key is bound to: the secret (or its supplier), or the private key's canonical form. */
  credential: string | SecretSupplier;
  /**
   * The token request, authenticated: `value` is the credential's current value, `build` makes
   * the provider's request given the secret it may carry (`""` when a key authenticates).
   */
  request(value: string, build: (clientSecret: string) => TokenEndpointRequest): Promise<AuthenticatedRequest>;
}

/** A client authentication method a `ProviderDefinition` accepts (`clientAuthentication`). */
export interface ClientAuthenticator {
  readonly method: ClientAuthenticationMethod;
  /** Checks the client's options for this method (an `InvalidOptionError` when wrong). */
  prepare(context: ClientAuthenticationContext): PreparedClientAuthentication;
}

/**
 * The authentication of a provider's client: the method the user chose among the provider's
 * (`methods`, the first the default), or, for a provider that lists none, its own token
 * request carries `clientSecret`.
 */
export function resolveClientAuthentication(
  provider: string,
  clientId: string,
  methods: readonly ClientAuthenticator[] | undefined,
  options: { clientSecret?: unknown; clientAuthentication?: unknown; clock?: Clock | undefined },
): PreparedClientAuthentication {
  const option = options.clientAuthentication;
  const name = typeof option === "object" && option !== null ? (option as { method?: unknown }).method : option;
  if (methods === undefined) {
    if (option !== undefined) throw new InvalidOptionError(provider, "clientAuthentication", "is not supported by this provider");
    const credential = requireSecret(provider, options.clientSecret);
    return { credential, request: async (secret, build) => ({ request: build(secret), secrets: [secret] }) };
  }
  const method = option === undefined ? methods[0] : methods.find((m) => m.method === name);
  if (method === undefined) throw new InvalidOptionError(provider, "clientAuthentication", `must be one of ${methods.map((m) => m.method).join(", ")}`);
  return method.prepare({ provider, clientId, option, clientSecret: options.clientSecret, clock: options.clock });
}

const requireSecret = (provider: string, value: unknown): string | SecretSupplier =>
  typeof value === "function" ? (value as SecretSupplier) : requireString(provider, "clientSecret", value);

function refuseSecret(provider: string, method: string, value: unknown): void {
  if (value !== undefined) throw new InvalidOptionError(provider, "clientSecret", `is not used with ${method}: leave it out`);
}

const withBody = (request: TokenEndpointRequest, fields: Record<string, string>): TokenEndpointRequest => ({ ...request, body: { ...request.body, ...fields } });

/** RFC 6749 Appendix B: application/x-www-form-urlencoded, a space as `+`. */
const formEncode = (value: string): string => new URLSearchParams([["", value]]).toString().slice(1);

/**
 * `client_secret_basic` (RFC 6749 §2.3.1): `Authorization: Basic base64(id ":" secret)`, the id
 * and the secret each form-encoded first (a `:` or a space in either survives the trip).
 */
export const clientSecretBasic: ClientAuthenticator = {
  method: "client_secret_basic",
  prepare: ({ provider, clientId, clientSecret }) => ({
    credential: requireSecret(provider, clientSecret),
    async request(secret, build) {
      const basic = btoa(`${formEncode(clientId)}:${formEncode(secret)}`);
      const request = build(secret);
      return { request: { ...request, headers: { ...request.headers, authorization: `Basic ${basic}` } }, secrets: [secret, basic] };
    },
  }),
};

/** `client_secret_post` (RFC 6749 §2.3.1): `client_id` and `client_secret` in the request body. */
export const clientSecretPost: ClientAuthenticator = {
  method: "client_secret_post",
  prepare: ({ provider, clientId, clientSecret }) => ({
    credential: requireSecret(provider, clientSecret),
    request: async (secret, build) => ({ request: withBody(build(secret), { client_id: clientId, client_secret: secret }), secrets: [secret] }),
  }),
};

/**
 * `tls_client_auth` (RFC 8705 §2.1): the client certificate authenticates the client, in the
 * TLS connection your `fetch` makes; the body names the client (`client_id`). The token store
 * key is bound to the client id, token URL, audience and scopes, not to the certificate.
 */
export const tlsClientAuth: ClientAuthenticator = {
  method: "tls_client_auth",
  prepare({ provider, clientId, clientSecret }) {
    refuseSecret(provider, "tls_client_auth", clientSecret);
    return { credential: "tls_client_auth", request: async (_, build) => ({ request: withBody(build(""), { client_id: clientId }), secrets: [] }) };
  },
};

const ALGORITHMS: readonly string[] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Lifetime of a client assertion: one token request, with room for clock skew. */
const ASSERTION_SECONDS = 60;

type Jose = typeof import("jose");
/**
 * Imports a module at run time through a specifier bundlers do not follow: a Workers or browser
 * bundle of a provider entry builds without jose (an optional peer) or `node:crypto`, which only
 * private_key_jwt needs (on Node, Bun and Deno).
 */
const importAtRunTime = (specifier: string): Promise<unknown> => import(specifier);
interface SigningKey {
  jose: Jose;
  key: Parameters<InstanceType<Jose["SignJWT"]>["sign"]>[0];
  algorithm: string;
  keyId: string | undefined;
  /** The private key's canonical form: what the token store key is bound to. */
  canonical: string;
  /** The private part of the key (the JWK's `d`). */
  d: string;
}

/**
 * `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): each token request carries a
 * client assertion, a JWT signed with your private key whose `iss` and `sub` are the client id,
 * `aud` the token URL, with a unique `jti` and a 60 s lifetime. Signed by `jose`, an optional
 * peer dependency loaded on first use (install it: `npm i jose`). The token store key is an
 * HMAC keyed with the private key's canonical form, never the key.
 */
export const privateKeyJwt: ClientAuthenticator = {
  method: "private_key_jwt",
  prepare({ provider, clientId, option, clientSecret, clock }) {
    refuseSecret(provider, "private_key_jwt", clientSecret);
    const { privateKey, keyId, algorithm } = requirePrivateKeyJwt(provider, option);
    let loading: Promise<SigningKey> | undefined;
    const load = () => (loading ??= loadSigningKey(provider, privateKey, algorithm, keyId));
    return {
      // A key that cannot be loaded fails the token request itself, with its reason.
      credential: async () => (await load().catch(() => undefined))?.canonical ?? "private_key_jwt:unusable",
      async request(_, build) {
        const { jose, key, algorithm: alg, keyId: kid, d } = await load();
        const now = Math.floor((clock ?? Date).now() / 1000);
        const request = build("");
        const assertion = await new jose.SignJWT({})
          .setProtectedHeader(kid === undefined ? { alg } : { alg, kid })
          .setIssuer(clientId)
          .setSubject(clientId)
          .setAudience(request.url)
          .setJti(crypto.randomUUID())
          .setIssuedAt(now)
          .setExpirationTime(now + ASSERTION_SECONDS)
          .sign(key);
        return {
          request: withBody(request, { client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: assertion }),
          secrets: [assertion, d],
        };
      },
    };
  },
};

function requirePrivateKeyJwt(provider: string, option: unknown): PrivateKeyJwtOptions {
  const value = option as Partial<PrivateKeyJwtOptions> | undefined;
  const key: unknown = typeof value === "object" && value !== null ? value.privateKey : undefined;
  const isKey =
    typeof key === "string"
      ? /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)
      : typeof key === "object" && key !== null && ("kty" in key ? typeof (key as { d?: unknown }).d === "string" : (key as { type?: unknown }).type === "private");
  if (!isKey) {
    throw new InvalidOptionError(provider, "clientAuthentication", "must be { method: \"private_key_jwt\", privateKey } with a private key: a PEM string, a private JWK or a private KeyObject");
  }
  if (value?.keyId !== undefined) requireString(provider, "clientAuthentication.keyId", value.keyId);
  if (value?.algorithm !== undefined && !ALGORITHMS.includes(value.algorithm)) {
    throw new InvalidOptionError(provider, "clientAuthentication.algorithm", `must be one of ${ALGORITHMS.join(", ")}`);
  }
  return value as PrivateKeyJwtOptions;
}

/** The default algorithm of a JWK: its `alg`, else by key type and curve. */
function defaultAlgorithm(jwk: Record<string, unknown>): string | undefined {
  if (typeof jwk["alg"] === "string") return jwk["alg"];
  if (jwk["kty"] === "RSA") return "RS256";
  if (jwk["kty"] === "OKP" && jwk["crv"] === "Ed25519") return "EdDSA";
  return { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" }[String(jwk["crv"])];
}

async function loadSigningKey(provider: string, privateKey: PrivateKeyInput, algorithm: string | undefined, keyId: string | undefined): Promise<SigningKey> {
  const fail = (message: string, cause?: unknown) =>
    new AuthError({ code: "invalid-credentials", provider, message: `private_key_jwt: ${message}; no token request was sent`, cause: redactError(cause, typeof privateKey === "string" ? [privateKey] : []) });
  let jose: Jose;
  try {
    jose = (await importAtRunTime("jose")) as Jose;
  } catch (cause) {
    throw fail("the client assertion is signed with the jose package, which is not installed (npm i jose)", cause);
  }
  let jwk: Record<string, unknown>;
  try {
    if (typeof privateKey === "string") {
      const { createPrivateKey } = (await importAtRunTime("node:crypto")) as typeof import("node:crypto");
      jwk = createPrivateKey(privateKey).export({ format: "jwk" }) as Record<string, unknown>;
    } else if ("kty" in privateKey) jwk = privateKey;
    else {
      const keyObject = privateKey as { export?: (options: { format: "jwk" }) => Record<string, unknown> };
      jwk = typeof keyObject.export === "function" ? keyObject.export({ format: "jwk" }) : ((await jose.exportJWK(privateKey as CryptoKey)) as Record<string, unknown>);
    }
  } catch (cause) {
    throw fail("the private key could not be read (a PEM, a private JWK or an extractable private key is needed)", cause);
  }
  const alg = algorithm ?? defaultAlgorithm(jwk);
  if (typeof jwk["d"] !== "string" || alg === undefined) throw fail("the private key is not a private RSA, EC or Ed25519 key");
  let key: SigningKey["key"];
  try {
    key = await jose.importJWK({ ...jwk, alg, ext: false } as Parameters<Jose["importJWK"]>[0], alg);
  } catch (cause) {
    throw fail(`the private key cannot sign ${alg}`, cause);
  }
  const canonical = `private_key_jwt:${JSON.stringify([jwk["kty"], jwk["crv"] ?? null, jwk["n"] ?? jwk["x"] ?? null, jwk["y"] ?? null, jwk["d"]])}`;
  return { jose, key, algorithm: alg, d: jwk["d"], keyId: keyId ?? (typeof jwk["kid"] === "string" ? jwk["kid"] : undefined), canonical };
}
