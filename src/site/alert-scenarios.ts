/**
 * Input series that put each alert just under and just past the thresholds of one configuration,
 * in evaluation steps: what the generated promtool tests feed the site's rules. Every alert with a
 * configurable threshold, window or `for:` has an entry; each threshold it reads moves a check.
 */
import { type AlertName, type AlertingConfig } from '../alerting/config';
import { num, parseDuration } from '../alerting/promql';
import { LABELS, METRICS, type LabelSpec, type MetricSpec } from '../schema';

export interface ScenarioSeries {
  metric: MetricSpec;
  /** Labels beside the process's (namespace, cluster, job, instance, selector). */
  labels?: Readonly<Record<string, string>>;
  /** promtool's expanding notation, one sample per step from 0. */
  values: string;
}

export interface Scenario {
  name: string;
  input: ScenarioSeries[];
  /** Steps at which the alert fires, and at which it must not (pending, under, or resolved). */
  fires: number[];
  quiet: number[];
  /** The alert's value when it fires, and its labels beyond namespace/cluster (or job/instance). */
  value: number;
  labels: Readonly<Record<string, string>>;
  /** What the annotations' templated queries return, by metric. */
  queries?: Readonly<Record<string, number>>;
}

export interface AlertScenarios {
  alert: AlertName;
  /** The `cause` label telling apart two rules of one alert. */
  cause?: string;
  /** Labelled by job/instance instead of namespace/cluster. */
  byTarget?: boolean;
  /** Windows (seconds) that must span at least two steps for the alert to be testable. */
  windows(c: AlertingConfig): number[];
  /** Just under and just past this configuration's thresholds. */
  edge(c: AlertingConfig, step: number): Scenario[];
  /** Past every configuration's thresholds at once: only the rule of `cs[0]` may fire. */
  beyond(cs: readonly AlertingConfig[], step: number): Scenario | undefined;
}

/** A value of an enum label, checked against the schema. */
export function valueOf(label: LabelSpec, value?: string): string {
  if (label.domain.kind !== 'enum') throw new Error(`${label.name} is not an enum label`);
  const v = value ?? label.domain.values[0];
  if (!label.domain.values.includes(v)) throw new Error(`${v} is not a ${label.name}`);
  return v;
}

const CONTROLLER = { [LABELS.controller.name]: 'rebalancer-0' };
const PLAN = { [LABELS.planId.name]: 'p-site-1' };
const EXECUTING = { ...PLAN, [LABELS.planState.name]: valueOf(LABELS.planState, 'executing') };
/** The policy's concurrent-move limit in the scenarios that read it. */
const MOVE_LIMIT = 4;
/** Steps of history before a condition starts. */
const BEFORE = 2;

const seconds = (d: string) => parseDuration(d);
/** Steps covering `s` seconds, rounded up. */
const stepsFor = (s: number, step: number) => Math.ceil(s / step - 1e-9);
const flat = (value: number, end: number) => `${num(value)}x${end}`;
/** `before` up to step `at - 1`, `after` from `at` to `end`. */
const change = (before: number, after: number, at: number, end: number) => `${num(before)}x${at - 1} ${num(after)}x${end - at}`;
const leader = (values: string): ScenarioSeries => ({ metric: METRICS.leader, labels: CONTROLLER, values });
const max = (xs: number[]) => Math.max(...xs);
const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

/**
 * An age (`time() - timestamp`) over a limit for `for:`. Edge: the age sits at the limit, then one
 * second past it, pending for `for:`. Beyond: a timestamp that stays put, until past every limit.
 */
