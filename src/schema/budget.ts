import type { TelemetryLimits } from './limits';
import type { LabelSpec } from './labels';
import type { MetricSpec } from './metrics';

function labelCardinality(label: LabelSpec, limits: TelemetryLimits): number {
  switch (label.domain.kind) {
    case 'instance':
      return 1;
    case 'enum':
      return label.domain.values.length;
    case 'id':
      return limits[label.domain.boundedBy];
  }
}

/**
 * The most series one instance can export for a metric: the product of its labels' cardinalities.
 * Per-plan gauges are bounded by maxLivePlans (one state per plan, not states × plans).
 */
export function seriesBudget(metric: MetricSpec, limits: TelemetryLimits): number {
  const hasPlanId = metric.labels.some((l) => l.domain.kind === 'id' && l.domain.boundedBy === 'maxLivePlans');
  if (hasPlanId) return limits.maxLivePlans;
  return metric.labels.reduce((product, label) => product * labelCardinality(label, limits), 1);
}
