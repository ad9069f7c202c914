import { metrics, SpanKind, SpanStatusCode, trace, type Attributes, type Counter, type Histogram, type MeterProvider, type TracerProvider } from "@opentelemetry/api";
import type { AccessToken, Acquisition, AuthError, AuthEvent, Instrument } from "@payauth/auth-core";

/** The instrumentation scope of every span and metric: this package. */
export const INSTRUMENTATION_NAME = "@payauth/opentelemetry";

/** The span of a cold token acquisition. */
export const ACQUIRE_SPAN_NAME = "payauth token acquire";

/** The metrics this package records, by name (see the README for units and attributes). */
export const METRICS = {
  /** Counter: token requests sent to the token endpoint, by `payauth.provider`, `payauth.outcome` (`success`, `failure`) and `error.type`. */
  tokenRequests: "payauth.token.requests",
  /** Counter: failed token requests that were tried again, by `payauth.provider` and `error.type`. */
  tokenRetries: "payauth.token.retries",
  /** Histogram (s): how long a call waited for a token it did not have, by `payauth.provider`, `payauth.token.source` and `error.type`. */
  acquireDuration: "payauth.token.acquire.duration",
  /** Counter: tokens looked up by calls, by `payauth.provider` and `payauth.cache.result` (`hit`, `miss`, `stale`). */
  cacheLookups: "payauth.token.cache.lookups",
  /** Counter: circuit-breaker openings, by `payauth.provider` and `error.type` (the last failure). */
  circuitOpenings: "payauth.circuit_breaker.openings",
  /** Counter: calls refused by the scope check before they were sent, by `payauth.provider` and `payauth.operation`. */
  scopeRefusals: "payauth.scope_check.refusals",
  /** Counter: API requests replayed with a new token after a 401, by `payauth.provider` and `http.response.status_code` (the replay's). */
  replays: "payauth.request.replays",
  /** Counter: token store failures, by `payauth.provider` and `payauth.store.operation`. */
  storeFailures: "payauth.token.store.failures",
  /** Counter: store reads that found a value none of the store's keys decrypts, by `payauth.provider`. */
  storeUndecryptable: "payauth.token.store.undecryptable",
} as const;

