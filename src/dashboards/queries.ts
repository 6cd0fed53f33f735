/** Every PromQL expression of the dashboards, by name. Panels in exec.ts and oncall.ts pick from here. */
import { DEFAULT_ALERTING_CONFIG } from '../alerting/config';
import * as E from '../schema/enums';
import { L } from '../schema/labels';
import { METRICS as M } from '../schema/metrics';
import { SPAN_LABELS, SPAN_METRICS } from '../schema/span-metrics';
import { SPANS } from '../schema/spans';
import { ALERTS, ALERT_NAME_PATTERN } from './alerts';
import { age, anyOf, changes, eq, heatmapBuckets, increase, withExemplarsOf, INTERVAL, maxBy, oneOf, quantile, RANGE, sel, sumBy } from './promql';
import { R } from './recorded';

const SCOPE = [L.namespace, L.cluster];
const PLAN = [L.namespace, L.cluster, L.planId];
/** Labels that tell one controller's series from another's (the scrape target's). */
const TARGET = 'namespace, cluster, job, instance';
const completedMoves = eq(L.moveOutcome, oneOf(E.MOVE_OUTCOMES, 'completed'));
const executing = eq(L.planState, oneOf(E.LIVE_PLAN_STATES, 'executing'));
/** The success ratio counts what the recording rule counts (cancelled and rejected plans are decisions). */
const { successOutcomes, failureOutcomes } = DEFAULT_ALERTING_CONFIG.recording;
const succeeded = anyOf(L.planOutcome, successOutcomes);
const decided = anyOf(L.planOutcome, [...successOutcomes, ...failureOutcomes]);

/** The span duration histogram's buckets of one span name: where the exemplars of a heatmap come from. */
const spanBuckets = (span: (typeof SPANS)[keyof typeof SPANS]) =>
  sel(SPAN_METRICS.duration, [eq(SPAN_LABELS.spanName, oneOf(SPAN_LABELS.spanName.domain.values, span))], { suffix: '_bucket' });

/** Heartbeat age when Prometheus collected the sample (as the heartbeat alert reads it). */
const heartbeatAge = (labels: typeof SCOPE) => `max by (${labels.map((l) => l.name).join(', ')}) (timestamp(${sel(M.heartbeat)}) - ${sel(M.heartbeat)})`;