function age(spec: {
  alert: AlertName;
  cause?: string;
  limit: (c: AlertingConfig) => number;
  pending: (c: AlertingConfig) => number;
  series: (timestamps: string, end: number) => ScenarioSeries[];
  labels?: Record<string, string>;
  queries?: Record<string, number>;
}): AlertScenarios {
  const { labels = {}, queries } = spec;
  return {
    alert: spec.alert,
    cause: spec.cause,
    windows: () => [],
    edge(c, step) {
      const limit = spec.limit(c);
      const fireAt = BEFORE + 1 + stepsFor(spec.pending(c), step);
      const end = fireAt + 2;
      const timestamps = `${num(-limit)}+${step}x${BEFORE} ${num((BEFORE + 1) * step - limit - 1)}+${step}x${end - BEFORE - 1}`;
      return [{ name: 'at the limit, then 1s past it for its for:', input: spec.series(timestamps, end), quiet: uniq([BEFORE, fireAt - 1]), fires: [fireAt], value: limit + 1, labels, queries }];
    },
    beyond(cs, step) {
      const fireAt = max(cs.map((c) => Math.floor(spec.limit(c) / step) + 1 + stepsFor(spec.pending(c), step)));
      const end = fireAt + 2;
      return { name: 'past every scope\'s limit and for:', input: spec.series(flat(0, end), end), quiet: [], fires: [fireAt], value: fireAt * step, labels, queries };
    },
  };
}

/** A condition that turns true after `BEFORE` steps and must hold for `for:`. */
function pending(spec: {
  alert: AlertName;
  pending: (c: AlertingConfig) => number;
  series: (end: number) => ScenarioSeries[];
  value: number;
  labels?: Record<string, string>;
}): AlertScenarios {
  const { labels = {} } = spec;
  const scenario = (name: string, fireAt: number, quiet: number[]): Scenario => ({ name, input: spec.series(fireAt + 2), quiet, fires: [fireAt], value: spec.value, labels });
  return {
    alert: spec.alert,
    windows: () => [],
    edge(c, step) {
      const fireAt = BEFORE + 1 + stepsFor(spec.pending(c), step);
      return [scenario('true for its for:, not a step less', fireAt, uniq([BEFORE, fireAt - 1]))];
    },
    beyond: (cs, step) => scenario('true for every scope\'s for:', BEFORE + 1 + max(cs.map((c) => stepsFor(spec.pending(c), step))), []),
  };
}

/**
 * Events a counter recorded within a window, at or over a count. Edge: one less than the count
 * never fires; the count fires from the step it is reached while it stays within the window, and
 * not once it has left it. Beyond: the highest count, inside every window.
 */
function events(spec: {
  alert: AlertName;
  byTarget?: boolean;
  counter: MetricSpec;
  counterLabels?: Record<string, string>;
  window: (c: AlertingConfig) => number;
  /** The smallest count that fires. */
  count: (c: AlertingConfig) => number;
  labels?: Record<string, string>;
  extra?: (end: number) => ScenarioSeries[];
  queries?: Record<string, number>;
}): AlertScenarios {
  const { labels = {}, queries } = spec;
  const input = (count: number, at: number, end: number): ScenarioSeries[] => [
    leader(flat(1, end)),
    { metric: spec.counter, labels: spec.counterLabels, values: change(0, count, at, end) },
    ...(spec.extra?.(end) ?? []),
  ];
  return {
    alert: spec.alert,
    byTarget: spec.byTarget,
    windows: (c) => [spec.window(c)],
    edge(c, step) {
      const count = spec.count(c);
      // the window must reach back past the event's step for the offset guard to see the series
      const at = stepsFor(spec.window(c), step) + 1;
      // the last step whose window still holds the sample before the event
      const lastIn = Math.ceil(at - 1 + spec.window(c) / step - 1e-9) - 1;
      const end = lastIn + 3;
      const out: Scenario[] = [];
      if (count >= 2) out.push({ name: `${count - 1} event(s), one under the count`, input: input(count - 1, at, end), quiet: uniq([at, lastIn]), fires: [], value: 0, labels, queries });
      out.push({ name: `${count} event(s), inside the window and just after it`, input: input(count, at, end), quiet: [lastIn + 1], fires: uniq([at, lastIn]), value: count, labels, queries });
      return out;
    },
    beyond(cs, step) {
      const count = max(cs.map(spec.count));
      const at = max(cs.map((c) => stepsFor(spec.window(c), step))) + 1;
      return { name: 'over every scope\'s count, inside every window', input: input(count, at, at + 2), quiet: [], fires: [at], value: count, labels, queries };
    },
  };
}

const heartbeatLimit = (c: AlertingConfig) => seconds(c.heartbeat.interval) * c.heartbeat.missed;
const heartbeat = (alert: AlertName, leaderValue: 0 | 1, cause?: string) =>
  age({
    alert,
    cause,
    limit: heartbeatLimit,
    pending: (c) => seconds(c.heartbeat.for),
    series: (timestamps, end) => [leader(flat(leaderValue, end)), { metric: METRICS.heartbeat, labels: CONTROLLER, values: timestamps }],
    labels: CONTROLLER,
  });

