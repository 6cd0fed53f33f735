/** Periodic OTLP metric export in requests of bounded size, with the event loop given back between them. */
import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { DataPoint, MetricData, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { RebalanceMetricProducer } from '../metric-producer';
import { describeError } from '../quote';
import { TimeSlice } from './time-slice';

/** Data points per OTLP request: serialising one request then stays well under the slice budget. */
export const POINTS_PER_REQUEST = 500;

/**
 * Splits one collection into ResourceMetrics of at most `max` data points each, metrics in order;
 * a metric with more points than that is spread over consecutive requests.
 */
export function splitByPoints(resourceMetrics: ResourceMetrics, max: number): ResourceMetrics[] {
  const out: ResourceMetrics[] = [];
  let batch: MetricData[] = [];
  let room = max;
  const flush = () => {
    if (batch.length > 0) out.push({ resource: resourceMetrics.resource, scopeMetrics: [{ scope: scopeOf(resourceMetrics), metrics: batch }] });
    batch = [];
    room = max;
  };
  for (const metric of resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)) {
    const points = metric.dataPoints as DataPoint<unknown>[];
    let from = 0;
    while (from < points.length) {
      const take = Math.min(room, points.length - from);
      batch.push({ ...metric, dataPoints: points.slice(from, from + take) } as MetricData);
      from += take;
      room -= take;
      if (room === 0) flush();
    }
  }
  flush();
  return out;
}

function scopeOf(resourceMetrics: ResourceMetrics) {
  return resourceMetrics.scopeMetrics[0]?.scope ?? { name: '' };
}

export class ChunkedMetricExport {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly exporter: PushMetricExporter,
    private readonly producer: RebalanceMetricProducer,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.exportOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One collection and its requests; a collection already under way is awaited instead of doubled. */
  exportOnce(): Promise<void> {
    this.running ??= this.cycle().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Waits for an export under way, then exports what is current. */
  async forceFlush(): Promise<void> {
    if (this.running) await this.running;
    await this.exportOnce();
    await this.exporter.forceFlush();
  }

  /** The last export, then the exporter's own shutdown. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    try {
      await this.forceFlush();
    } finally {
      await this.exporter.shutdown();
    }
  }

  private async cycle(): Promise<void> {
    const slice = new TimeSlice();
    const metrics = await this.producer.collectMetricsSliced(slice);
    await slice.pause();
    const requests = splitByPoints(this.producer.resourceMetrics(metrics), POINTS_PER_REQUEST);
    for (const request of requests) {
      await slice.pause();
      await this.send(request);
    }
  }

  private send(request: ResourceMetrics): Promise<void> {
    return new Promise((resolve) => {
      this.exporter.export(request, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          diag.error(`meshkit-rebalance: OTLP metric export failed: ${describeError(result.error)}`);
        }
        resolve();
      });
    });
  }
}
