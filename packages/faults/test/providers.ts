import type { AuthEvent, ClientAuth, Clock, FetchLike, Instrument, Logger, RetryOptions, TokenStore } from "@payauth/auth-core";
import type { ProviderFake } from "@payauth/auth-core/testing";
import type { ConformancePaths } from "@payauth/conformance";
import { createAutopayClient } from "@payauth/autopay";
import { autopayFakeCredentials, createAutopayFake } from "@payauth/autopay/testing";
import { createGetpaidClient } from "@payauth/getpaid";
import { createGetpaidFake, getpaidFakeCredentials } from "@payauth/getpaid/testing";
import { createMaxPayClient } from "@payauth/maxpay";
import { createMaxPayFake, maxPayFakeCredentials } from "@payauth/maxpay/testing";
import { createPayMeClient } from "@payauth/payme";
import { createPayMeFake, payMeFakeCredentials } from "@payauth/payme/testing";

export interface ClientOptions {
  origin: string;
  clientSecret?: string;
  fetch?: FetchLike;
  clock?: Clock;
  retry?: RetryOptions;
  timeoutMs?: number;
  onEvent?: (event: AuthEvent) => void;
  logger?: Logger;
  instrument?: Instrument;
  tokenStore?: TokenStore;
}

type Client = { auth: ClientAuth<string>; GET(path: "/payauth-conformance/ping"): Promise<{ response: Response }> };

export interface FaultTarget {
  name: string;
  credentials: { clientId: string; clientSecret: string };
  createClient(options: ClientOptions): Client;
  createFake(options?: { clock?: Clock }): ProviderFake;
  /** A well-formed token response of this provider. */
  tokenBody(accessToken: string, expiresIn: unknown): Record<string, unknown>;
  /** A well-formed error body of this provider with an arbitrary code. */
  errorBody(code: string, message: string): Record<string, unknown>;
}

const common = (o: ClientOptions) => ({
  baseUrl: o.origin,
  ...(o.fetch ? { fetch: o.fetch } : {}),
  ...(o.clock ? { clock: o.clock } : {}),
  ...(o.retry ? { retry: o.retry } : {}),
  ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  ...(o.logger ? { logger: o.logger } : {}),
  ...(o.instrument ? { instrument: o.instrument } : {}),
  ...(o.tokenStore ? { tokenStore: o.tokenStore } : {}),
});

export const targets: FaultTarget[] = [
  {
    name: "maxpay",
    credentials: maxPayFakeCredentials,
    createClient: (o) => createMaxPayClient<ConformancePaths>({ ...maxPayFakeCredentials, ...common(o), ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}) }),
    createFake: (o = {}) => createMaxPayFake(o),
    tokenBody: (accessToken, expiresIn) => ({ accessToken, tokenType: "Bearer", expiresIn, scope: "clients:read" }),
    errorBody: (code, message) => ({ code, message }),
  },
  {
    name: "payme",
    credentials: payMeFakeCredentials,
    createClient: (o) =>
      createPayMeClient<ConformancePaths>({ environment: "preprod", ...payMeFakeCredentials, ...common(o), tokenUrl: `${o.origin}/token`, ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}) }),
    createFake: (o = {}) => createPayMeFake(o),
    tokenBody: (accessToken, expiresIn) => ({
      action: "authorize",
      success: true,
      access_token: accessToken,
      scope: "create:token",
      expires_in: expiresIn,
      token_type: "Bearer",
      authorization: { meta: { status: { code: "00", message_ilgn: [{ locale: "es_PE", value: "Access Token creado" }] } } },
    }),
    errorBody: (code, message) => ({ action: "authorize", success: false, authorization: { meta: { status: { code, message_ilgn: [{ locale: "es_PE", value: message }] } } } }),
  },
  {
    name: "getpaid",
    credentials: getpaidFakeCredentials.sandbox,
    createClient: (o) =>
      createGetpaidClient<ConformancePaths>({ environment: "sandbox", ...getpaidFakeCredentials.sandbox, ...common(o), tokenUrl: `${o.origin}/oauth/token`, ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}) }),
    createFake: (o = {}) => createGetpaidFake(o),
    tokenBody: (accessToken, expiresIn) => ({ access_token: accessToken, token_type: "bearer", expires_in: expiresIn }),
    errorBody: (error, error_description) => ({ error, error_description }),
  },
  {
    name: "autopay",
    credentials: autopayFakeCredentials,
    createClient: (o) => createAutopayClient<ConformancePaths>({ ...autopayFakeCredentials, ...common(o), tokenUrl: `${o.origin}/oauth/token`, ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}) }),
    createFake: (o = {}) => createAutopayFake(o),
    tokenBody: (accessToken, expiresIn) => ({ access_token: accessToken, scope: "customer_club", expires_in: expiresIn, token_type: "Bearer" }),
    errorBody: (error, error_description) => ({ error, error_description }),
  },
];
