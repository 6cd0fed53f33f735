import type { enums } from '../index';
import type { MoveSpec } from './planner';

export type Phase = 'drain' | 'handoff' | 'verify';

/** A plan as the controller tracks it (the SDK tracks its own copy through the hooks). */
export interface SimPlan {
  readonly id: string;
  readonly trigger: enums.PlanTrigger;
  readonly moves: MoveSpec[];
  /** Next move of `moves` to start. */
  next: number;
  readonly inFlight: Set<SimMove>;
  ended: number;
  failures: number;
  checksumFailures: number;
  readonly completed: MoveSpec[];
  state: enums.LivePlanState | 'ended';
  throttled: boolean;
  lastProgressAt: number;
  /** Node index this plan drains, for node_drain plans. */
  drainOf: number | undefined;
}

/** A shard move under way. */
export interface SimMove extends MoveSpec {
  readonly plan: SimPlan;
  readonly shardId: string;
  readonly items: number;
  readonly rate: number;
  remaining: number;
  reports: number;
  lastTickAt: number;
  lastShrinkAt: number;
  /** The shard was parked (paused) on a draining node before the move. */
  readonly parked: boolean;
  readonly failure: { reason: enums.MoveFailureReason; phase: Phase; atRemaining: number } | undefined;
  ended: boolean;
}

/** Where in a move each failure reason strikes. */
export const PHASE_OF: Record<enums.MoveFailureReason, Phase> = {
  drain_timeout: 'drain',
  replica_unhealthy: 'drain',
  node_unreachable: 'handoff',
  version_conflict: 'handoff',
  capacity_exceeded: 'handoff',
  checksum_mismatch: 'verify',
  internal: 'verify',
  cancelled: 'drain',
};
