/**
 * Periodic OTLP metric export in requests of bounded size, with the event loop given back between
 * them; what the endpoint could not take waits, bounded, for the next attempt.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { DataPoint, MetricData, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { RebalanceMetricProducer } from '../metric-producer';
import { describeError } from '../quote';
import { TimeSlice } from './time-slice';

/** Data points per OTLP request: serialising one request then stays well under the slice budget. */
export const POINTS_PER_REQUEST = 500;
/**
 * Data points kept while the endpoint is down (the Collector agent restarting): about half an hour of
 * a controller with a few hundred series at a 5 s interval; the oldest requests go first beyond it.
 */
export const MAX_BACKLOG_POINTS = 100_000;

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

interface Queued {
  request: ResourceMetrics;
  points: number;
}

/**
 * Each interval collects once and queues the collection's requests; one sender sends the queue in
 * order. A request the endpoint cannot take now (down, 5xx, 429) stays at the head until the next
 * interval, so an outage of the Collector loses no collection, only delays it, up to
 * `maxBacklogPoints`; a request it refuses for good (other 4xx) is dropped and reported.
 */
export class ChunkedMetricExport {
  private timer: NodeJS.Timeout | undefined;
  private collecting: Promise<void> | undefined;
  private sending: Promise<void> | undefined;
  private stopped = false;
  private readonly backlog: Queued[] = [];
  private backlogPoints = 0;
  /** Requests dropped at the bound since the last report. */
  private dropped = 0;
  private down = false;

  constructor(
    private readonly exporter: PushMetricExporter,
    private readonly producer: RebalanceMetricProducer,
    private readonly intervalMs: number,
    private readonly maxBacklogPoints = MAX_BACKLOG_POINTS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.exportOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** Requests waiting for the endpoint. */
  get queued(): number {
    return this.backlog.length;
  }

  /** One collection queued, then the queue sent as far as the endpoint takes it. */
  async exportOnce(): Promise<void> {
    // A collection already under way is awaited instead of doubled.
    await (this.collecting ??= this.collect().finally(() => (this.collecting = undefined)));
    await this.send();
  }

  /** Waits for what is under way, then exports what is current. */
  async forceFlush(): Promise<void> {
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

  private async collect(): Promise<void> {
    const slice = new TimeSlice();
    const metrics = await this.producer.collectMetricsSliced(slice);
    await slice.pause();
    for (const request of splitByPoints(this.producer.resourceMetrics(metrics), POINTS_PER_REQUEST)) {
      const points = request.scopeMetrics.reduce((n, scope) => n + scope.metrics.reduce((m, metric) => m + metric.dataPoints.length, 0), 0);
      this.backlog.push({ request, points });
      this.backlogPoints += points;
    }
    while (this.backlogPoints > this.maxBacklogPoints && this.backlog.length > 1) {
      this.backlogPoints -= this.backlog.shift()!.points;
      this.dropped++;
    }
  }

  /** One sender at a time; a later call while it runs is answered by it (it sends to the end of the queue). */
  private send(): Promise<void> {
    return (this.sending ??= this.sendQueued().finally(() => (this.sending = undefined)));
  }

  private async sendQueued(): Promise<void> {
    const slice = new TimeSlice();
    while (this.backlog.length > 0) {
      await slice.pause();
      const head = this.backlog[0];
      const result = await this.sendOne(head.request);
      if (result === 'later') return;
      this.backlog.shift();
      this.backlogPoints -= head.points;
    }
  }

  private sendOne(request: ResourceMetrics): Promise<'sent' | 'later' | 'dropped'> {
    return new Promise((resolve) => {
      this.exporter.export(request, (result) => {
        if (result.code === ExportResultCode.SUCCESS) {
          if (this.down) {
            this.down = false;
            const lost = this.dropped > 0 ? `; ${this.dropped} request(s) were dropped at the ${this.maxBacklogPoints}-point bound meanwhile` : '';
            diag.info(`meshkit-rebalance: OTLP metric export works again; sending the ${this.backlog.length} request(s) kept while it failed${lost}`);
            this.dropped = 0;
          }
          resolve('sent');
        } else if (retryable(result.error)) {
          if (!this.down) diag.error(`meshkit-rebalance: OTLP metric export failed, keeping the data to send again (at most ${this.maxBacklogPoints} points): ${describeError(result.error)}`);
          this.down = true;
          resolve('later');
        } else {
          diag.error(`meshkit-rebalance: OTLP metric export refused, request dropped: ${describeError(result.error)}`);
          resolve('dropped');
        }
      });
    });
  }
}

/** Down, timed out, 5xx or 429 may work later; any other HTTP 4xx will not. */
function retryable(error: unknown): boolean {
  let code: unknown;
  try {
    code = (error as { code?: unknown } | undefined)?.code;
  } catch {
    return true;
  }
  return !(typeof code === 'number' && code >= 400 && code < 500 && code !== 429);
}
