/** Span names, span attributes and span events. One trace per plan: plan → move → phase. */

/** `service.name` of the controller's telemetry: the trace service and the Prometheus `job`. */
export const SERVICE_NAME = 'meshkit-rebalancer';

export const SPANS = {
  plan: 'meshkit.rebalance.plan',
  /**
   * A zero-length child of the plan span, ended at creation: a span is exported only when it ends,
   * and plans run for hours, so this makes a live plan's trace findable by its id at once.
   */
  planCreated: 'meshkit.rebalance.plan.created',
  move: 'meshkit.rebalance.move',
  /**
   * Zero-length children of the move span, for the same reason: `moveStarted` marks a move as it
   * starts, and `moveProgress` (at most one per move per MOVE_PROGRESS_MARKER_INTERVAL_MS, and only
   * when the count changed) carries the drain's remaining count, so a move stuck in flight shows in the trace with its progress.
   */
  moveStarted: 'meshkit.rebalance.move.started',
  moveProgress: 'meshkit.rebalance.move.progress',
  drain: 'meshkit.rebalance.move.drain',
  handoff: 'meshkit.rebalance.move.handoff',
  verify: 'meshkit.rebalance.move.verify',
} as const;

export const ATTR = {
  namespace: 'meshkit.namespace',
  cluster: 'meshkit.cluster',
  controller: 'meshkit.controller',
  planId: 'meshkit.plan.id',
  trigger: 'meshkit.plan.trigger',
  movesPlanned: 'meshkit.plan.moves_planned',
  dryRun: 'meshkit.plan.dry_run',
  planOutcome: 'meshkit.plan.outcome',
  shardId: 'meshkit.shard.id',
  fromNode: 'meshkit.move.from_node',
  toNode: 'meshkit.move.to_node',
  moveOutcome: 'meshkit.move.outcome',
  phase: 'meshkit.move.phase',
  failureReason: 'meshkit.failure.reason',
  actor: 'meshkit.actor',
  decision: 'meshkit.approval.decision',
  policy: 'meshkit.policy',
  policyAction: 'meshkit.policy.action',
  drainRemaining: 'meshkit.drain.remaining',
  deadline: 'meshkit.plan.deadline',
  forecastError25: 'meshkit.plan.forecast_error_at_25pct_seconds',
  forecastError50: 'meshkit.plan.forecast_error_at_50pct_seconds',
  forecastError75: 'meshkit.plan.forecast_error_at_75pct_seconds',
  /** Forecast − actual completion, in seconds, of the forecast that stood just before the plan's last move ended. */
  forecastErrorFinal: 'meshkit.plan.forecast_error_final_seconds',
  flap: 'meshkit.move.flap',
  flapPreviousAt: 'meshkit.move.flap_previous_move_at',
  drainRatio: 'meshkit.drain.ratio',
} as const;

/**
 * Least time, on the SDK's clock, between two progress markers of one move; the first comes this
 * long after the move's start, and a marker is sent only when the remaining count changed since the
 * last one, so a stuck drain's marker says when it last moved. Most moves end before their first.
 */
export const MOVE_PROGRESS_MARKER_INTERVAL_MS = 120_000;

/** `meshkit.failure.reason` of moves and plans the SDK ends itself (outcome aborted or orphaned). */
export const SDK_END_REASONS = {
  planEnded: 'plan_ended',
  orphanTimeout: 'orphan_timeout',
} as const;

export interface SpanEventSpec {
  name: string;
  on: keyof typeof SPANS;
  attributes: readonly (keyof typeof ATTR)[];
  description: string;
}

export const SPAN_EVENTS = {
  submitted: { name: 'plan.submitted', on: 'plan', attributes: [], description: 'plan submitted for approval' },
  approved: { name: 'plan.approved', on: 'plan', attributes: ['actor', 'decision'], description: 'approval decision in favour' },
  rejected: { name: 'plan.rejected', on: 'plan', attributes: ['actor', 'decision'], description: 'plan rejected' },
  blocked: { name: 'plan.blocked', on: 'plan', attributes: ['policy'], description: 'a policy blocked the plan' },
  overridden: { name: 'plan.override_acknowledged', on: 'plan', attributes: ['actor', 'decision'], description: 'an operator overrode a block' },
  started: { name: 'plan.started', on: 'plan', attributes: [], description: 'execution began' },
  paused: { name: 'plan.paused', on: 'plan', attributes: [], description: 'execution paused' },
  resumed: { name: 'plan.resumed', on: 'plan', attributes: [], description: 'execution resumed' },
  violation: { name: 'policy.violation', on: 'plan', attributes: ['policy', 'policyAction'], description: 'a policy was breached' },
  drainProgress: { name: 'drain.progress', on: 'drain', attributes: ['drainRemaining', 'drainRatio'], description: 'drain progress report' },
} as const satisfies Record<string, SpanEventSpec>;
