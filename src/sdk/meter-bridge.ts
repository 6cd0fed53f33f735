import type { MeterProvider, Observable } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { METRIC_LIST } from '../schema/metrics';
import { otelName, SCOPE, type RebalanceMetricProducer } from './metric-producer';
import type { RebalanceTelemetry } from './telemetry';

/**
 * Registers the schema metrics on a meter provider the controller owns. Counters and gauges are
 * observable instruments read from the same tables at collection time; histograms are mirrored into
 * synchronous instruments. Metrics labelled by plan id or node are left out: OpenTelemetry JS keeps
 * every attribute set an observable instrument ever reported, so series of ended plans would never
 * leave. Controllers that need them add `metricProducer` to their own reader.
 */
export function bridgeToMeterProvider(provider: MeterProvider, telemetry: RebalanceTelemetry, producer: RebalanceMetricProducer): void {
  const meter = provider.getMeter(SCOPE.name, SCOPE.version);
  // Keyed by name and type: a counter and a gauge may share a base name (`..._plans_total`, `..._plans`).
  const key = (name: string, type: DataPointType) => `${type}:${name}`;
  const observables = new Map<string, Observable>();
  for (const spec of METRIC_LIST) {
    if (spec.labels.some((l) => l.domain.kind === 'id')) continue;
    const options = { description: spec.help, unit: spec.unit };
    if (spec.kind === 'gauge') observables.set(key(otelName(spec), DataPointType.GAUGE), meter.createObservableGauge(otelName(spec), options));
    if (spec.kind === 'counter') observables.set(key(otelName(spec), DataPointType.SUM), meter.createObservableCounter(otelName(spec), options));
  }
  meter.addBatchObservableCallback((result) => {
    for (const metric of producer.collectMetrics()) {
      const observable = observables.get(key(metric.descriptor.name, metric.dataPointType));
      if (!observable) continue;
      for (const point of metric.dataPoints) result.observe(observable, point.value as number, point.attributes);
    }
  }, [...observables.values()]);

  const r = telemetry.recorder;
  for (const vec of [r.planDuration, r.moveDuration, r.movePhaseDuration, r.approvalWait]) {
    const spec = vec.series.spec;
    vec.mirror = meter.createHistogram(otelName(spec), {
      description: spec.help,
      unit: spec.unit,
      advice: { explicitBucketBoundaries: [...vec.boundaries] },
    });
  }
}
