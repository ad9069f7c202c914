import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { AuthEvent, Logger, TokenStore } from "@payauth/auth-core";
import { createHandlersFetch, createManualClock } from "@payauth/auth-core/testing";
import { createOpenTelemetryInstrument } from "@payauth/opentelemetry";
import { describe, expect, it } from "vitest";
import { Tally } from "./ledger.js";
import { targets, type FaultTarget } from "./providers.js";

const ORIGIN = "https://api.faults.test";
const PING = "/payauth-conformance/ping";

export interface ObservabilityFaults {
  secrets: readonly string[];
  /** The secret as a server may echo it, in each encoding (`id`: the client id sent with it). */
  echoes: Record<string, (secret: string, id: string) => string>;
  /** Where a token endpoint puts the echo. */
  shapes: Record<string, (target: FaultTarget, echo: string) => Response>;
}

/**
 * Issue 17: what a client tells about itself holds no secret and no token. For every provider,
 * with the OpenTelemetry instrument (real SDK, in-memory exporters), a logger and `onEvent` all
 * on: a token endpoint echoing the secret in every encoding and place, a stall past the timeout,
 * a store whose errors carry the secret and the token, a token served, revoked and replaced by an
 * API 401 and a replay. Every span (name, attributes, status, events), every metric (name,
 * description, data point attributes), every log line and every event is searched for every form
 * of the secrets and for every token issued.
 */
export function describeObservability({ secrets, echoes, shapes }: ObservabilityFaults): void {
  describe.each(targets)("$name: spans, metrics, log lines and events", (target) => {
    it("show no form of a secret and no token, whatever the token endpoint and the store say", async () => {
      const tokens: string[] = [];
      const tally = new Tally(target.name, "spans, metric attributes, log lines and events", () => [...secrets, target.credentials.clientSecret, ...tokens]);
      const spans = new InMemorySpanExporter();
      const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
      const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
      const meterProvider = new MeterProvider({ readers: [reader] });
      const instrument = createOpenTelemetryInstrument({ tracerProvider, meterProvider });
      const lines: string[] = [];
      const line = (message: string) => void lines.push(message);
      const logger: Logger = { debug: line, info: line, warn: line, error: line };
      const events: AuthEvent[] = [];
      const observed = { instrument, logger, onEvent: (event: AuthEvent) => void events.push(event) };

      // 1. A token endpoint that echoes the secret, in every encoding and place.
      for (const secret of secrets) {
        for (const echo of Object.values(echoes)) {
          for (const shape of Object.values(shapes)) {
            const client = target.createClient({
              origin: ORIGIN,
              clientSecret: secret,
              retry: { maxAttempts: 1 },
              ...observed,
              fetch: async (request) => {
                tally.row.tokenRequests++;
                const sent = (await request.json()) as Record<string, unknown>;
                return shape(target, echo(String(sent["client_secret"] ?? sent["clientSecret"]), String(sent["client_id"] ?? sent["clientId"])));
              },
            });
            tally.row.faults++;
            tally.row.minimumTokenRequests++;
            await tally.call(() => client.auth.getToken());
          }
        }
      }

      // 2. A token endpoint that never answers (timeout, then a retry that times out too).
      const stalled = target.createClient({ origin: ORIGIN, clientSecret: secrets[0]!, timeoutMs: 50, retry: { maxAttempts: 2, baseDelayMs: 1 }, ...observed, fetch: () => new Promise<Response>(() => {}) });
      tally.row.faults++;
      tally.row.tokenRequests += 2;
      tally.row.minimumTokenRequests += 2;
      await tally.call(() => stalled.auth.getToken());

      // 3. The provider's fake: a token served, a store whose errors carry the secret and the token,
      // a revocation the API answers 401 to (replaced, replayed), a forced refresh.
      const clock = createManualClock();
      const fake = target.createFake({ clock });
      const { clientSecret } = target.credentials;
      const leaky: TokenStore = {
        get: async () => {
          throw new Error(`GET failed: AUTH ${clientSecret} at redis://user:${clientSecret}@cache:6379`);
        },
        set: async (key, token) => {
          throw new Error(`SET ${key} ${JSON.stringify(token)} failed: ${clientSecret}`);
        },
        delete: async () => {},
      };
      const client = target.createClient({ origin: ORIGIN, clock, tokenStore: leaky, ...observed, fetch: createHandlersFetch(fake.handlers) });
      tally.row.faults += 2;
      for (let i = 0; i < 3; i++) {
        const token = await tally.call(() => client.auth.getToken());
        if (token) tokens.push(token.accessToken);
        await tally.call(() => client.GET(PING), ({ response }) => response.ok);
      }
      fake.revokeToken();
      await tally.call(() => client.GET(PING), ({ response }) => response.ok);
      const replaced = await tally.call(() => client.auth.getToken({ forceRefresh: true }));
      if (replaced) tokens.push(replaced.accessToken);
      const last = await tally.call(() => client.auth.getToken());
      if (last) tokens.push(last.accessToken);
      tally.row.tokenRequests += fake.stats.tokenRequests;
      tally.row.minimumTokenRequests += 3;

      // Everything that was told, searched.
      await reader.forceFlush();
      const told = {
        spans: spans.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })) })),
        metrics: metrics
          .getMetrics()
          .flatMap((r) => r.scopeMetrics.flatMap((scope) => scope.metrics))
          .map((m) => ({ name: m.descriptor.name, description: m.descriptor.description, points: m.dataPoints.map((p) => p.attributes) })),
        lines,
        events,
      };
      tally.scan(told);
      await meterProvider.shutdown();
      await tracerProvider.shutdown();

      expect(told.spans.length).toBeGreaterThanOrEqual(secrets.length * Object.keys(echoes).length * Object.keys(shapes).length + 3);
      expect(told.spans.some((s) => s.attributes["error.type"] === "timeout" && s.status.code === 2)).toBe(true);
      expect(told.spans.some((s) => s.attributes["payauth.token.source"] === "fetched")).toBe(true);
      expect(told.metrics.map((m) => m.name)).toEqual(expect.arrayContaining(["payauth.token.requests", "payauth.token.cache.lookups", "payauth.token.store.failures", "payauth.request.replays"]));
      expect(lines.some((l) => l.includes("token-store-failed") && l.includes("[REDACTED]"))).toBe(true);
      expect(lines.some((l) => l.includes("request-replayed"))).toBe(true);
      expect(tokens.length).toBeGreaterThanOrEqual(2);
      expect(tally.row.untyped).toBe(0);
      expect(tally.row.secretsSeen).toBe(0);
    });
  });
}