/** The controllers' series stop (a staleness marker): the alert fires after `vanishedFor` and resolves when the lookback no longer sees them. */
const vanished: AlertScenarios = (() => {
  const stops = [leader(`${flat(1, BEFORE)} stale`)];
  const fireAt = (c: AlertingConfig, step: number) => BEFORE + 1 + stepsFor(seconds(c.heartbeat.vanishedFor), step);
  const lastSeen = (c: AlertingConfig, step: number) => Math.ceil(BEFORE + seconds(c.heartbeat.vanishedLookback) / step - 1e-9) - 1;
  return {
    alert: 'MeshKitRebalanceControllerHeartbeatMissing',
    cause: 'series_vanished',
    windows: (c) => [seconds(c.heartbeat.vanishedLookback)],
    edge(c, step) {
      const [first, last] = [fireAt(c, step), lastSeen(c, step)];
      if (first > last) return [{ name: 'gone, but the lookback ends before vanishedFor', input: stops, quiet: uniq([BEFORE, first]), fires: [], value: 1, labels: {} }];
      return [{ name: 'gone for vanishedFor, until the lookback passes', input: stops, quiet: uniq([BEFORE, first - 1, last + 1]), fires: uniq([first, last]), value: 1, labels: {} }];
    },
    beyond(cs, step) {
      const first = max(cs.map((c) => fireAt(c, step)));
      if (first > Math.min(...cs.map((c) => lastSeen(c, step)))) return undefined;
      return { name: 'gone for every scope\'s vanishedFor', input: stops, quiet: [], fires: [first], value: 1, labels: {} };
    },
  };
})();

/** Moves in flight one above the limit from a step on: the ticket opens when the whole drain budget saw them above. */
const movesAboveLoweredLimit: AlertScenarios = (() => {
  const input = (end: number) => [
    leader(flat(1, end)),
    { metric: METRICS.maxConcurrentMoves, values: flat(MOVE_LIMIT, end) },
    { metric: METRICS.shardsInFlight, values: change(MOVE_LIMIT, MOVE_LIMIT + 1, BEFORE + 1, end) },
  ];
  const firstAbove = (c: AlertingConfig, step: number) => Math.ceil(BEFORE + seconds(c.movesAboveLoweredLimit.drainBudget) / step - 1e-9);
  const queries = { [METRICS.maxConcurrentMoves.name]: MOVE_LIMIT };
  return {
    alert: 'MeshKitRebalanceMovesAboveLoweredLimit',
    windows: (c) => [seconds(c.movesAboveLoweredLimit.drainBudget)],
    edge(c, step) {
      const at = firstAbove(c, step);
      return [{ name: 'above the limit for the drain budget, not a step less', input: input(at + 2), quiet: [at - 1], fires: [at], value: MOVE_LIMIT + 1, labels: {}, queries }];
    },
    beyond(cs, step) {
      const at = max(cs.map((c) => firstAbove(c, step)));
      return { name: 'above the limit for every scope\'s drain budget', input: input(at + 2), quiet: [], fires: [at], value: MOVE_LIMIT + 1, labels: {}, queries };
    },
  };
})();

/** A deadline the test never reaches; the forecast sits on it, then one second past it. */
const DEADLINE = 1e6;

