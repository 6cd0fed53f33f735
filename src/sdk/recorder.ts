import { METRICS } from '../schema/metrics';
import * as E from '../schema/enums';
import { CounterVec } from './state/counter-vec';
import { HistogramVec } from './state/histogram-vec';
import type { InstanceLabels } from './state/enum-series';
import { EnumIndex } from './parse';

/** Positions of enum values, shared by the hooks (to parse) and the recorder (to index series). */
export const IDX = {
  controllerState: new EnumIndex(E.CONTROLLER_STATES),
  planState: new EnumIndex(E.LIVE_PLAN_STATES),
  planOutcome: new EnumIndex(E.PLAN_OUTCOMES),
  trigger: new EnumIndex(E.PLAN_TRIGGERS),
  planFailureReason: new EnumIndex(E.PLAN_FAILURE_REASONS),
  moveOutcome: new EnumIndex(E.MOVE_OUTCOMES),
  phase: new EnumIndex(E.MOVE_PHASES),
  moveFailureReason: new EnumIndex(E.MOVE_FAILURE_REASONS),
  decision: new EnumIndex(E.APPROVAL_DECISIONS),
  policy: new EnumIndex(E.POLICIES),
  action: new EnumIndex(E.POLICY_ACTIONS),
  skipReason: new EnumIndex(E.SKIP_REASONS),
  nodeStatus: new EnumIndex(E.NODE_STATUSES),
  hook: new EnumIndex(E.HOOKS),
  rejection: new EnumIndex(E.REJECTION_REASONS),
};

/** Named positions used on hot paths, resolved once. */
export const PLAN_STATE = Object.fromEntries(E.LIVE_PLAN_STATES.map((s, i) => [s, i])) as Record<E.LivePlanState, number>;
export const PLAN_OUTCOME = Object.fromEntries(E.PLAN_OUTCOMES.map((s, i) => [s, i])) as Record<E.PlanOutcome, number>;
export const MOVE_OUTCOME = Object.fromEntries(E.MOVE_OUTCOMES.map((s, i) => [s, i])) as Record<E.MoveOutcome, number>;
export const PHASE = Object.fromEntries(E.MOVE_PHASES.map((s, i) => [s, i])) as Record<E.MovePhase, number>;
export const DECISION = Object.fromEntries(E.APPROVAL_DECISIONS.map((s, i) => [s, i])) as Record<E.ApprovalDecision, number>;
export const HOOK = Object.fromEntries(E.HOOKS.map((s, i) => [s, i])) as Record<E.HookName, number>;
export const ORPHAN = Object.fromEntries(E.ORPHAN_KINDS.map((s, i) => [s, i])) as Record<E.OrphanKind, number>;

/**
 * Every aggregate the SDK exports that is not derived from the live-plan table: counters and
 * histograms per enum series, and the controller's scalar gauges.
 */
export class Recorder {
  readonly plansTotal: CounterVec;
  readonly plansCreated: CounterVec;
  readonly planFailures: CounterVec;
  readonly movesTotal: CounterVec;
  readonly moveFailures: CounterVec;
  readonly approvals: CounterVec;
  readonly policyViolations: CounterVec;
  readonly candidatesSkipped: CounterVec;
  readonly orphans: CounterVec;
  readonly rejected: CounterVec;
  readonly movesStartedOverLimit: CounterVec;
  readonly shardFlaps: CounterVec;
  readonly flapEvictions: CounterVec;
  readonly planDuration: HistogramVec;
  readonly moveDuration: HistogramVec;
  readonly movePhaseDuration: HistogramVec;
  readonly approvalWait: HistogramVec;

  controllerState = IDX.controllerState.parse('steady', 'state');
  heartbeatSeconds: number | undefined;
  leader = 0;
  maxConcurrentMoves: number | undefined;
  /** Last ownership snapshot: node → counts per status, replaced whole on each report. */
  shardsOwned = new Map<string, Float64Array>();

  constructor(instance: InstanceLabels) {
    this.plansTotal = new CounterVec(METRICS.plansTotal, instance);
    this.plansCreated = new CounterVec(METRICS.plansCreated, instance);
    this.planFailures = new CounterVec(METRICS.planFailures, instance);
    this.movesTotal = new CounterVec(METRICS.movesTotal, instance);
    this.moveFailures = new CounterVec(METRICS.moveFailures, instance);
    this.approvals = new CounterVec(METRICS.approvals, instance);
    this.policyViolations = new CounterVec(METRICS.policyViolations, instance);
    this.candidatesSkipped = new CounterVec(METRICS.candidatesSkipped, instance);
    this.orphans = new CounterVec(METRICS.orphans, instance);
    this.rejected = new CounterVec(METRICS.rejected, instance);
    this.movesStartedOverLimit = new CounterVec(METRICS.movesStartedOverLimit, instance);
    this.shardFlaps = new CounterVec(METRICS.shardFlaps, instance);
    this.flapEvictions = new CounterVec(METRICS.flapEvictions, instance);
    this.planDuration = new HistogramVec(METRICS.planDuration, instance);
    this.moveDuration = new HistogramVec(METRICS.moveDuration, instance);
    this.movePhaseDuration = new HistogramVec(METRICS.movePhaseDuration, instance);
    this.approvalWait = new HistogramVec(METRICS.approvalWait, instance);
  }
}
