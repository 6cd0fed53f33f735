/** Metrics the Collector derives from the SDK's spans (spanmetrics connector); they carry the exemplars. */
import { L, type LabelSpec } from './labels';
import { MOVE_BUCKETS, PHASE_BUCKETS, PLAN_BUCKETS, type MetricSpec } from './metrics';
import { SPANS } from './spans';

/**
 * The connector's `namespace` in otel-collector/*.yaml. Prometheus's OTLP translation turns
 * `<namespace>.duration` (unit `s`) into `SPAN_METRICS.duration.name` and `<namespace>.calls` into
 * `SPAN_METRICS.calls.name`; test/unit/collector-configs.test.ts holds the configs to this.
 */
export const SPAN_METRICS_NAMESPACE = 'meshkit.rebalance.span';

/** The span status as the connector writes it (`status.code`). */
export const SPAN_STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

/** Moves, phases and plans share one histogram, so its buckets are the union of theirs. */
export const SPAN_BUCKETS: readonly number[] = [...new Set([...PHASE_BUCKETS, ...MOVE_BUCKETS, ...PLAN_BUCKETS])].sort((a, b) => a - b);

export const SPAN_LABELS = {
  spanName: { name: 'span_name', description: 'span the duration is of', domain: { kind: 'enum', values: Object.values(SPANS) } },
  collectorInstance: { name: 'collector_instance_id', description: 'the Collector that counted the spans (its id changes when it restarts)', domain: { kind: 'instance' } },
  statusCode: { name: 'status_code', description: 'span status; failures are STATUS_CODE_ERROR', domain: { kind: 'enum', values: SPAN_STATUS_CODES } },
} as const satisfies Record<string, LabelSpec>;

/** The labels of each exemplar the connector attaches (Prometheus keeps them as the exemplar's labels). */
export const EXEMPLAR_LABELS = { traceId: 'trace_id', spanId: 'span_id' } as const;

const LABELS = [L.namespace, L.cluster, SPAN_LABELS.spanName, SPAN_LABELS.statusCode, SPAN_LABELS.collectorInstance] as const;

export const SPAN_METRICS = {
  duration: {
    name: 'meshkit_rebalance_span_duration_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Span durations of plans, moves and move phases, derived by the Collector; each bucket carries exemplars with the trace id of a span in it.',
    labels: LABELS,
    buckets: SPAN_BUCKETS,
  },
  calls: {
    name: 'meshkit_rebalance_span_calls_total',
    kind: 'counter',
    unit: '{call}',
    help: 'Spans ended, derived by the Collector (the count of the duration histogram, as a counter).',
    labels: LABELS,
  },
} as const satisfies Record<string, MetricSpec>;

export const SPAN_METRIC_LIST: readonly MetricSpec[] = Object.values(SPAN_METRICS);
