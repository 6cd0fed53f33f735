import type { enums } from '../index';
import { MINUTE, SECOND } from './clock';

export type Span = readonly [number, number];

/** How a controller and the people around it behave: the knobs scenarios turn. */
export interface Behaviour {
  /** Heartbeat period under leadership (lease renewals every few seconds). */
  heartbeatMs: number;
  /** How often the ownership snapshot is reported when it changed. */
  snapshotMs: number;
  /** Period of the planner's own imbalance check; 0 turns it off. */
  investigateEveryMs: Span;
  /** Time an investigation takes before it plans (or finds nothing). */
  analysisMs: Span;
  /** Load drift that makes plans necessary: how often, what it is, how strong. */
  drift: { everyMs: Span; kinds: readonly (readonly [enums.PlanTrigger, number])[]; strength: Span } | undefined;
  /** Dry-run previews (counted, not tracked) this often; 0 for none. */
  dryRunEveryMs: number;
  /** Plans the controller keeps live at once; investigations wait while the limit is reached. */
  maxLivePlans: number;
  movesPerPlan: number;
  /** Moves of one plan in flight at once (the namespace-wide limit is a policy). */
  perPlanConcurrency: number;
  /** Moves the controller starts beyond the policy limit: 0 for a controller that enforces it, more for one with a bug in its check. */
  limitSlack: number;
  /** Each executed plan must finish within this long of its creation (the `deadline` of planCreated); 0 for no deadline. */
  planDeadlineMs: number;
  /** In-flight items a drain has to finish, and how fast it finishes them (items per second). */
  drainItems: Span;
  drainRate: Span;
  progressEveryMs: Span;
  handoffMs: Span;
  verifyMs: Span;
  /** Approved → started. */
  startDelayMs: Span;
  /** Failure chance of a move to a healthy node, and to an unhealthy one. */
  moveFailureRate: number;
  unhealthyTargetFailureRate: number;
  failureReasons: readonly (readonly [enums.MoveFailureReason, number])[];
  unhealthyTargetReasons: readonly (readonly [enums.MoveFailureReason, number])[];
  unhealthyReplicaRate: number;
  /** A drain that has not shrunk for this long fails (drain_timeout). */
  moveDrainTimeoutMs: number;
  /** An executing plan that made no progress for this long fails (timeout). */
  planStallTimeoutMs: number;
  /** A plan ending in a checksum mismatch is rolled back by a rollback plan. */
  rollbackOnChecksum: boolean;
  pickRecent: boolean;
  /** Humans: approvers of submitted plans and reviewers of blocked ones. */
  approver: { delayMs: Span; rejectRate: number; cancelRate: number; actors: readonly string[] };
  reviewer: { delayMs: Span; overrideRate: number; actors: readonly string[] };
  /** How long `completed` / `failed` shows before the loop is back to steady. */
  settleMs: number;
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  heartbeatMs: 5 * SECOND,
  snapshotMs: 30 * SECOND,
  investigateEveryMs: [6 * MINUTE, 10 * MINUTE],
  analysisMs: [2 * SECOND, 8 * SECOND],
  drift: undefined,
  dryRunEveryMs: 0,
  maxLivePlans: 1,
  movesPerPlan: 40,
  perPlanConcurrency: 64,
  limitSlack: 0,
  planDeadlineMs: 0,
  drainItems: [20, 400],
  drainRate: [1, 4],
  progressEveryMs: [10 * SECOND, 20 * SECOND],
  handoffMs: [200, 1500],
  verifyMs: [300, 3000],
  startDelayMs: [1 * SECOND, 5 * SECOND],
  moveFailureRate: 0,
  unhealthyTargetFailureRate: 0.8,
  failureReasons: [
    ['version_conflict', 3],
    ['drain_timeout', 1],
    ['capacity_exceeded', 1],
    ['internal', 1],
  ],
  unhealthyTargetReasons: [
    ['node_unreachable', 5],
    ['version_conflict', 3],
    ['checksum_mismatch', 2],
  ],
  unhealthyReplicaRate: 0.01,
  moveDrainTimeoutMs: 30 * MINUTE,
  planStallTimeoutMs: 45 * MINUTE,
  rollbackOnChecksum: true,
  pickRecent: false,
  approver: { delayMs: [2 * MINUTE, 8 * MINUTE], rejectRate: 0, cancelRate: 0, actors: ['oncall.alice', 'oncall.bob', 'sre.carol'] },
  reviewer: { delayMs: [8 * MINUTE, 15 * MINUTE], overrideRate: 1, actors: ['sre.carol', 'lead.dan'] },
  settleMs: 30 * SECOND,
};
