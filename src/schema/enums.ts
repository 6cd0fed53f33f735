/**
 * Bounded label values. Every enum value that can appear on a metric label or a span attribute is
 * spelled here and nowhere else.
 */

export const CONTROLLER_STATES = [
  'steady',
  'investigating',
  'draining',
  'plan_pending',
  'executing',
  'completed',
  'failed',
] as const;
export type ControllerState = (typeof CONTROLLER_STATES)[number];

/** States a plan can be in while it is live (tracked, with per-plan series). */
export const LIVE_PLAN_STATES = ['draft', 'pending_approval', 'approved', 'blocked', 'executing', 'paused'] as const;
export type LivePlanState = (typeof LIVE_PLAN_STATES)[number];

/** How a plan ends; the plan leaves the live table and its per-plan series vanish. */
export const PLAN_OUTCOMES = ['completed', 'failed', 'cancelled', 'rolled_back', 'rejected', 'orphaned'] as const;
export type PlanOutcome = (typeof PLAN_OUTCOMES)[number];

export const PLAN_TRIGGERS = [
  'manual',
  'imbalance',
  'node_drain',
  'node_join',
  'capacity',
  'scheduled',
  'rollback',
] as const;
export type PlanTrigger = (typeof PLAN_TRIGGERS)[number];

export const PLAN_MODES = ['execute', 'dry_run'] as const;
export type PlanMode = (typeof PLAN_MODES)[number];

export const PLAN_FAILURE_REASONS = [
  'moves_failed',
  'timeout',
  'policy_blocked',
  'leadership_lost',
  'verification_failed',
  'internal',
] as const;
export type PlanFailureReason = (typeof PLAN_FAILURE_REASONS)[number];

export const MOVE_OUTCOMES = ['completed', 'failed', 'aborted'] as const;
export type MoveOutcome = (typeof MOVE_OUTCOMES)[number];

export const MOVE_PHASES = ['drain', 'handoff', 'verify'] as const;
export type MovePhase = (typeof MOVE_PHASES)[number];

export const MOVE_FAILURE_REASONS = [
  'drain_timeout',
  'version_conflict',
  'checksum_mismatch',
  'node_unreachable',
  'capacity_exceeded',
  'replica_unhealthy',
  'cancelled',
  'internal',
] as const;
export type MoveFailureReason = (typeof MOVE_FAILURE_REASONS)[number];

export const APPROVAL_DECISIONS = ['approved', 'rejected', 'auto_approved', 'override'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export const POLICIES = [
  'max_concurrent_moves',
  'cooldown',
  'healthy_replica',
  'max_ownership_delta',
  'approval_required',
  'incident_freeze',
  'change_ticket_required',
] as const;
export type Policy = (typeof POLICIES)[number];

export const POLICY_ACTIONS = ['block', 'throttle', 'warn'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export const SKIP_REASONS = [
  'cooldown',
  'unhealthy_replica',
  'ownership_delta',
  'incident_freeze',
  'node_not_active',
  'capacity',
  'already_moving',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const NODE_STATUSES = ['active', 'draining', 'paused', 'disabled'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const ORPHAN_KINDS = ['plan', 'move'] as const;
export type OrphanKind = (typeof ORPHAN_KINDS)[number];

/** Every hook of the public API, for the `hook` label of the rejection counter. */
export const HOOKS = [
  'controllerHeartbeat',
  'controllerStateChanged',
  'leadershipChanged',
  'policyLimitsChanged',
  'planCreated',
  'planSubmitted',
  'planApproved',
  'planRejected',
  'planBlocked',
  'planOverrideAcknowledged',
  'planStarted',
  'planPaused',
  'planResumed',
  'planCompleted',
  'planFailed',
  'planCancelled',
  'planRolledBack',
  'moveStarted',
  'moveDrainProgress',
  'moveHandoff',
  'moveVerifying',
  'moveCompleted',
  'moveFailed',
  'policyViolation',
  'shardOwnership',
  'candidateSkipped',
] as const;
export type HookName = (typeof HOOKS)[number];

export const REJECTION_REASONS = [
  'invalid_argument',
  'invalid_value',
  'unknown_label_value',
  'label_too_long',
  'unknown_plan',
  'unknown_move',
  'duplicate_id',
  'illegal_transition',
  'limit_exceeded',
  'after_shutdown',
  'internal_error',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
