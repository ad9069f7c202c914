import { context, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { createMaxPayClient, createMemoryTokenStore, isAuthError, type MaxPayClientOptions } from "@payauth/maxpay";
import { createHandlersFetch, createManualClock, createMaxPayFake, maxPayFakeCredentials, type FakeServer, type MaxPayFake } from "@payauth/maxpay/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACQUIRE_SPAN_NAME, createOpenTelemetryInstrument, METRICS } from "../src/index.js";

const SECRET = maxPayFakeCredentials.clientSecret;

// One context manager for the file (context propagation through async/await), as an app's SDK sets it.
const contextManager = new AsyncLocalStorageContextManager();
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
// Per test: shutting a meter provider down stops its exporter for good.
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;
// Node's fetch is undici: its instrumentation makes the HTTP client spans.
// (Made enabled: one made with `enabled: false` ignores every request even once enabled.)
const undici = new UndiciInstrumentation();
let tracer: Tracer;

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  undici.setTracerProvider(tracerProvider);
  tracer = tracerProvider.getTracer("test");
});
afterAll(async () => {
  undici.disable();
  context.disable();
  await tracerProvider.shutdown();
});

const servers: FakeServer[] = [];
beforeEach(() => {
  spans.reset();
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  meterProvider = new MeterProvider({ readers: [reader] });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await meterProvider.shutdown();
});

/** A Max Pay fake on loopback HTTP, and a client on it with the instrument. */
async function served(fakeOptions: Parameters<typeof createMaxPayFake>[0] = {}, clientOptions: Partial<MaxPayClientOptions> = {}) {
  const fake = createMaxPayFake(fakeOptions);
  const server = await fake.serve();
  servers.push(server);
  const instrument = createOpenTelemetryInstrument({ tracerProvider, meterProvider });
  const client = createMaxPayClient({ baseUrl: server.url, ...maxPayFakeCredentials, instrument, ...clientOptions });
  return { fake, server, client, instrument };
}

/** Runs `work` inside a span of the caller's, as an app's own instrumentation would. */
async function inSpan<T>(name: string, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, async (span) => {
    try {
      return await work();
    } finally {
      span.end();
    }
  });
}

const finished = (): ReadableSpan[] => spans.getFinishedSpans();
const named = (name: string): ReadableSpan[] => finished().filter((s) => s.name === name);
const childrenOf = (parent: ReadableSpan): ReadableSpan[] => finished().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const urlOf = (span: ReadableSpan): string => String(span.attributes["url.full"] ?? "");

async function collected() {
  await reader.forceFlush();
  const resource = metricExporter.getMetrics().at(-1);
  return (resource?.scopeMetrics ?? []).flatMap((scope) => scope.metrics);
}

/** The data points of metric `name`, as `[attributes, value]`. */
async function points(name: string): Promise<[Record<string, unknown>, unknown][]> {
  const metric = (await collected()).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p: DataPoint<unknown>) => [p.attributes, p.value]);
}

async function sum(name: string, match: Record<string, unknown> = {}): Promise<number> {
  return (await points(name)).filter(([attributes]) => Object.entries(match).every(([k, v]) => attributes[k] === v)).reduce((total, [, value]) => total + (value as number), 0);
}