export interface OpenTelemetryInstrumentOptions {
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`), looked up as it is when a span starts. */
  tracerProvider?: TracerProvider | undefined;
  /** Where metrics go. Default: the global meter provider (`metrics.getMeterProvider()`), looked up again when it changes. */
  meterProvider?: MeterProvider | undefined;
}

/** Durations a token acquisition takes: a cache or store read in milliseconds, a token request in tens to hundreds, a failing one up to 40 s. */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40];

interface Instruments {
  requests: Counter;
  retries: Counter;
  duration: Histogram;
  lookups: Counter;
  openings: Counter;
  refusals: Counter;
  replays: Counter;
  storeFailures: Counter;
  undecryptable: Counter;
}

/**
 * The `instrument` option of every `@payauth` client: with it, a call that has no fresh token
 * runs its token acquisition as a span (`payauth token acquire`, a child of the caller's active
 * span, with the token HTTP request as its child when HTTP instrumentation is on), and the
 * token lifecycle is counted in metrics (`METRICS`). Attributes follow OpenTelemetry's HTTP
 * semantic conventions where they apply (`http.response.status_code`, `error.type`); payauth's
 * own are under `payauth.`. No secret or token is ever in a span or a metric.
 *
 * ```ts
 * const maxpay = createMaxPayClient({ baseUrl, clientId, clientSecret, instrument: createOpenTelemetryInstrument() });
 * ```
 *
 * One instrument may serve any number of clients, of any provider.
 */
export function createOpenTelemetryInstrument(options: OpenTelemetryInstrumentOptions = {}): Instrument {
  const tracerProvider = options.tracerProvider;
  // A meter provider set after this instrument was made (the global one) is picked up: the API has no proxy for metrics.
  let meterProvider: MeterProvider | undefined;
  let instruments: Instruments | undefined;
  const record = (): Instruments => {
    const provider = options.meterProvider ?? metrics.getMeterProvider();
    if (instruments === undefined || provider !== meterProvider) {
      meterProvider = provider;
      const meter = provider.getMeter(INSTRUMENTATION_NAME);
      instruments = {
        requests: meter.createCounter(METRICS.tokenRequests, { unit: "{request}", description: "Token requests sent to the token endpoint, by outcome" }),
        retries: meter.createCounter(METRICS.tokenRetries, { unit: "{request}", description: "Failed token requests that were tried again" }),
        duration: meter.createHistogram(METRICS.acquireDuration, {
          unit: "s",
          description: "How long a call waited for a token it did not have (cache miss, store read, token request)",
          advice: { explicitBucketBoundaries: BUCKETS },
        }),
        lookups: meter.createCounter(METRICS.cacheLookups, { unit: "{lookup}", description: "Tokens looked up by calls: hit (this process's token), miss (store or token request), stale" }),
        openings: meter.createCounter(METRICS.circuitOpenings, { unit: "{opening}", description: "Circuit-breaker openings: token requests paused after failures in a row" }),
        refusals: meter.createCounter(METRICS.scopeRefusals, { unit: "{call}", description: "Calls refused before sending: the token lacks a scope the operation needs" }),
        replays: meter.createCounter(METRICS.replays, { unit: "{request}", description: "API requests replayed with a new token after a 401" }),
        storeFailures: meter.createCounter(METRICS.storeFailures, { unit: "{operation}", description: "Token store operations that failed" }),
        undecryptable: meter.createCounter(METRICS.storeUndecryptable, { unit: "{read}", description: "Store reads that found a value none of the store's keys decrypts" }),
      };
    }
    return instruments;
  };

  const instrument = <T>(_operation: "acquire", acquisition: Acquisition, run: () => Promise<T>): Promise<T> => {
    const tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
    const provider = acquisition.provider;
    return tracer.startActiveSpan(ACQUIRE_SPAN_NAME, { kind: SpanKind.INTERNAL, attributes: { "payauth.provider": provider } }, async (span) => {
      const started = performance.now();
      const attributes: Attributes = { "payauth.provider": provider };
      try {
        const result = await run();
        attributes["payauth.token.source"] = acquisition.source;
        attributes["payauth.token.attempts"] = acquisition.attempts ?? 0;
        return result;
      } catch (error) {
        // An AuthError's message holds no secret (payauth redacts it); of anything else, its name only.
        const authError = error instanceof Error && error.name === "AuthError" ? (error as AuthError) : undefined;
        attributes["error.type"] = authError?.code ?? (error instanceof Error ? error.name : "Error");
        attributes["payauth.token.attempts"] = authError?.attempts ?? 0;
        if (authError?.status !== undefined) attributes["http.response.status_code"] = authError.status;
        span.setStatus({ code: SpanStatusCode.ERROR, message: authError?.message ?? String(attributes["error.type"]) });
        throw error;
      } finally {
        span.setAttributes(attributes);
        span.end();
        const { lookups, duration } = record();
        const source = acquisition.source;
        const failed = attributes["error.type"] !== undefined;
        duration.record((performance.now() - started) / 1000, failed ? { "payauth.provider": provider, "error.type": attributes["error.type"] } : { "payauth.provider": provider, "payauth.token.source": source });
        lookups.add(1, { "payauth.provider": provider, "payauth.cache.result": source === "cache" ? "hit" : source === "stale" ? "stale" : "miss" });
      }
    });
  };

  const onEvent = (event: AuthEvent): void => {
    const provider = { "payauth.provider": event.provider };
    const m = record();
    switch (event.type) {
      case "token-fetched":
        // Its attempts before the last one failed (and were retried).
        m.requests.add(1, { ...provider, "payauth.outcome": "success" });
        if (event.attempts > 1) m.requests.add(event.attempts - 1, { ...provider, "payauth.outcome": "failure" });
        break;
      case "token-request-failed":
        if (event.attempts > 0) m.requests.add(event.attempts, { ...provider, "payauth.outcome": "failure", "error.type": event.code });
        break;
      case "token-request-retried":
        m.retries.add(1, { ...provider, "error.type": event.code });
        break;
      case "circuit-opened":
        m.openings.add(1, { ...provider, "error.type": event.code });
        break;
      case "scope-check-refused":
        m.refusals.add(1, { ...provider, "payauth.operation": event.operation });
        break;
      case "request-replayed":
        m.replays.add(1, { ...provider, "http.response.status_code": event.status });
        break;
      case "token-store-failed":
        m.storeFailures.add(1, { ...provider, "payauth.store.operation": event.operation });
        break;
      case "token-store-undecryptable":
        m.undecryptable.add(1, provider);
        break;
      default:
        // token-served-stale and token-request-refused: in the acquisition's span and `payauth.token.cache.lookups`.
        break;
    }
  };

  // Every call a warm token serves is a cache hit: counted by wrapping each client's peekToken (what the auth
  // middleware asks first), with one attributes object per provider.
  const hitAttributes = new Map<string, Attributes>();
  const attach = (manager: { readonly provider: string; peekToken(): AccessToken | undefined }): void => {
    const { provider } = manager;
    let attributes = hitAttributes.get(provider);
    if (attributes === undefined) hitAttributes.set(provider, (attributes = { "payauth.provider": provider, "payauth.cache.result": "hit" }));
    const hit = attributes;
    const peek = manager.peekToken;
    manager.peekToken = function (this: typeof manager) {
      const token = peek.call(this);
      if (token !== undefined) record().lookups.add(1, hit);
      return token;
    };
  };

  return Object.assign(instrument, { onEvent, attach });
}
