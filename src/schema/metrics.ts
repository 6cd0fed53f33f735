import { L, type LabelSpec } from './labels';

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  /** The name as Prometheus scrapes it. */
  name: string;
  kind: MetricKind;
  /** UCUM unit; `{...}` annotations carry no Prometheus suffix, `s` matches a `_seconds` name. */
  unit: string;
  help: string;
  labels: readonly LabelSpec[];
  buckets?: readonly number[];
  /** Counters whose series exist at 0 from start-up, so the first event is an increase. */
  preinitialized?: boolean;
}

const SCOPE = [L.namespace, L.cluster] as const;

/** Shard moves take from half a second (an idle shard) to an hour (a hot shard with a long drain). */
export const MOVE_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;
/** Drain, handoff and verify phases; handoff and verify are usually sub-second. */
export const PHASE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] as const;
/** Whole plans run from a minute to most of a day. */
export const PLAN_BUCKETS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 57600, 86400] as const;
/** Approval waits: from an auto-approval to a weekend. */
export const APPROVAL_BUCKETS = [1, 10, 60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200] as const;

export const METRICS = {
  state: {
    name: 'meshkit_rebalance_state',
    kind: 'gauge',
    unit: '',
    help: 'Controller loop state, one-hot: 1 for the current state, 0 for the others.',
    labels: [...SCOPE, L.controllerState],
  },
  heartbeat: {
    name: 'meshkit_rebalance_controller_heartbeat_timestamp_seconds',
    kind: 'gauge',
    unit: 's',
    help: 'Unix time of the last controller heartbeat.',
    labels: [...SCOPE, L.controller],
  },
  leader: {
    name: 'meshkit_rebalance_controller_leader',
    kind: 'gauge',
    unit: '',
    help: '1 while this controller holds the leadership lease, else 0.',
    labels: [...SCOPE, L.controller],
  },
  maxConcurrentMoves: {
    name: 'meshkit_rebalance_max_concurrent_moves',
    kind: 'gauge',
    unit: '{move}',
    help: 'Maximum concurrent shard moves allowed by the policy in force.',
    labels: SCOPE,
  },
  plans: {
    name: 'meshkit_rebalance_plans',
    kind: 'gauge',
    unit: '{plan}',
    help: 'Live plans per non-terminal state.',
    labels: [...SCOPE, L.planState],
  },
  planState: {
    name: 'meshkit_rebalance_plan_state',
    kind: 'gauge',
    unit: '',
    help: '1 for the current state of each live plan; the series vanishes when the plan ends.',
    labels: [...SCOPE, L.planId, L.planState],
  },
  planMovesRemaining: {
    name: 'meshkit_rebalance_plan_moves_remaining',
    kind: 'gauge',
    unit: '{move}',
    help: 'Moves of a live plan not yet completed or failed.',
    labels: [...SCOPE, L.planId],
  },
  planLastProgress: {
    name: 'meshkit_rebalance_plan_last_progress_timestamp_seconds',
    kind: 'gauge',
    unit: 's',
    help: 'Unix time a live plan last made progress (a move started, drained, handed off or completed).',
    labels: [...SCOPE, L.planId],
  },
  planForecastCompletion: {
    name: 'meshkit_rebalance_plan_forecast_completion_timestamp_seconds',
    kind: 'gauge',
    unit: 's',
    help:
      'Unix time an executing plan is forecast to finish: the time of its last ended move plus its moves left times an ' +
      'exponentially weighted average of the time between move ends (a gap longer than the average counts as it grows), and no ' +
      'earlier than its longest-running move in flight having run twice its age. ' +
      'Absent until the plan\'s first move ends, and while the plan is not executing.',
    labels: [...SCOPE, L.planId],
  },
  planDeadline: {
    name: 'meshkit_rebalance_plan_deadline_timestamp_seconds',
    kind: 'gauge',
    unit: 's',
    help: 'Unix time a live plan must finish by (the `deadline` given to planCreated); absent for plans without one.',
    labels: [...SCOPE, L.planId],
  },
  plansTotal: {
    name: 'meshkit_rebalance_plans_total',
    kind: 'counter',
    unit: '{plan}',
    help: 'Plans that reached a terminal state, by outcome.',
    labels: [...SCOPE, L.planOutcome],
    preinitialized: true,
  },
  plansCreated: {
    name: 'meshkit_rebalance_plans_created_total',
    kind: 'counter',
    unit: '{plan}',
    help: 'Plans created, by trigger and by mode (executed or dry-run preview).',
    labels: [...SCOPE, L.trigger, L.mode],
    preinitialized: true,
  },
  planFailures: {
    name: 'meshkit_rebalance_plan_failures_total',
    kind: 'counter',
    unit: '{plan}',
    help: 'Failed plans, by reason.',
    labels: [...SCOPE, L.planFailureReason],
    preinitialized: true,
  },
  planDuration: {
    name: 'meshkit_rebalance_duration_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Plan execution time, from start to its terminal state.',
    labels: [...SCOPE, L.planOutcome],
    buckets: PLAN_BUCKETS,
  },
  moveDuration: {
    name: 'meshkit_rebalance_move_duration_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Shard move time, from move start to completion or failure.',
    labels: [...SCOPE, L.moveOutcome],
    buckets: MOVE_BUCKETS,
  },
  movePhaseDuration: {
    name: 'meshkit_rebalance_move_phase_duration_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Time spent in each phase of a shard move.',
    labels: [...SCOPE, L.phase],
    buckets: PHASE_BUCKETS,
  },
  shardsInFlight: {
    name: 'meshkit_rebalance_shards_in_flight',
    kind: 'gauge',
    unit: '{shard}',
    help: 'Shard moves started and not yet ended.',
    labels: SCOPE,
  },
  drainRemaining: {
    name: 'meshkit_rebalance_drain_remaining',
    kind: 'gauge',
    unit: '{item}',
    help: 'In-flight items still to drain, summed over the moves in their drain phase.',
    labels: SCOPE,
  },
  movesTotal: {
    name: 'meshkit_rebalance_moves_total',
    kind: 'counter',
    unit: '{move}',
    help: 'Shard moves that ended, by outcome.',
    labels: [...SCOPE, L.moveOutcome],
    preinitialized: true,
  },
  movesStartedOverLimit: {
    name: 'meshkit_rebalance_moves_started_over_limit_total',
    kind: 'counter',
    unit: '{move}',
    help: 'Shard moves started while the moves in flight were already at or above max_concurrent_moves: the controller broke the limit.',
    labels: SCOPE,
    preinitialized: true,
  },
  shardFlaps: {
    name: 'meshkit_rebalance_shard_flaps_total',
    kind: 'counter',
    unit: '{move}',
    help:
      'Completed shard moves that returned a shard to the node it left on its previous completed move, within the flap window ' +
      '(limits.flapWindowMs); moves of rollback plans return shards on purpose and are not counted.',
    labels: SCOPE,
    preinitialized: true,
  },
  moveFailures: {
    name: 'meshkit_rebalance_move_failures_total',
    kind: 'counter',
    unit: '{move}',
    help: 'Failed shard moves, by reason.',
    labels: [...SCOPE, L.moveFailureReason],
    preinitialized: true,
  },
  approvals: {
    name: 'meshkit_rebalance_plan_approvals_total',
    kind: 'counter',
    unit: '{plan}',
    help: 'Approval decisions on plans.',
    labels: [...SCOPE, L.decision],
    preinitialized: true,
  },
  approvalBacklog: {
    name: 'meshkit_rebalance_approval_backlog',
    kind: 'gauge',
    unit: '{plan}',
    help: 'Plans submitted and waiting for an approval decision.',
    labels: SCOPE,
  },
  approvalOldestPending: {
    name: 'meshkit_rebalance_approval_oldest_pending_timestamp_seconds',
    kind: 'gauge',
    unit: 's',
    help: 'Unix time the oldest plan still waiting for approval was submitted; absent when none waits.',
    labels: SCOPE,
  },
  approvalWait: {
    name: 'meshkit_rebalance_approval_wait_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Time from submission to the approval decision.',
    labels: [...SCOPE, L.decision],
    buckets: APPROVAL_BUCKETS,
  },
  policyViolations: {
    name: 'meshkit_rebalance_policy_violations_total',
    kind: 'counter',
    unit: '{violation}',
    help: 'Policy violations, by policy and by the action taken.',
    labels: [...SCOPE, L.policy, L.action],
    preinitialized: true,
  },
  candidatesSkipped: {
    name: 'meshkit_rebalance_candidates_skipped_total',
    kind: 'counter',
    unit: '{candidate}',
    help: 'Candidate moves the planner skipped, by reason.',
    labels: [...SCOPE, L.skipReason],
    preinitialized: true,
  },
  shardsOwned: {
    name: 'meshkit_shards_owned',
    kind: 'gauge',
    unit: '{shard}',
    help: 'Shards owned per node and shard status, from the last ownership snapshot.',
    labels: [...SCOPE, L.node, L.nodeStatus],
  },
  orphans: {
    name: 'meshkit_rebalance_telemetry_orphans_total',
    kind: 'counter',
    unit: '{item}',
    help: 'Plans and moves dropped from the SDK tables after no hook touched them for the orphan timeout.',
    labels: [...SCOPE, L.orphanKind],
    preinitialized: true,
  },
  flapEvictions: {
    name: 'meshkit_rebalance_telemetry_flap_evictions_total',
    kind: 'counter',
    unit: '{shard}',
    help: 'Shards dropped from the SDK\'s table of last completed moves (limits.maxFlapShards) before their flap window ended: flaps of those shards go uncounted.',
    labels: SCOPE,
    preinitialized: true,
  },
  rejected: {
    name: 'meshkit_rebalance_telemetry_rejected_total',
    kind: 'counter',
    unit: '{call}',
    help: 'Hook calls the SDK rejected (bad arguments, unknown ids, illegal transitions, limits).',
    labels: [...SCOPE, L.hook, L.rejectionReason],
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricKey = keyof typeof METRICS;
export const METRIC_LIST: readonly MetricSpec[] = Object.values(METRICS);
