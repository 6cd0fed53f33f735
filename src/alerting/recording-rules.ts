/**
 * Recording rules: what the executive dashboard reads, pre-aggregated per namespace/cluster and
 * named `level:metric:operations` (Prometheus naming conventions). Import `RECORDED` for the names.
 */
import { LABELS, METRICS } from '../schema';
import { DEFAULT_ALERTING_CONFIG, type AlertingConfig } from './config';
import { CLUSTER, NS, RuleContext, SCOPE, by, counterBase, formatDuration, parseDuration } from './promql';

export interface RecordingRule {
  record: string;
  expr: string;
}

/**
 * Names of the recorded series. Windows in the names are the configured (unscaled) ones, so a
 * time-scaled rule file records under the same names. `scope` is the namespace and cluster label
 * names: the level part of a name spells the labels the series keeps, so a site that renames them
 * records under names that say so (`namespace_k8s_cluster:...`).
 */
export function recordedNames(config: AlertingConfig = DEFAULT_ALERTING_CONFIG, scope: readonly [string, string] = [NS, CLUSTER]) {
  const scopeLevel = scope.join('_');
  const level = (...extra: string[]) => [scopeLevel, ...extra].join('_');
  const short = formatDuration(parseDuration(config.recording.shortWindow));
  const long = formatDuration(parseDuration(config.recording.longWindow));
  return {
    /** Live plans per state: `{namespace, cluster, state}`. */
    plansByState: `${level(LABELS.planState.name)}:${METRICS.plans.name}:sum`,
    /** Plans ending per second, by outcome, over the long window: `{namespace, cluster, outcome}`. */
    planOutcomesRate: `${level(LABELS.planOutcome.name)}:${counterBase(METRICS.plansTotal)}:rate${long}`,
    /** Completed plans / plans that ended in success or failure (cancelled and rejected excluded); absent when none ended. */
    planSuccessRatio: `${scopeLevel}:${counterBase(METRICS.plansTotal)}_success:ratio_rate${long}`,
    /** Failed plans per second, by reason, over the long window: `{namespace, cluster, reason}`. */
    planFailuresByReasonRate: `${level(LABELS.planFailureReason.name)}:${counterBase(METRICS.planFailures)}:rate${long}`,
    /** Shard moves ending per second, by outcome: `{namespace, cluster, outcome}`. */
    movesByOutcomeRate: `${level(LABELS.moveOutcome.name)}:${counterBase(METRICS.movesTotal)}:rate${short}`,
    /** Shard moves ending per second, every outcome: `{namespace, cluster}`. */
    movesRate: `${scopeLevel}:${counterBase(METRICS.movesTotal)}:rate${short}`,
    /** Failed shard moves per second, by reason: `{namespace, cluster, reason}`. */
    moveFailuresByReasonRate: `${level(LABELS.moveFailureReason.name)}:${counterBase(METRICS.moveFailures)}:rate${short}`,
    /** Shard moves in flight: `{namespace, cluster}`. */
    shardsInFlight: `${scopeLevel}:${METRICS.shardsInFlight.name}:sum`,
    /** The policy's concurrent-move limit: `{namespace, cluster}`. */
    maxConcurrentMoves: `${scopeLevel}:${METRICS.maxConcurrentMoves.name}:max`,
    /** Moves in flight / limit (1 = at the limit); absent while no limit is known. */
    shardsInFlightRatio: `${scopeLevel}:${METRICS.shardsInFlight.name}_per_${withoutSharedPrefix(METRICS.maxConcurrentMoves.name, METRICS.shardsInFlight.name)}:ratio`,
    /** Plans waiting for approval: `{namespace, cluster}`. */
    approvalBacklog: `${scopeLevel}:${METRICS.approvalBacklog.name}:sum`,
    /** Seconds the oldest pending approval has waited; absent when none waits. */
    approvalOldestPendingAge: `${scopeLevel}:${METRICS.approvalOldestPending.name.replace(/_timestamp_seconds$/, '_age_seconds')}:max`,
  } as const;
}

/** `name` without the `_`-separated words it shares at the start with `other` (`meshkit_rebalance_`). */
function withoutSharedPrefix(name: string, other: string): string {
  const a = name.split('_');
  const b = other.split('_');
  let i = 0;
  while (i < a.length - 1 && a[i] === b[i]) i++;
  return a.slice(i).join('_');
}

export type RecordedNames = ReturnType<typeof recordedNames>;

/** Recorded series names with the default configuration, for dashboards to import. */
export const RECORDED: RecordedNames = recordedNames();

/** The recording group, in evaluation order (later rules read earlier ones). */
export function recordingRules(ctx: RuleContext): RecordingRule[] {
  const names = recordedNames(ctx.config);
  const short = ctx.dur(ctx.config.recording.shortWindow);
  const long = ctx.dur(ctx.config.recording.longWindow);
  const scope = by(SCOPE);
  const outcomeMatcher = (outcomes: readonly string[]) => `${LABELS.planOutcome.name}=~"${outcomes.join('|')}"`;
  const { successOutcomes, failureOutcomes } = ctx.config.recording;
  return [
    { record: names.plansByState, expr: `sum ${by([...SCOPE, LABELS.planState.name])} (${ctx.sel(METRICS.plans)})` },
    {
      record: names.planOutcomesRate,
      expr: `sum ${by([...SCOPE, LABELS.planOutcome.name])} (rate(${ctx.sel(METRICS.plansTotal)}[${long}]))`,
    },
    {
      record: names.planSuccessRatio,
      expr: [
        `sum ${scope} (${names.planOutcomesRate}{${outcomeMatcher(successOutcomes)}})`,
        '/',
        `(sum ${scope} (${names.planOutcomesRate}{${outcomeMatcher([...successOutcomes, ...failureOutcomes])}}) > 0)`,
      ].join('\n'),
    },
    {
      record: names.planFailuresByReasonRate,
      expr: `sum ${by([...SCOPE, LABELS.planFailureReason.name])} (rate(${ctx.sel(METRICS.planFailures)}[${long}]))`,
    },
    {
      record: names.movesByOutcomeRate,
      expr: `sum ${by([...SCOPE, LABELS.moveOutcome.name])} (rate(${ctx.sel(METRICS.movesTotal)}[${short}]))`,
    },
    { record: names.movesRate, expr: `sum ${scope} (${names.movesByOutcomeRate})` },
    {
      record: names.moveFailuresByReasonRate,
      expr: `sum ${by([...SCOPE, LABELS.moveFailureReason.name])} (rate(${ctx.sel(METRICS.moveFailures)}[${short}]))`,
    },
    { record: names.shardsInFlight, expr: `sum ${scope} (${ctx.sel(METRICS.shardsInFlight)})` },
    { record: names.maxConcurrentMoves, expr: `max ${scope} (${ctx.sel(METRICS.maxConcurrentMoves)})` },
    { record: names.shardsInFlightRatio, expr: `${names.shardsInFlight}\n/\n(${names.maxConcurrentMoves} > 0)` },
    { record: names.approvalBacklog, expr: `sum ${scope} (${ctx.sel(METRICS.approvalBacklog)})` },
    { record: names.approvalOldestPendingAge, expr: `time() - min ${scope} (${ctx.sel(METRICS.approvalOldestPending)})` },
  ];
}
