import type { Span } from '@opentelemetry/api';
import { LIVE_PLAN_STATES } from '../../schema/enums';

export interface LiveMove {
  readonly shardId: string;
  readonly startedAt: number;
  /** Position in MOVE_PHASES of the phase under way. */
  phase: number;
  phaseStartedAt: number;
  /** Items still to drain; counted in the drain gauge only while the move drains. */
  remaining: number;
  drainEvents: number;
  /** When the move's last progress marker span was emitted (its start until the first), and its count (-1 before). */
  markedAt: number;
  markedRemaining: number;
  touchedAt: number;
  readonly span: Span;
  phaseSpan: Span;
}

export interface LivePlan {
  readonly id: string;
  /** Position in LIVE_PLAN_STATES. */
  state: number;
  readonly trigger: number;
  readonly movesPlanned: number;
  movesEnded: number;
  readonly createdAt: number;
  submittedAt: number | undefined;
  startedAt: number | undefined;
  lastProgressAt: number;
  touchedAt: number;
  readonly span: Span;
  readonly moves: Map<string, LiveMove>;
  /** Shards whose move failed and may be retried in this plan; at most movesPlanned of them. */
  readonly failedShards: Set<string>;
}

/**
 * Live plans and their live moves, with the per-state and in-flight counts kept up to date so
 * that collection never has to recount. Bounded by the caller (see TelemetryLimits).
 */
export class PlanTable {
  readonly plans = new Map<string, LivePlan>();
  readonly countByState = new Int32Array(LIVE_PLAN_STATES.length);
  liveMoves = 0;
  drainRemaining = 0;

  add(plan: LivePlan): void {
    this.plans.set(plan.id, plan);
    this.countByState[plan.state]++;
  }

  setState(plan: LivePlan, state: number): void {
    this.countByState[plan.state]--;
    plan.state = state;
    this.countByState[state]++;
  }

  remove(plan: LivePlan): void {
    this.plans.delete(plan.id);
    this.countByState[plan.state]--;
  }

  addMove(plan: LivePlan, move: LiveMove): void {
    plan.moves.set(move.shardId, move);
    this.liveMoves++;
    this.drainRemaining += move.remaining;
  }

  /** Takes the move out of the table; `draining` says whether its remaining count was still summed. */
  removeMove(plan: LivePlan, move: LiveMove, draining: boolean): void {
    plan.moves.delete(move.shardId);
    this.liveMoves--;
    if (draining) this.drainRemaining -= move.remaining;
  }
}