describe("@payauth/opentelemetry: traces", () => {
  it("a call on a cold cache: the token acquisition is a child of the caller's span, and the token HTTP request its child", async () => {
    const { client } = await served();

    await inSpan("checkout", async () => {
      const { data } = await client.GET("/v1/me");
      expect(data).toBeDefined();
    });

    const [checkout] = named("checkout");
    const [acquire, ...more] = named(ACQUIRE_SPAN_NAME);
    expect(more).toEqual([]);
    expect(acquire!.parentSpanContext?.spanId).toBe(checkout!.spanContext().spanId);
    expect(acquire!.kind).toBe(SpanKind.INTERNAL);
    expect(acquire!.attributes).toEqual({ "payauth.provider": "maxpay", "payauth.token.source": "fetched", "payauth.token.attempts": 1 });
    expect(acquire!.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(acquire!.instrumentationScope.name).toBe("@payauth/opentelemetry");

    // The login is the acquisition's child; the API call is the caller's.
    const [login] = childrenOf(acquire!);
    expect(login!.kind).toBe(SpanKind.CLIENT);
    expect(urlOf(login!)).toMatch(/\/v1\/auth\/login$/);
    expect(login!.attributes["http.response.status_code"]).toBe(200);
    const api = childrenOf(checkout!).filter((s) => s.kind === SpanKind.CLIENT);
    expect(api.map(urlOf)).toEqual([expect.stringMatching(/\/v1\/me$/)]);
  });

  it("a warm call makes no acquisition span; 20 concurrent cold calls make one token request, each caller's wait its own span", async () => {
    const { client, fake } = await served();

    await Promise.all(Array.from({ length: 20 }, (_, i) => inSpan(`call-${i}`, () => client.GET("/v1/me"))));
    expect(fake.stats.tokenRequests).toBe(1);
    const acquires = named(ACQUIRE_SPAN_NAME);
    expect(acquires).toHaveLength(20);
    expect(new Set(acquires.map((s) => s.attributes["payauth.token.source"]))).toEqual(new Set(["fetched"]));
    // One login span, under one of the acquisitions.
    const logins = finished().filter((s) => urlOf(s).endsWith("/v1/auth/login"));
    expect(logins).toHaveLength(1);
    expect(acquires.map((s) => s.spanContext().spanId)).toContain(logins[0]!.parentSpanContext?.spanId);

    spans.reset();
    await inSpan("warm", () => client.GET("/v1/me"));
    expect(named(ACQUIRE_SPAN_NAME)).toEqual([]);
  });

  it("a failed acquisition: status ERROR, error.type the AuthError code, the token endpoint's HTTP status, the attempts", async () => {
    const { client } = await served({}, { clientSecret: "not-the-secret-1" });

    const error = await inSpan("checkout", () => client.GET("/v1/me")).catch((e: unknown) => e);
    expect(isAuthError(error, "invalid-credentials")).toBe(true);

    const [acquire] = named(ACQUIRE_SPAN_NAME);
    expect(acquire!.status.code).toBe(SpanStatusCode.ERROR);
    expect(acquire!.status.message).toBe((error as Error).message);
    expect(acquire!.attributes).toMatchObject({ "payauth.provider": "maxpay", "error.type": "invalid-credentials", "http.response.status_code": 401, "payauth.token.attempts": 1 });
    expect(acquire!.attributes["payauth.token.source"]).toBeUndefined();
  });

  it("a stalled token endpoint: error.type timeout after 2 attempts, and the error says where, how often and how long", async () => {
    const { client, fake } = await served({}, { timeoutMs: 300, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    fake.failNext("token", { kind: "stall", status: 0 }, 2);

    const error = await inSpan("checkout", () => client.GET("/v1/me")).catch((e: unknown) => e);
    expect(isAuthError(error, "timeout")).toBe(true);
    const authError = error as Error & { attempts?: number; elapsedMs?: number };
    expect(authError.message).toMatch(/^@payauth\/maxpay: token request to 127\.0\.0\.1:\d+ timed out after 300 ms \(2 attempts in \d+\.\d s\)$/);
    expect(authError.attempts).toBe(2);
    expect(authError.elapsedMs).toBeGreaterThanOrEqual(600);

    const [acquire] = named(ACQUIRE_SPAN_NAME);
    expect(acquire!.status.code).toBe(SpanStatusCode.ERROR);
    expect(acquire!.attributes).toMatchObject({ "error.type": "timeout", "payauth.token.attempts": 2 });
    // Each login attempt is the acquisition's child.
    expect(childrenOf(acquire!).filter((s) => urlOf(s).endsWith("/v1/auth/login"))).toHaveLength(2);
  });

  it("source: store for a token another client put in a shared store, stale for a still-valid token after a failed renewal", async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const fake = createMaxPayFake({ clock, tokenLifetimeSeconds: 3600 });
    const fetch = createHandlersFetch(fake.handlers);
    const tokenStore = createMemoryTokenStore({ clock });
    const instrument = createOpenTelemetryInstrument({ tracerProvider, meterProvider });
    const options = { baseUrl: "https://maxpay.test", ...maxPayFakeCredentials, fetch, clock, tokenStore, instrument };
    const first = createMaxPayClient(options);
    const second = createMaxPayClient(options);

    await first.GET("/v1/me");
    await inSpan("second", () => second.GET("/v1/me"));
    expect(fake.stats.tokenRequests).toBe(1);
    expect(named(ACQUIRE_SPAN_NAME).map((s) => s.attributes["payauth.token.source"])).toEqual(["fetched", "store"]);

    // In the renewal window (5 min before expiry) the token endpoint fails: the valid token is served stale.
    clock.advance(3400_000);
    fake.failNext("token", { status: 503 }, 3);
    spans.reset();
    const { response } = await second.GET("/v1/me");
    expect(response.status).toBe(200);
    const [stale] = named(ACQUIRE_SPAN_NAME);
    expect(stale!.attributes["payauth.token.source"]).toBe("stale");
    expect(stale!.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it("nothing changes without the instrument: no payauth span, even with a tracer provider registered globally", async () => {
    trace.setGlobalTracerProvider(tracerProvider);
    try {
      const fake = createMaxPayFake();
      const server = await fake.serve();
      servers.push(server);
      const client = createMaxPayClient({ baseUrl: server.url, ...maxPayFakeCredentials });
      await inSpan("checkout", () => client.GET("/v1/me"));
      expect(named(ACQUIRE_SPAN_NAME)).toEqual([]);
      expect(finished().every((s) => s.instrumentationScope.name !== "@payauth/opentelemetry")).toBe(true);
    } finally {
      trace.disable();
    }
  });
});

describe("@payauth/opentelemetry: metrics", () => {
  it("token requests by outcome, acquisition duration in seconds, cache hits, misses and stale serves, retries, replays", async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const fake = createMaxPayFake({ clock, tokenLifetimeSeconds: 3600 });
    const instrument = createOpenTelemetryInstrument({ tracerProvider, meterProvider });
    const client = createMaxPayClient({ baseUrl: "https://maxpay.test", ...maxPayFakeCredentials, fetch: createHandlersFetch(fake.handlers), clock, instrument, retry: { baseDelayMs: 1 } });

    fake.failNext("token", { status: 503 });
    await client.GET("/v1/me"); // miss: 1 failed + 1 successful token request
    for (let i = 0; i < 5; i++) await client.GET("/v1/me"); // 5 hits
    fake.revokeToken();
    await client.GET("/v1/me"); // a hit, a 401, a replay after a miss
    clock.advance(3400_000);
    fake.failNext("token", { status: 503 }, 3);
    await client.GET("/v1/me"); // stale

    expect(await sum(METRICS.tokenRequests, { "payauth.provider": "maxpay", "payauth.outcome": "success" })).toBe(2);
    expect(await sum(METRICS.tokenRequests, { "payauth.outcome": "failure" })).toBe(4);
    expect(await sum(METRICS.tokenRequests, { "payauth.outcome": "failure", "error.type": "server-error" })).toBe(3);
    expect(await sum(METRICS.tokenRetries, { "error.type": "server-error" })).toBe(3);
    expect(await sum(METRICS.cacheLookups, { "payauth.cache.result": "hit" })).toBe(6);
    expect(await sum(METRICS.cacheLookups, { "payauth.cache.result": "miss" })).toBe(2);
    expect(await sum(METRICS.cacheLookups, { "payauth.cache.result": "stale" })).toBe(1);
    expect(await sum(METRICS.replays, { "http.response.status_code": 200 })).toBe(1);

    const duration = (await collected()).find((m) => m.descriptor.name === METRICS.acquireDuration)!;
    expect(duration.descriptor.unit).toBe("s");
    const counts = duration.dataPoints.map((p) => [p.attributes["payauth.token.source"], (p.value as Histogram).count]);
    expect(Object.fromEntries(counts)).toEqual({ fetched: 2, stale: 1 });
    for (const p of duration.dataPoints) expect((p.value as Histogram).max).toBeLessThan(30);
  });

  it("circuit-breaker openings and scope-check refusals", async () => {
    const fake = createMaxPayFake({ clients: [{ ...maxPayFakeCredentials, scopes: ["clients:read"] }] });
    const instrument = createOpenTelemetryInstrument({ tracerProvider, meterProvider });
    const fetch = createHandlersFetch(fake.handlers);
    const refusing = createMaxPayClient({ baseUrl: "https://maxpay.test", clientId: "demo-client-id", clientSecret: "wrong-secret-2", fetch, instrument });
    for (let i = 0; i < 4; i++) await refusing.GET("/v1/me").catch(() => undefined);
    expect(await sum(METRICS.circuitOpenings, { "payauth.provider": "maxpay", "error.type": "invalid-credentials" })).toBe(1);

    const scoped = createMaxPayClient({ baseUrl: "https://maxpay.test", ...maxPayFakeCredentials, fetch, instrument, operationScopes: { "GET /v1/me": [["webhooks:admin"]] } });
    const error = await scoped.GET("/v1/me").catch((e: unknown) => e);
    expect(isAuthError(error, "insufficient-scope")).toBe(true);
    expect(await sum(METRICS.scopeRefusals, { "payauth.provider": "maxpay", "payauth.operation": "GET /v1/me" })).toBe(1);
  });

  it("picks up a global meter provider registered after the instrument was made", async () => {
    const instrument = createOpenTelemetryInstrument({ tracerProvider });
    const fake = createMaxPayFake();
    const client = createMaxPayClient({ baseUrl: "https://maxpay.test", ...maxPayFakeCredentials, fetch: createHandlersFetch(fake.handlers), instrument });
    const { metrics } = await import("@opentelemetry/api");
    metrics.setGlobalMeterProvider(meterProvider);
    try {
      await client.GET("/v1/me");
      expect(await sum(METRICS.tokenRequests, { "payauth.outcome": "success" })).toBe(1);
    } finally {
      metrics.disable();
    }
  });
});

export type { MaxPayFake };