export const Q = {
  // Plans
  plansByState: sumBy([L.planState], sel(R.plansByState)),
  plansEndedPerHour: `${sumBy([L.planOutcome], sel(R.planOutcomesRate))} * 3600`,
  successRate: `${sumBy([], increase(sel(M.plansTotal, [succeeded]), RANGE))} / ${sumBy([], increase(sel(M.plansTotal, [decided]), RANGE))}`,
  successRatioByCluster: sel(R.planSuccessRatio),
  plansCreatedByTrigger: sumBy([L.trigger], increase(sel(M.plansCreated, [eq(L.mode, oneOf(E.PLAN_MODES, 'execute'))]))),
  planDurationP50: quantile(0.5, M.planDuration, [], [eq(L.planOutcome, oneOf(E.PLAN_OUTCOMES, 'completed'))]),
  planDurationP90: quantile(0.9, M.planDuration, [], [eq(L.planOutcome, oneOf(E.PLAN_OUTCOMES, 'completed'))]),

  // Moves
  shardsMoved: sumBy([], increase(sel(M.movesTotal, [completedMoves]), RANGE)),
  movesPerMinute: `${sumBy([L.moveOutcome], sel(R.movesByOutcomeRate))} * 60`,
  inFlightRecorded: sel(R.shardsInFlight),
  inFlightLimitRecorded: sel(R.maxConcurrentMoves),
  inFlight: sumBy(SCOPE, sel(M.shardsInFlight)),
  inFlightLimit: maxBy(SCOPE, sel(M.maxConcurrentMoves)),
  moveHeatmap: withExemplarsOf(heatmapBuckets(M.moveDuration), spanBuckets(SPANS.move)),
  moveP50: quantile(0.5, M.moveDuration),
  moveP90: quantile(0.9, M.moveDuration),
  moveP99: quantile(0.99, M.moveDuration),
  phaseP50: quantile(0.5, M.movePhaseDuration, [L.phase]),
  phaseP90: quantile(0.9, M.movePhaseDuration, [L.phase]),
  drainHeatmap: withExemplarsOf(heatmapBuckets(M.movePhaseDuration, [eq(L.phase, oneOf(E.MOVE_PHASES, 'drain'))]), spanBuckets(SPANS.drain)),
  drainRemaining: sumBy(SCOPE, sel(M.drainRemaining)),

  // The plan queue: one row per live plan
  queueState: `${maxBy([...PLAN, L.planState], sel(M.planState, [], { byPlan: true }))} == 1`,
  queueMovesRemaining: sumBy(PLAN, sel(M.planMovesRemaining, [], { byPlan: true })),
  queueSinceProgress: age(maxBy(PLAN, sel(M.planLastProgress, [], { byPlan: true }))),
  queueForecastLeft: `${maxBy(PLAN, sel(M.planForecastCompletion, [], { byPlan: true }))} - time()`,

  // Forecasts, flaps and the concurrency limit
  forecastMargin: `${maxBy(PLAN, sel(M.planDeadline))} - ${maxBy(PLAN, sel(M.planForecastCompletion))}`,
  inFlightAboveLimit: `(${sumBy(SCOPE, sel(M.shardsInFlight))} - ${maxBy(SCOPE, sel(M.maxConcurrentMoves))}) > 0`,
  startedOverLimit: sumBy(SCOPE, increase(sel(M.movesStartedOverLimit))),
  shardFlaps: sumBy(SCOPE, increase(sel(M.shardFlaps))),

  // Nodes
  shardsPerNode: sumBy([L.node], sel(M.shardsOwned)),
  shardsByStatus: sumBy([L.nodeStatus], sel(M.shardsOwned)),

  // Approvals
  approvalBacklog: sumBy([], sel(R.approvalBacklog)),
  approvalOldestWait: maxBy([], sel(R.approvalOldestPendingAge)),
  approvalBacklogByCluster: sumBy(SCOPE, sel(M.approvalBacklog)),
  approvalOldestWaitByCluster: maxBy(SCOPE, age(sel(M.approvalOldestPending))),
  approvalWaitP90: quantile(0.9, M.approvalWait, [L.decision]),

  // Failures and policy
  moveFailuresByReason: sumBy([L.moveFailureReason], increase(sel(M.moveFailures))),
  planFailuresByReason: sumBy([L.planFailureReason], increase(sel(M.planFailures))),
  policyViolations: sumBy([L.policy, L.action], increase(sel(M.policyViolations))),
  skippedCandidates: sumBy([L.skipReason], increase(sel(M.candidatesSkipped))),

  // Controllers
  controllerState: `${maxBy([...SCOPE, L.controllerState], sel(M.state))} == 1`,
  heartbeatAge: heartbeatAge([...SCOPE, L.controller]),
  leader: maxBy([...SCOPE, L.controller], sel(M.leader)),
  leaderChanges: sumBy(SCOPE, changes(sel(M.leader))),
  stateChanges: sumBy(SCOPE, changes(sel(M.state))),

  // Clusters at a glance: one row per namespace/cluster
  // The leader's loop state: a standby idles in `steady`, and a row per controller state would list a cluster twice.
  clusterState: maxBy([...SCOPE, L.controllerState], `${sel(M.state)} == 1 and on (${TARGET}) ${sel(M.leader)} == 1`),
  clusterLivePlans: sumBy(SCOPE, sel(M.plans)),
  clusterInFlight: sel(R.shardsInFlight),
  clusterMoveFailures: sumBy(SCOPE, increase(sel(M.moveFailures), RANGE)),
  clusterPlanFailures: sumBy(SCOPE, increase(sel(M.planFailures), RANGE)),
  clusterHeartbeatAge: heartbeatAge(SCOPE),

  // Alerts: the series Prometheus writes for every pending or firing alert
  alertsFiring: sumBy(
    [ALERTS.labels.alertname, ALERTS.labels.severity, ...SCOPE],
    sel(ALERTS.series, [{ label: ALERTS.labels.alertname, op: '=~', value: ALERT_NAME_PATTERN }, eq(ALERTS.labels.alertstate, 'firing')]),
  ),

  // The SDK's own health. The rejection counter is not pre-initialised: show it cumulative, so the
  // first rejection of a hook/reason pair is visible (an increase() would miss it).
  sdkRejections: sumBy([L.hook, L.rejectionReason], sel(M.rejected)),
  sdkOrphans: sumBy([L.orphanKind], increase(sel(M.orphans))),

  // Annotations: a plan starts (or resumes) executing; plans end, by outcome.
  annotationPlanStarted: `${maxBy(PLAN, `${sel(M.planState, [executing])} == 1`)} unless ${maxBy(PLAN, `${sel(M.planState, [executing])} offset ${INTERVAL} == 1`)}`,
  annotationPlanEnded: `${sumBy([...SCOPE, L.planOutcome], increase(sel(M.plansTotal)))} > 0`,
} as const;

export type QueryKey = keyof typeof Q;
