import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import type { MetricSpec, RebalanceTelemetryHandle } from '../../src';

const exportedName = (spec: MetricSpec) => (spec.kind === 'counter' ? spec.name.replace(/_total$/, '') : spec.name);
const TYPE = { counter: DataPointType.SUM, gauge: DataPointType.GAUGE, histogram: DataPointType.HISTOGRAM } as const;

/** Data points of one schema metric whose attributes include `labels`. */
export function points(t: RebalanceTelemetryHandle, spec: MetricSpec, labels: Attributes = {}) {
  const metric: MetricData | undefined = t.metricProducer.collectMetrics().find(
    // A counter and a gauge may share a base name (`..._plans_total` and `..._plans`): match the type too.
    (m) => m.descriptor.name === exportedName(spec) && m.dataPointType === TYPE[spec.kind],
  );
  const all = (metric?.dataPoints ?? []) as { attributes: Attributes; value: unknown }[];
  return all.filter((p) => Object.entries(labels).every(([k, v]) => p.attributes[k] === v));
}

/** The single value of a gauge or counter series, or undefined when the series is absent. */
export function valueOf(t: RebalanceTelemetryHandle, spec: MetricSpec, labels: Attributes = {}): number | undefined {
  const found = points(t, spec, labels);
  if (found.length > 1) throw new Error(`${spec.name} ${JSON.stringify(labels)} matches ${found.length} series`);
  return found[0]?.value as number | undefined;
}

/** A controllable clock starting at a fixed instant. */
export function manualClock(start = Date.UTC(2026, 10, 30, 3, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}