export const ALERT_SCENARIOS: readonly AlertScenarios[] = [
  age({
    alert: 'MeshKitRebalancePlanStuck',
    limit: (c) => seconds(c.planStuck.noProgressFor),
    pending: (c) => seconds(c.planStuck.for),
    series: (timestamps, end) => [
      leader(flat(1, end)),
      { metric: METRICS.planState, labels: EXECUTING, values: flat(1, end) },
      { metric: METRICS.planLastProgress, labels: PLAN, values: timestamps },
    ],
    labels: PLAN,
  }),
  age({
    alert: 'MeshKitRebalanceApprovalBacklog',
    limit: (c) => seconds(c.approvalBacklog.oldestPendingOver),
    pending: (c) => seconds(c.approvalBacklog.for),
    series: (timestamps, end) => [leader(flat(1, end)), { metric: METRICS.approvalOldestPending, values: timestamps }, { metric: METRICS.approvalBacklog, values: flat(2, end) }],
    queries: { [METRICS.approvalBacklog.name]: 2 },
  }),
  events({
    alert: 'MeshKitRebalanceExcessiveConcurrentMoves',
    counter: METRICS.movesStartedOverLimit,
    window: (c) => seconds(c.excessiveConcurrentMoves.window),
    count: () => 1,
    extra: (end) => [{ metric: METRICS.maxConcurrentMoves, values: flat(MOVE_LIMIT, end) }],
    queries: { [METRICS.maxConcurrentMoves.name]: MOVE_LIMIT },
  }),
  movesAboveLoweredLimit,
  events({
    alert: 'MeshKitRebalanceRepeatedFailures',
    counter: METRICS.moveFailures,
    counterLabels: { [LABELS.moveFailureReason.name]: valueOf(LABELS.moveFailureReason) },
    window: (c) => seconds(c.repeatedFailures.window),
    count: (c) => Math.max(1, Math.ceil(c.repeatedFailures.threshold)),
  }),
  events({
    alert: 'MeshKitRebalancePlanFailed',
    counter: METRICS.planFailures,
    counterLabels: { [LABELS.planFailureReason.name]: valueOf(LABELS.planFailureReason) },
    window: (c) => seconds(c.planFailed.window),
    count: () => 1,
    labels: { [LABELS.planFailureReason.name]: valueOf(LABELS.planFailureReason) },
  }),
  heartbeat('MeshKitRebalanceControllerHeartbeatMissing', 1, 'stale_heartbeat'),
  vanished,
  heartbeat('MeshKitRebalanceStandbyHeartbeatMissing', 0),
  pending({
    alert: 'MeshKitRebalanceNoLeader',
    pending: (c) => seconds(c.noLeader.for),
    series: (end) => [leader(change(1, 0, BEFORE + 1, end))],
    value: 0,
  }),
  events({
    alert: 'MeshKitRebalancePolicyViolation',
    counter: METRICS.policyViolations,
    counterLabels: { [LABELS.policy.name]: valueOf(LABELS.policy), [LABELS.action.name]: valueOf(LABELS.action, 'block') },
    window: (c) => seconds(c.policyViolation.window),
    count: () => 1,
    labels: { [LABELS.policy.name]: valueOf(LABELS.policy) },
  }),
  pending({
    alert: 'MeshKitRebalancePlanOverrun',
    pending: (c) => seconds(c.planOverrun.for),
    series: (end) => [
      leader(flat(1, end)),
      { metric: METRICS.planState, labels: EXECUTING, values: flat(1, end) },
      { metric: METRICS.planDeadline, labels: PLAN, values: flat(DEADLINE, end) },
      { metric: METRICS.planForecastCompletion, labels: PLAN, values: change(DEADLINE, DEADLINE + 1, BEFORE + 1, end) },
    ],
    value: 1,
    labels: PLAN,
  }),
  events({
    alert: 'MeshKitRebalanceShardFlapping',
    counter: METRICS.shardFlaps,
    window: (c) => seconds(c.shardFlapping.window),
    count: (c) => Math.max(1, Math.ceil(c.shardFlapping.threshold)),
  }),
  events({
    alert: 'MeshKitRebalanceTelemetryRejected',
    byTarget: true,
    counter: METRICS.rejected,
    counterLabels: { [LABELS.hook.name]: valueOf(LABELS.hook), [LABELS.rejectionReason.name]: valueOf(LABELS.rejectionReason) },
    window: (c) => seconds(c.telemetryRejected.window),
    count: (c) => Math.floor(c.telemetryRejected.threshold) + 1,
    labels: { [LABELS.hook.name]: valueOf(LABELS.hook), [LABELS.rejectionReason.name]: valueOf(LABELS.rejectionReason) },
  }),
];

/** The scenarios of one rendered rule: by alert name and `cause` label. */
export function scenariosOf(alert: string, cause: string | undefined): AlertScenarios | undefined {
  return ALERT_SCENARIOS.find((s) => s.alert === alert && s.cause === cause);
}
