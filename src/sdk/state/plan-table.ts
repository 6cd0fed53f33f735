import type { Attributes, Span } from '@opentelemetry/api';
import { LIVE_PLAN_STATES } from '../../schema/enums';
import type { PlanForecast } from './forecast';

export interface LiveMove {
  readonly shardId: string;
  readonly fromNode: string;
  readonly toNode: string;
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
  /** Milliseconds since the epoch the plan must finish by, when `planCreated` gave one. */
  readonly deadline: number | undefined;
  readonly forecast: PlanForecast;
  readonly span: Span;
  readonly moves: Map<string, LiveMove>;
  /** Shards whose move failed and may be retried in this plan; at most movesPlanned of them. */
  readonly failedShards: Set<string>;
  /** Attribute sets of its per-plan series, built at the first collection and reused (metric-producer.ts). */
  exportLabels?: { labels: Attributes; state: number; withState: Attributes };
}

/** Start of the plan's longest-running move in flight: moves are kept in start order. */
export function oldestStart(plan: LivePlan): number | undefined {
  return plan.moves.values().next().value?.startedAt;
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
