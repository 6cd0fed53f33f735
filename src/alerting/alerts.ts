/**
 * The alerting rules. Each alert: a PromQL expression built from the schema, a `for`, a severity and
 * templated annotations; `render.ts` adds `runbook_url` and `dashboard_url` from their one pattern.
 *
 * Leadership: one controller per namespace/cluster holds the lease. Alerts that read controller
 * *state* (plans, moves in flight, approvals, heartbeats) read only the process whose
 * `controller_leader` gauge is 1, so a standby or a deposed leader with a stale table never pages;
 * a standby's missing heartbeat is a ticket of its own. Alerts on *counters* count events wherever
 * they happened: only a leader executes, so a failure counted by a controller that has since lost
 * the lease is still a real failure.
 */
import { LABELS, METRICS, type MetricSpec } from '../schema';
import type { AlertName, Severity } from './config';
import { CLUSTER, NS, RuleContext, SCOPE, by, formatDuration, indent, num, on } from './promql';

export interface AlertRule {
  alert: AlertName;
  expr: string;
  for: string;
  severity: Severity;
  summary: string;
  description: string;
  /** Dashboard variables of `dashboard_url` (namespace and cluster when the alert has them). */
  dashboardVars: Readonly<Record<string, string>>;
  /** Labels beside `severity`: `cause` tells apart two rules of one alert. */
  labels?: Readonly<Record<string, string>>;
}

const label = (name: string) => `{{ $labels.${name} }}`;
const where = `${label(NS)}/${label(CLUSTER)}`;
const scopeVars = { [NS]: label(NS), [CLUSTER]: label(CLUSTER) };
const count = '{{ printf "%.0f" $value }}';
/** A Prometheus template that prints the first value of `query` (and nothing when it returns none). */
const queryValue = (query: string) => `{{ with printf ${JSON.stringify(query)} $labels.${NS} $labels.${CLUSTER} | query }}{{ . | first | value | printf "%.0f" }}{{ end }}`;

