export * as enums from './enums';
export { L as LABELS, MAX_ID_LENGTH, ID_PATTERN, type LabelSpec, type LabelDomain } from './labels';
export { METRICS, METRIC_LIST, type MetricSpec, type MetricKind, type MetricKey } from './metrics';
export { SERVICE_NAME, SPANS, ATTR, SPAN_EVENTS, SDK_END_REASONS, type SpanEventSpec } from './spans';
export { DEFAULT_LIMITS, type TelemetryLimits } from './limits';
export { seriesBudget } from './budget';
export { SPAN_METRICS, SPAN_METRIC_LIST, SPAN_METRICS_NAMESPACE, SPAN_LABELS, SPAN_BUCKETS, SPAN_STATUS_CODES, EXEMPLAR_LABELS } from './span-metrics';
export { DRAFT_ALIASES, draftSource, type DraftAlias } from './draft-aliases';
