// Public surface, name by name.
export { createRebalanceTelemetry, type RebalanceTelemetryHandle } from './sdk/setup';
export type { RebalanceTelemetryOptions, RebalanceHooks, HookArgs, PlanRef, MoveRef } from './sdk/types';
export { RebalanceMetricProducer } from './sdk/metric-producer';
export {
  METRICS,
  METRIC_LIST,
  SERVICE_NAME,
  SPANS,
  ATTR,
  SPAN_EVENTS,
  LABELS,
  DEFAULT_LIMITS,
  MAX_ID_LENGTH,
  seriesBudget,
  enums,
  type MetricSpec,
  type MetricKind,
  type LabelSpec,
  type TelemetryLimits,
} from './schema';