export function alertRules(ctx: RuleContext): AlertRule[] {
  const c = ctx.config;
  const human = (duration: string) => formatDuration(ctx.seconds(duration));
  const leader = ctx.sel(METRICS.leader);
  const planId = LABELS.planId.name;
  const controller = LABELS.controller.name;
  const scopeMatch = (metric: string) => `${metric}{${NS}=%q, ${CLUSTER}=%q}`;

  // Heartbeat age when Prometheus collected it: independent of the scrape or export interval.
  const hb = ctx.sel(METRICS.heartbeat);
  const heartbeatAge = `timestamp(${hb}) - ${hb}`;
  const heartbeatLimit = ctx.seconds(c.heartbeat.interval) * c.heartbeat.missed;
  const staleHeartbeat = (leaderValue: 0 | 1) =>
    `max ${by([...SCOPE, controller])} (\n  ${indent(ctx.onlyLeader(heartbeatAge, METRICS.leader, leaderValue, [controller]), 2)}\n)\n> ${num(heartbeatLimit)}`;

  const events = (metric: MetricSpec, window: string, matchers: Record<string, string> = {}) =>
    ctx.eventsWithin(ctx.sel(metric, matchers), window, leader, SCOPE);

  return [
    {
      alert: 'MeshKitRebalancePlanStuck',
      severity: 'page',
      for: ctx.dur(c.planStuck.for),
      expr: [
        `max ${by([...SCOPE, planId])} (`,
        `  ${indent(
          ctx.onlyLeader(
            `(time() - ${ctx.sel(METRICS.planLastProgress)})\nand ${on([...ctx.processLabels, planId])}\n  (${ctx.sel(METRICS.planState, { [LABELS.planState.name]: 'executing' })} == 1)`,
            METRICS.leader,
          ),
          2,
        )}`,
        `)`,
        `> ${num(ctx.seconds(c.planStuck.noProgressFor))}`,
      ].join('\n'),
      summary: `Rebalance plan ${label(planId)} in ${where} is stuck`,
      description:
        `Plan ${label(planId)} (namespace ${label(NS)}, cluster ${label(CLUSTER)}) has been executing without progress ` +
        `for {{ $value | humanizeDuration }} (limit ${human(c.planStuck.noProgressFor)}); no move started, drained, handed off or completed. ` +
        `Its shards may be held in Draining.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceApprovalBacklog',
      severity: 'ticket',
      for: ctx.dur(c.approvalBacklog.for),
      expr: [
        `time() - min ${by(SCOPE)} (`,
        `  ${indent(ctx.onlyLeader(ctx.sel(METRICS.approvalOldestPending), METRICS.leader), 2)}`,
        `)`,
        `> ${num(ctx.seconds(c.approvalBacklog.oldestPendingOver))}`,
      ].join('\n'),
      summary: `Rebalance approvals waiting in ${where}`,
      description:
        `The oldest rebalance plan waiting for approval in namespace ${label(NS)}, cluster ${label(CLUSTER)} has waited ` +
        `{{ $value | humanizeDuration }} (limit ${human(c.approvalBacklog.oldestPendingOver)}); ` +
        `${queryValue(`sum(${scopeMatch(METRICS.approvalBacklog.name)})`)} plan(s) wait.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceExcessiveConcurrentMoves',
      severity: 'page',
      for: '0s',
      expr: `sum ${by(SCOPE)} (\n  ${indent(events(METRICS.movesStartedOverLimit, c.excessiveConcurrentMoves.window), 2)}\n)\n> 0`,
      summary: `Shard moves started over the concurrency limit in ${where}`,
      description:
        `The controller of namespace ${label(NS)}, cluster ${label(CLUSTER)} started ${count} shard move(s) within the last ` +
        `${human(c.excessiveConcurrentMoves.window)} while the moves in flight were already at or above the policy limit ` +
        `(now ${queryValue(`max(${scopeMatch(METRICS.maxConcurrentMoves.name)})`)}): it does not enforce the limit.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceMovesAboveLoweredLimit',
      severity: 'ticket',
      for: '0s',
      expr: (() => {
        const budget = ctx.dur(c.movesAboveLoweredLimit.drainBudget);
        const above = `min_over_time(${ctx.sel(METRICS.shardsInFlight)}[${budget}])\n> ${on(ctx.processLabels)}\nmax_over_time(${ctx.sel(METRICS.maxConcurrentMoves)}[${budget}])`;
        return [
          `max ${by(SCOPE)} (`,
          `  ${indent(ctx.onlyLeader(above, METRICS.leader), 2)}`,
          `)`,
          `unless ${on(SCOPE)}`,
          `sum ${by(SCOPE)} (`,
          `  ${indent(events(METRICS.movesStartedOverLimit, c.movesAboveLoweredLimit.drainBudget), 2)}`,
          `) > 0`,
        ].join('\n');
      })(),
      summary: `Shard moves still above a lowered limit in ${where}`,
      description:
        `At least ${count} shard moves have been in flight in namespace ${label(NS)}, cluster ${label(CLUSTER)} throughout the last ` +
        `${human(c.movesAboveLoweredLimit.drainBudget)}, above the policy limit of ` +
        `${queryValue(`max(${scopeMatch(METRICS.maxConcurrentMoves.name)})`)}; the controller started none over it, ` +
        `so the limit was lowered under moves that are draining more slowly than the drain budget.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceRepeatedFailures',
      severity: 'page',
      for: '0s',
      expr: `sum ${by(SCOPE)} (\n  ${indent(events(METRICS.moveFailures, c.repeatedFailures.window), 2)}\n)\n>= ${num(c.repeatedFailures.threshold)}`,
      summary: `Shard moves failing repeatedly in ${where}`,
      description:
        `${count} shard moves failed in namespace ${label(NS)}, cluster ${label(CLUSTER)} within the last ` +
        `${human(c.repeatedFailures.window)} (threshold ${c.repeatedFailures.threshold}), whatever their reasons.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalancePlanFailed',
      severity: 'ticket',
      for: '0s',
      expr: `sum ${by([...SCOPE, LABELS.planFailureReason.name])} (\n  ${indent(events(METRICS.planFailures, c.planFailed.window), 2)}\n)\n> 0`,
      summary: `Rebalance plan failed in ${where} (${label(LABELS.planFailureReason.name)})`,
      description:
        `${count} rebalance plan(s) failed in namespace ${label(NS)}, cluster ${label(CLUSTER)} within the last ` +
        `${human(c.planFailed.window)}, reason ${label(LABELS.planFailureReason.name)}.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceControllerHeartbeatMissing',
      severity: 'page',
      for: ctx.dur(c.heartbeat.for),
      expr: staleHeartbeat(1),
      labels: { cause: 'stale_heartbeat' },
      summary: `Rebalance leader ${label(controller)} in ${where} is not heartbeating`,
      description:
        `The leader controller ${label(controller)} of namespace ${label(NS)}, cluster ${label(CLUSTER)} last heartbeat was ` +
        `{{ $value | humanizeDuration }} old when collected (limit ${human(c.heartbeat.interval)} × ${c.heartbeat.missed}). ` +
        `It still holds the lease, so no other controller can take over.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceControllerHeartbeatMissing',
      severity: 'page',
      for: ctx.dur(c.heartbeat.vanishedFor),
      labels: { cause: 'series_vanished' },
      expr: [
        `group ${by(SCOPE)} (present_over_time(${leader}[${ctx.dur(c.heartbeat.vanishedLookback)}]))`,
        `unless ${on(SCOPE)}`,
        `group ${by(SCOPE)} (${leader})`,
      ].join('\n'),
      summary: `Rebalance controllers of ${where} have vanished`,
      description:
        `No controller of namespace ${label(NS)}, cluster ${label(CLUSTER)} has exported metrics for ` +
        `${human(c.heartbeat.vanishedFor)} or more, though one did within the last ${human(c.heartbeat.vanishedLookback)}; ` +
        `the controllers are down or their scrape or OTLP export stopped.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceStandbyHeartbeatMissing',
      severity: 'ticket',
      for: ctx.dur(c.heartbeat.for),
      expr: staleHeartbeat(0),
      summary: `Standby rebalance controller ${label(controller)} in ${where} is not heartbeating`,
      description:
        `The standby controller ${label(controller)} of namespace ${label(NS)}, cluster ${label(CLUSTER)} last heartbeat was ` +
        `{{ $value | humanizeDuration }} old when collected (limit ${human(c.heartbeat.interval)} × ${c.heartbeat.missed}). ` +
        `It does not hold the lease; failover would depend on it.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceNoLeader',
      severity: 'ticket',
      for: ctx.dur(c.noLeader.for),
      expr: `max ${by(SCOPE)} (${leader}) == 0`,
      summary: `No rebalance controller leads ${where}`,
      description:
        `No controller of namespace ${label(NS)}, cluster ${label(CLUSTER)} that Prometheus sees has held the leadership lease ` +
        `for ${human(c.noLeader.for)}, so no plan runs there until one does.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalancePolicyViolation',
      severity: 'ticket',
      for: '0s',
      expr: `sum ${by([...SCOPE, LABELS.policy.name])} (\n  ${indent(events(METRICS.policyViolations, c.policyViolation.window, { [LABELS.action.name]: 'block' }), 2)}\n)\n> 0`,
      summary: `Rebalance policy ${label(LABELS.policy.name)} blocked a plan in ${where}`,
      description:
        `Policy ${label(LABELS.policy.name)} blocked ${count} time(s) in namespace ${label(NS)}, cluster ${label(CLUSTER)} ` +
        `within the last ${human(c.policyViolation.window)}.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalancePlanOverrun',
      severity: 'ticket',
      for: ctx.dur(c.planOverrun.for),
      expr: (() => {
        const planOn = on([...ctx.processLabels, planId]);
        const deadline = ctx.sel(METRICS.planDeadline);
        const executing = `(${ctx.sel(METRICS.planState, { [LABELS.planState.name]: 'executing' })} == 1)`;
        const over = [
          `${ctx.sel(METRICS.planForecastCompletion)} - ${planOn} ${deadline}`,
          `or ${planOn}`,
          `(time() - ${deadline}) and ${planOn} ${executing}`,
        ].join('\n');
        return [`max ${by([...SCOPE, planId])} (`, `  ${indent(ctx.onlyLeader(over, METRICS.leader), 2)}`, `)`, `> 0`].join('\n');
      })(),
      summary: `Rebalance plan ${label(planId)} in ${where} will miss its deadline`,
      description:
        `Plan ${label(planId)} (namespace ${label(NS)}, cluster ${label(CLUSTER)}) is forecast to finish ` +
        `{{ $value | humanizeDuration }} after its deadline, at the pace of its recent move ends ` +
        `(for ${human(c.planOverrun.for)}). It is moving, too slowly to finish in time.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceShardFlapping',
      severity: 'ticket',
      for: '0s',
      expr: `sum ${by(SCOPE)} (\n  ${indent(events(METRICS.shardFlaps, c.shardFlapping.window), 2)}\n)\n>= ${num(c.shardFlapping.threshold)}`,
      summary: `Shards flapping between nodes in ${where}`,
      description:
        `${count} completed shard moves in namespace ${label(NS)}, cluster ${label(CLUSTER)} within the last ` +
        `${human(c.shardFlapping.window)} returned a shard to the node it had just left (threshold ${c.shardFlapping.threshold}): ` +
        `the rebalancer is undoing its own moves.`,
      dashboardVars: scopeVars,
    },
    {
      alert: 'MeshKitRebalanceTelemetryRejected',
      severity: 'ticket',
      for: '0s',
      expr: (() => {
        const target = [c.jobLabel, c.instanceLabel];
        const rejected = ctx.eventsWithin(ctx.sel(METRICS.rejected), c.telemetryRejected.window, leader, [c.jobLabel]);
        return `sum ${by([...target, LABELS.hook.name, LABELS.rejectionReason.name])} (\n  ${indent(rejected, 2)}\n)\n> ${num(c.telemetryRejected.threshold)}`;
      })(),
      summary: `Rebalance telemetry rejected ${label(LABELS.hook.name)} calls on ${label(c.instanceLabel)}`,
      description:
        `The telemetry SDK in ${label(c.jobLabel)}/${label(c.instanceLabel)} rejected ${count} ${label(LABELS.hook.name)} call(s) ` +
        `within the last ${human(c.telemetryRejected.window)}, reason ${label(LABELS.rejectionReason.name)}; ` +
        `the controller calls the hook wrongly and that telemetry is lost.`,
      dashboardVars: {},
    },
  ];
}
