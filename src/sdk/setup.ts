import { trace, type TracerProvider } from '@opentelemetry/api';
import { detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HOOKS } from '../schema/enums';
import { ID_PATTERN, MAX_ID_LENGTH } from '../schema/labels';
import { DEFAULT_LIMITS, type TelemetryLimits } from '../schema/limits';
import { ATTR, SERVICE_NAME } from '../schema/spans';
import { resolveLabelNames } from './label-names';
import { RebalanceMetricProducer, SCOPE } from './metric-producer';
import { bridgeToMeterProvider } from './meter-bridge';
import { RebalanceTelemetry } from './telemetry';
import { PlanTracing } from './tracing';
import type { RebalanceHooks, RebalanceTelemetryOptions } from './types';

export interface RebalanceTelemetryHandle extends RebalanceHooks {
  /** Every schema metric as OpenTelemetry data, for a reader the controller owns. */
  readonly metricProducer: RebalanceMetricProducer;
  /** The pull endpoint's URL when `prometheus` was given. */
  readonly prometheusUrl: string | undefined;
  forceFlush(): Promise<void>;
  /** Flushes and stops the exporters this SDK created; later hook calls are counted as rejected. */
  shutdown(): Promise<void>;
}

const DEFAULT_PROMETHEUS_PORT = 9464;

/** Builds the hooks and, unless the controller brings its own providers, the exporters behind them. */
export function createRebalanceTelemetry(options: RebalanceTelemetryOptions): RebalanceTelemetryHandle {
  const instance = {
    namespace: requireId(options?.namespace, 'namespace'),
    cluster: requireId(options?.cluster, 'cluster'),
    controller: requireId(options?.controllerId, 'controllerId'),
  };
  const limits = resolveLimits(options.limits);
  const clock = options.clock ?? Date.now;
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({
      'service.name': SERVICE_NAME,
      'service.instance.id': instance.controller,
      [ATTR.namespace]: instance.namespace,
      [ATTR.cluster]: instance.cluster,
    }),
  );

  const owned: { shutdown(): Promise<void>; forceFlush(): Promise<void> }[] = [];
  const tracerProvider = options.tracerProvider ?? ownTracerProvider(options, resource, owned);
  const telemetry = new RebalanceTelemetry(instance, limits, clock, new PlanTracing(tracerProvider.getTracer(SCOPE.name, SCOPE.version), instance));
  const producer = new RebalanceMetricProducer(telemetry, resource, resolveLabelNames(options.labelNames));

  let prometheusUrl: string | undefined;
  const readers: MetricReader[] = [];
  if (options.prometheus) {
    const host = options.prometheus.host ?? '127.0.0.1';
    const port = options.prometheus.port ?? DEFAULT_PROMETHEUS_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new TypeError('createRebalanceTelemetry: prometheus.port must be a port number from 1 to 65535');
    }
    const endpoint = options.prometheus.endpoint ?? '/metrics';
    readers.push(new PrometheusExporter({ host, port, endpoint, metricProducers: [producer] }));
    prometheusUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}${endpoint}`;
  }
  if (options.otlp) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(options.otlp.endpoint ? { url: `${options.otlp.endpoint}/v1/metrics` } : {}),
        exportIntervalMillis: options.otlp.metricExportIntervalMillis ?? envInterval() ?? 15_000,
        metricProducers: [producer],
      }),
    );
  }
  if (readers.length > 0) owned.push(new MeterProvider({ resource, readers }));
  if (options.meterProvider) bridgeToMeterProvider(options.meterProvider, telemetry, producer);

  const handle = {
    metricProducer: producer,
    prometheusUrl,
    forceFlush: async () => {
      await Promise.all(owned.map((p) => p.forceFlush()));
    },
    shutdown: async () => {
      telemetry.close();
      await Promise.allSettled(owned.map((p) => p.forceFlush()));
      await Promise.allSettled(owned.map((p) => p.shutdown()));
    },
  } as RebalanceTelemetryHandle;
  for (const hook of HOOKS) {
    (handle as unknown as Record<string, unknown>)[hook] = telemetry[hook].bind(telemetry);
  }
  return Object.freeze(handle);
}

function ownTracerProvider(
  options: RebalanceTelemetryOptions,
  resource: Resource,
  owned: { shutdown(): Promise<void>; forceFlush(): Promise<void> }[],
): TracerProvider {
  if (!options.otlp) return trace.getTracerProvider();
  const exporter = new OTLPTraceExporter(options.otlp.endpoint ? { url: `${options.otlp.endpoint}/v1/traces` } : {});
  const provider = new BasicTracerProvider({
    resource,
    // The SDK holds at most maxLivePlans open plan spans; the queue bounds what waits for export.
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 8192, maxExportBatchSize: 512 })],
  });
  owned.push(provider);
  return provider;
}

/** Bad options are a programming error at start-up, the one place this SDK throws. */
function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH || !ID_PATTERN.test(value)) {
    throw new TypeError(`createRebalanceTelemetry: ${field} must be 1-${MAX_ID_LENGTH} characters of [A-Za-z0-9._:/@-]`);
  }
  return value;
}

function resolveLimits(overrides: Partial<TelemetryLimits> | undefined): TelemetryLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new TypeError(`createRebalanceTelemetry: limits.${key} must be a positive integer`);
    }
  }
  return limits;
}

function envInterval(): number | undefined {
  const raw = process.env.OTEL_METRIC_EXPORT_INTERVAL;
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
