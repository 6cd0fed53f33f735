import { DEFAULT_LIMITS } from '../schema/limits';
import { METRIC_LIST, type MetricSpec } from '../schema/metrics';
import { SPAN_METRIC_LIST } from '../schema/span-metrics';
import { ATTR, MOVE_PROGRESS_MARKER_INTERVAL_MS, SPANS, SPAN_EVENTS } from '../schema/spans';
import { seriesBudget } from '../schema/budget';
import type { LabelSpec } from '../schema/labels';

function labelCell(label: LabelSpec): string {
  switch (label.domain.kind) {
    case 'instance':
      return `\`${label.name}\``;
    case 'enum':
      return `\`${label.name}\` (${label.domain.values.join(' \\| ')})`;
    case 'id':
      return `\`${label.name}\` (id, bounded by \`${label.domain.boundedBy}\`)`;
  }
}

function metricRow(m: MetricSpec): string {
  const buckets = m.buckets ? `<br>buckets: ${m.buckets.join(', ')}` : '';
  return `| \`${m.name}\` | ${m.kind} | ${m.unit ? `\`${m.unit}\`` : '—'} | ${m.labels.map(labelCell).join('<br>')} | ${seriesBudget(m, DEFAULT_LIMITS)} | ${m.help}${buckets} |`;
}

/** docs/reference/metrics.md: every metric, span and span event of the schema. */
export function renderMetricsReference(): string {
  return [
    '<!-- Generated from src/schema by `npm run generate`; do not edit. -->',
    '# Metric and span reference',
    '',
    'Names as Prometheus scrapes them. Series budget: the most series one controller instance can',
    'export for the metric with the default limits (`DEFAULT_LIMITS`).',
    '',
    '## Metrics',
    '',
    '| name | type | unit | labels | series budget | meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...METRIC_LIST.map(metricRow),
    '',
    '## Metrics the Collector derives from spans',
    '',
    'The spanmetrics connector of the shipped Collector configs, from every span the SDK ends; their',
    'data points carry exemplars with the trace id (docs/operator-guide/exemplars.md).',
    '',
    '| name | type | unit | labels | series budget | meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...SPAN_METRIC_LIST.map(metricRow),
    '',
    '## Spans',
    '',
    'One trace per plan. The plan span is the root; each shard move is its child; the drain, handoff',
    'and verify phases are children of the move, in that order.',
    '',
    '| span | parent |',
    '| --- | --- |',
    `| \`${SPANS.plan}\` | — |`,
    `| \`${SPANS.planCreated}\` (zero length, ended at creation so a live plan's trace is found at once) | \`${SPANS.plan}\` |`,
    `| \`${SPANS.move}\` | \`${SPANS.plan}\` |`,
    `| \`${SPANS.moveStarted}\` (zero length, at the move's start, so a move in flight is in the trace) | \`${SPANS.move}\` |`,
    `| \`${SPANS.moveProgress}\` (zero length, at most one per move every ${MOVE_PROGRESS_MARKER_INTERVAL_MS / 1000} s of drain reports and only when the count changed, with \`${ATTR.drainRemaining}\` and \`${ATTR.drainRatio}\`) | \`${SPANS.move}\` |`,
    `| \`${SPANS.drain}\`, \`${SPANS.handoff}\`, \`${SPANS.verify}\` | \`${SPANS.move}\` |`,
    '',
    '## Span attributes',
    '',
    '| attribute |',
    '| --- |',
    ...Object.values(ATTR).map((a) => `| \`${a}\` |`),
    '',
    '## Span events',
    '',
    '| event | on | attributes | meaning |',
    '| --- | --- | --- | --- |',
    ...Object.values(SPAN_EVENTS).map(
      (e) => `| \`${e.name}\` | \`${SPANS[e.on]}\` | ${e.attributes.map((a) => `\`${ATTR[a]}\``).join(', ') || '—'} | ${e.description} |`,
    ),
    '',
  ].join('\n');
}
