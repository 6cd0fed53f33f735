/**
 * PromQL builders. Metric names come from `METRICS`, label names from `L`; enum values are
 * checked against the schema's enum lists at compile time (`oneOf`) and again by the lint.
 */
import { L, type LabelSpec } from '../schema/labels';
import type { MetricSpec } from '../schema/metrics';

/** Template variables the queries filter by; each is named after the label it filters. */
export const VARS = {
  datasource: 'datasource',
  namespace: L.namespace.name,
  cluster: L.cluster.name,
  planId: L.planId.name,
} as const;

/** Grafana's built-in range variables, substituted before a query is sent. */
export const RATE_WINDOW = '$__rate_interval';
export const RANGE = '$__range';
export const INTERVAL = '$__interval';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  label: LabelSpec;
  op: MatchOp;
  value: string;
}

/** One value of an enum list, checked by the compiler. */
export function oneOf<const T extends readonly string[]>(_values: T, value: T[number]): T[number] {
  return value;
}

export const eq = (label: LabelSpec, value: string): Matcher => ({ label, op: '=', value });
export const anyOf = (label: LabelSpec, values: readonly string[]): Matcher => ({ label, op: '=~', value: values.join('|') });
/** `label=~"$var"`: a multi-value variable with an All value of `.*`. */
export const byVariable = (label: LabelSpec, variable: string): Matcher => ({ label, op: '=~', value: `$${variable}` });

const SCOPE_LABELS = [L.namespace, L.cluster] as const;

export interface SelectOptions {
  suffix?: '_bucket' | '_sum' | '_count';
  /** Filter per-plan series by the `plan_id` variable (on-call view only). */
  byPlan?: boolean;
}

const quote = (value: string): string => JSON.stringify(value);

/** `metric{namespace=~"$namespace",cluster=~"$cluster",...}`: the scope filter is added for every metric that has those labels. */
export function sel(metric: MetricSpec, matchers: readonly Matcher[] = [], options: SelectOptions = {}): string {
  const has = (label: LabelSpec) => metric.labels.some((l) => l.name === label.name);
  const all: Matcher[] = [];
  for (const label of SCOPE_LABELS) if (has(label)) all.push(byVariable(label, label.name));
  if (options.byPlan) all.push(byVariable(L.planId, VARS.planId));
  all.push(...matchers);
  const body = all.map((m) => `${m.label.name}${m.op}${quote(m.value)}`).join(', ');
  return `${metric.name}${options.suffix ?? ''}${body ? `{${body}}` : ''}`;
}

export const labelList = (labels: readonly LabelSpec[]): string => labels.map((l) => l.name).join(', ');

/** `op by (labels) (expr)`, or `op(expr)` with no labels. */
export function agg(op: 'sum' | 'max' | 'min' | 'count', labels: readonly LabelSpec[], expr: string): string {
  return labels.length ? `${op} by (${labelList(labels)}) (${expr})` : `${op}(${expr})`;
}
export const sumBy = (labels: readonly LabelSpec[], expr: string) => agg('sum', labels, expr);
export const maxBy = (labels: readonly LabelSpec[], expr: string) => agg('max', labels, expr);

export const increase = (selector: string, window = RATE_WINDOW) => `increase(${selector}[${window}])`;
export const rate = (selector: string, window = RATE_WINDOW) => `rate(${selector}[${window}])`;
export const changes = (selector: string, window = RATE_WINDOW) => `changes(${selector}[${window}])`;
/** Seconds since a `_timestamp_seconds` gauge. */
export const age = (expr: string) => `time() - ${expr}`;

/**
 * Bucket counts added within the window. A histogram's series appear with their first observation
 * (the SDK does not pre-initialise label sets it cannot know, such as a plan outcome), and
 * `increase()` of a series born at 1 is 0: a series that is new in the window counts with its whole
 * value, so the first completed plan shows. (`or` keeps the left side where both have the series.)
 */
export function bucketIncrease(selector: string, window = RATE_WINDOW): string {
  return `(${selector} unless ${selector} offset ${window}) or ${increase(selector, window)}`;
}

/** `histogram_quantile(q, sum by (le, ...) (<bucket increases over $__rate_interval>))`. */
export function quantile(q: number, metric: MetricSpec, by: readonly LabelSpec[] = [], matchers: readonly Matcher[] = []): string {
  const buckets = bucketIncrease(sel(metric, matchers, { suffix: '_bucket' }));
  return `histogram_quantile(${q}, sum by (le${by.length ? `, ${labelList(by)}` : ''}) (${buckets}))`;
}

/** Bucket increases per `le`, for a heatmap of a histogram. */
export function heatmapBuckets(metric: MetricSpec, matchers: readonly Matcher[] = []): string {
  return `sum by (le) (${bucketIncrease(sel(metric, matchers, { suffix: '_bucket' }))})`;
}

/**
 * `expr`, plus the exemplars of `source`'s series: Grafana asks /api/v1/query_exemplars with the
 * panel's expression, and Prometheus answers with the exemplars of every selector in it. `source`
 * joins through a branch that selects nothing (bucket increases are never negative), so the panel
 * still draws `expr` alone.
 */
export function withExemplarsOf(expr: string, source: string): string {
  return `${expr} or (${source} < 0)`;
}

/** A legend from label names: `{{namespace}}/{{cluster}}`. */
export const legend = (...labels: LabelSpec[]): string => labels.map((l) => `{{${l.name}}}`).join('/');
