import { diag, trace, type TracerProvider } from '@opentelemetry/api';
import { detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HOOKS } from '../schema/enums';
import { ATTR, SERVICE_NAME } from '../schema/spans';
import { RebalanceMetricProducer, SCOPE } from './metric-producer';
import { bridgeToMeterProvider } from './meter-bridge';
import { RebalanceTelemetry } from './telemetry';
import { PlanTracing } from './tracing';
import { resolveOptions, type ResolvedOptions } from './options';
import { settleWithin } from './export/deadline';
import { ChunkedMetricExport } from './export/otlp-metrics';
import { PullEndpoint } from './export/pull-endpoint';
import { prometheusText } from './export/prometheus-text';
import { describeError } from './quote';
import type { RebalanceHooks, RebalanceTelemetryOptions } from './types';

export interface RebalanceTelemetryHandle extends RebalanceHooks {
  /** Every schema metric as OpenTelemetry data, for a reader the controller owns. */
  readonly metricProducer: RebalanceMetricProducer;
  /** The pull endpoint's URL when `prometheus` was given and it listens (or is about to); else undefined. */
  readonly prometheusUrl: string | undefined;
  /**
   * Resolves once the pull endpoint listens (at once without one). Rejects when it cannot — port in
   * use, address not available — after releasing everything this instance started: await it, or an
   * unhandled rejection ends the process, which is the point.
   */
  readonly ready: Promise<void>;
  /** Exports what is pending. Resolves, never rejects, within `shutdownTimeoutMillis`. */
  forceFlush(): Promise<void>;
  /**
   * Stops the hooks (later calls are counted as rejected), the pull endpoint and the exporters this
   * SDK created. Resolves, never rejects, within `shutdownTimeoutMillis`; any later call returns the same promise.
   */
  shutdown(): Promise<void>;
}

/** What this SDK started and must stop: tracer provider, OTLP metric export. */
interface Owned {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Builds the hooks and, unless the controller brings its own providers, the exporters behind them.
 * Every option is checked before anything starts, and a failure while starting releases what was
 * taken, so a retry with corrected options finds the port free.
 */
export function createRebalanceTelemetry(options: RebalanceTelemetryOptions): RebalanceTelemetryHandle {
  const config = resolveOptions(options);
  const owned: Owned[] = [];
  try {
    return start(config, owned);
  } catch (error) {
    for (const o of owned) void settleWithin([() => o.shutdown()], config.shutdownTimeoutMillis, 'release after a failed start');
    throw error;
  }
}

function start(config: ResolvedOptions, owned: Owned[]): RebalanceTelemetryHandle {
  const { instance, limits, clock } = config;
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({
      'service.name': SERVICE_NAME,
      'service.instance.id': instance.controller,
      [ATTR.namespace]: instance.namespace,
      [ATTR.cluster]: instance.cluster,
    }),
  );
  const tracerProvider = config.tracerProvider ?? ownTracerProvider(config, resource, owned);
  const telemetry = new RebalanceTelemetry(instance, limits, clock, new PlanTracing(tracerProvider.getTracer(SCOPE.name, SCOPE.version), instance));
  const producer = new RebalanceMetricProducer(telemetry, resource, config.labelNames);

  if (config.otlp) {
    const { endpoint, metricExportIntervalMillis } = config.otlp;
    const exporter = new OTLPMetricExporter({ ...(endpoint ? { url: `${endpoint}/v1/metrics` } : {}), timeoutMillis: requestTimeout(config) });
    const metrics = new ChunkedMetricExport(exporter, producer, metricExportIntervalMillis);
    owned.push(metrics);
    metrics.start();
  }
  if (config.meterProvider) bridgeToMeterProvider(config.meterProvider, telemetry, producer);

  const prometheus = config.prometheus;
  const endpoint = prometheus
    ? new PullEndpoint({
        ...prometheus,
        scrape: async function* (slice) {
          const metrics = await producer.collectMetricsSliced(slice);
          for (const chunk of prometheusText(resource, SCOPE, metrics)) {
            yield chunk;
            await slice.pause();
          }
        },
      })
    : undefined;
  let prometheusUrl = prometheus && prometheus.port !== 0 ? urlOf(prometheus.host, prometheus.port, prometheus.endpoint) : undefined;

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      telemetry.close();
      const steps = [...owned.map((o) => () => o.shutdown()), ...(endpoint ? [() => endpoint.close()] : [])];
      await settleWithin(steps, config.shutdownTimeoutMillis, 'shutdown');
      // Clients that hold a connection (or connected and sent nothing) do not hold the shutdown.
      endpoint?.destroy();
    })();
    return stopping;
  };
  const forceFlush = (): Promise<void> =>
    stopping ? Promise.resolve() : settleWithin(owned.map((o) => () => o.forceFlush()), config.shutdownTimeoutMillis, 'forceFlush');

  let ready: Promise<void> = Promise.resolve();
  if (endpoint && prometheus) {
    ready = endpoint.listen().then(
      (port) => {
        prometheusUrl = urlOf(prometheus.host, port, prometheus.endpoint);
      },
      async (error: unknown) => {
        prometheusUrl = undefined;
        const where = `${prometheus.host}:${prometheus.port}`;
        const code = (error as { code?: unknown })?.code;
        diag.error(`meshkit-rebalance: the pull endpoint cannot listen on ${where} (${describeError(error)}); this telemetry instance is shut down`);
        await shutdown();
        throw new Error(`meshkit-rebalance: the Prometheus pull endpoint cannot listen on ${where}${typeof code === 'string' ? ` (${code})` : ''}`);
      },
    );
  }

  const handle = {
    metricProducer: producer,
    get prometheusUrl() {
      return prometheusUrl;
    },
    ready,
    forceFlush,
    shutdown,
  } as RebalanceTelemetryHandle;
  for (const hook of HOOKS) {
    (handle as unknown as Record<string, unknown>)[hook] = telemetry[hook].bind(telemetry);
  }
  return Object.freeze(handle);
}

function urlOf(host: string, port: number, endpoint: string): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${endpoint}`;
}

/** One OTLP request never outlives the shutdown bound (nor the exporters' usual 10 s). */
function requestTimeout(config: ResolvedOptions): number {
  return Math.min(10_000, config.shutdownTimeoutMillis);
}

function ownTracerProvider(config: ResolvedOptions, resource: Resource, owned: Owned[]): TracerProvider {
  if (!config.otlp) return trace.getTracerProvider();
  const endpoint = config.otlp.endpoint;
  const exporter = new OTLPTraceExporter({ ...(endpoint ? { url: `${endpoint}/v1/traces` } : {}), timeoutMillis: requestTimeout(config) });
  const provider = new BasicTracerProvider({
    resource,
    // The SDK holds at most maxLivePlans open plan spans; the queue bounds what waits for export.
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 8192, maxExportBatchSize: 512 })],
  });
  owned.push(provider);
  return provider;
}
