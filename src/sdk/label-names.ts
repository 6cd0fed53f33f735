/**
 * The `labelNames` option: the namespace and cluster labels under other names, for a Prometheus
 * that already uses `cluster` (commonly an external label) — the names a site.yaml's `labelNames`
 * gives the rules and dashboards. Applied to the data points a collection produces.
 */
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { L as LABELS } from '../schema/labels';

export type LabelNames = { namespace?: string; cluster?: string };

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Schema label name → emitted name, only for renamed ones; throws on bad options (construction time). */
export function resolveLabelNames(option: LabelNames | undefined): ReadonlyMap<string, string> {
  const renames = new Map<string, string>();
  if (option === undefined) return renames;
  const taken = new Set(Object.values(LABELS).map((l) => l.name));
  for (const key of ['namespace', 'cluster'] as const) {
    const name = option[key];
    if (name === undefined || name === LABELS[key].name) continue;
    if (typeof name !== 'string' || !LABEL_NAME.test(name) || name.startsWith('__') || taken.has(name) || [...renames.values()].includes(name)) {
      throw new TypeError(`createRebalanceTelemetry: labelNames.${key} must be a Prometheus label name not used by another label, got ${JSON.stringify(name)}`);
    }
    renames.set(LABELS[key].name, name);
  }
  return renames;
}

/** `metrics` with their data points' attributes renamed (the same objects when nothing is renamed). */
export function renameLabels(metrics: MetricData[], renames: ReadonlyMap<string, string>): MetricData[] {
  if (renames.size === 0) return metrics;
  return metrics.map(
    (metric) =>
      ({
        ...metric,
        dataPoints: metric.dataPoints.map((point) => ({
          ...point,
          attributes: Object.fromEntries(Object.entries(point.attributes).map(([k, v]) => [renames.get(k) ?? k, v])),
        })),
      }) as MetricData,
  );
}
