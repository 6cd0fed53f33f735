import * as E from '../schema/enums';
import { ATTR, MOVE_PROGRESS_MARKER_INTERVAL_MS, SDK_END_REASONS } from '../schema/spans';
import type { TelemetryLimits } from '../schema/limits';
import type { InstanceLabels } from './state/enum-series';
import { PlanTable, oldestStart, type LiveMove, type LivePlan } from './state/plan-table';
import { FlapTable } from './state/flap-table';
import { FORECAST_CHECKPOINTS, PlanForecast } from './state/forecast';
import { PlanTracing } from './tracing';
import { Rejection } from './rejection';
import { ALLOWED_FROM, allowedStates } from './transitions';
import { readArgs, readArray, parseBoolean, parseCount, parseId, parseOptionalId, parseRatio, type Args } from './parse';
import { parseDeadline } from './parse-deadline';
import { FIELDS_BY_HOOK, NODE_FIELDS } from './hook-fields';
import { describeError } from './quote';
import { RejectionWarnings } from './warnings';
import {
  DECISION,
  HOOK,
  IDX,
  MOVE_OUTCOME,
  ORPHAN,
  PHASE,
  PLAN_OUTCOME,
  PLAN_STATE,
  Recorder,
} from './recorder';
import type { HookArgs, RebalanceHooks } from './types';

const MODE_EXECUTE = 0;
const MODE_DRY_RUN = 1;
const N_MODES = E.PLAN_MODES.length;
const N_ACTIONS = E.POLICY_ACTIONS.length;
const N_REASONS = E.REJECTION_REASONS.length;
const N_STATUSES = E.NODE_STATUSES.length;
const EMPTY = Object.freeze({});
const TRIGGER_ROLLBACK = E.PLAN_TRIGGERS.indexOf('rollback');
/** Orphan sweeps walk every live plan and move, so they run at most this often (clock time). */
const SWEEP_INTERVAL_MS = 60_000;
/** At a table limit a sweep may free room, but a flood of calls there must not sweep on each call. */
const LIMIT_SWEEP_INTERVAL_MS = 1_000;
const REASON = Object.fromEntries(E.REJECTION_REASONS.map((r, i) => [r, i])) as Record<E.RejectionReason, number>;

/**
 * The hooks. Each one reads its argument's fields once into a snapshot and parses all of them
 * first, then applies the change to the tables, the aggregates and the spans; anything wrong is a
 * Rejection, counted and reported, never thrown.
 */
export class RebalanceTelemetry implements RebalanceHooks {
  readonly recorder: Recorder;
  readonly table = new PlanTable();
  readonly flaps: FlapTable;
  private readonly tracing: PlanTracing;
  private closed = false;
  private lastSweepAt: number;
  private lastLimitSweepAt = -Infinity;
  /** No plan or move can be an orphan before this time (see sweep). */
  private nextOrphanAt = -Infinity;
  /** Rejections at the table limits, made once: a flood of calls there allocates nothing per call. */
  private readonly planLimit = new Rejection('limit_exceeded', () => `${this.table.plans.size} live plans, the limit is ${this.limits.maxLivePlans}`);
  private readonly moveLimit = new Rejection('limit_exceeded', () => `${this.table.liveMoves} live moves, the limit is ${this.limits.maxLiveMoves}`);
  private readonly warnings: RejectionWarnings;

  constructor(
    readonly instance: InstanceLabels,
    readonly limits: TelemetryLimits,
    readonly now: () => number,
    tracing: PlanTracing,
  ) {
    this.recorder = new Recorder(instance);
    this.tracing = tracing;
    this.lastSweepAt = now();
    this.warnings = new RejectionWarnings(now);
    this.flaps = new FlapTable(limits.maxFlapShards, limits.flapWindowMs, () => this.recorder.flapEvictions.add(0));
  }

  // ---- controller ---------------------------------------------------------------------------

  controllerHeartbeat(args?: HookArgs['controllerHeartbeat']): void {
    this.guard(HOOK.controllerHeartbeat, args ?? EMPTY, () => {
      const at = this.now();
      this.recorder.heartbeatSeconds = at / 1000;
      this.sweepIfDue(at);
    });
  }

  controllerStateChanged(args: HookArgs['controllerStateChanged']): void {
    this.guard(HOOK.controllerStateChanged, args, (a) => {
      this.recorder.controllerState = IDX.controllerState.parse(a.state, 'state');
    });
  }

  leadershipChanged(args: HookArgs['leadershipChanged']): void {
    this.guard(HOOK.leadershipChanged, args, (a) => {
      this.recorder.leader = parseBoolean(a.isLeader, 'isLeader') ? 1 : 0;
    });
  }

  policyLimitsChanged(args: HookArgs['policyLimitsChanged']): void {
    this.guard(HOOK.policyLimitsChanged, args, (a) => {
      this.recorder.maxConcurrentMoves = parseCount(a.maxConcurrentMoves, 'maxConcurrentMoves');
    });
  }

  policyViolation(args: HookArgs['policyViolation']): void {
    this.guard(HOOK.policyViolation, args, (a) => {
      const policy = IDX.policy.parse(a.policy, 'policy');
      const action = IDX.action.parse(a.action, 'action');
      const planId = parseOptionalId(a.planId, 'planId');
      this.recorder.policyViolations.add(policy * N_ACTIONS + action);
      const plan = planId === undefined ? undefined : this.table.plans.get(planId);
      if (plan) {
        const at = this.now();
        plan.touchedAt = at;
        this.tracing.event(plan.span, 'violation', { [ATTR.policy]: a.policy as string, [ATTR.policyAction]: a.action as string }, at);
      }
    });
  }

  shardOwnership(args: HookArgs['shardOwnership']): void {
    this.guard(HOOK.shardOwnership, args, (a) => {
      const nodes = readArray(a.nodes, 'nodes', this.limits.maxNodes);
      const snapshot = new Map<string, Float64Array>();
      nodes.forEach((entry: unknown, i) => {
        const e = readArgs(entry, NODE_FIELDS, `nodes[${i}]`);
        const node = parseId(e.node, `nodes[${i}].node`);
        const status = IDX.nodeStatus.parse(e.status, `nodes[${i}].status`);
        const count = parseCount(e.count, `nodes[${i}].count`);
        let counts = snapshot.get(node);
        if (!counts) snapshot.set(node, (counts = new Float64Array(N_STATUSES)));
        counts[status] += count;
      });
      this.recorder.shardsOwned = snapshot;
    });
  }

  candidateSkipped(args: HookArgs['candidateSkipped']): void {
    this.guard(HOOK.candidateSkipped, args, (a) => {
      this.recorder.candidatesSkipped.add(IDX.skipReason.parse(a.reason, 'reason'));
    });
  }

  // ---- plans --------------------------------------------------------------------------------

  planCreated(args: HookArgs['planCreated']): void {
    this.guard(HOOK.planCreated, args, (a) => {
      const id = parseId(a.planId, 'planId');
      const trigger = IDX.trigger.parse(a.trigger, 'trigger');
      const movesPlanned = parseCount(a.movesPlanned, 'movesPlanned');
      const dryRun = parseBoolean(a.dryRun, 'dryRun', false);
      const at = this.now();
      const deadline = parseDeadline(a.deadline, at);
      if (dryRun) {
        // A preview is never executed: it is counted and traced, not tracked.
        this.recorder.plansCreated.add(trigger * N_MODES + MODE_DRY_RUN);
        this.tracing.startPlan(id, a.trigger as string, movesPlanned, true, at).end(at);
        return;
      }
      if (this.table.plans.has(id)) throw new Rejection('duplicate_id', `plan ${id} is already live`);
      if (this.table.plans.size >= this.limits.maxLivePlans) {
        this.sweepAtLimit(at);
        // Returned, not thrown: a controller insisting at the limit pays no unwinding per call.
        if (this.table.plans.size >= this.limits.maxLivePlans) return this.planLimit;
      }
      this.recorder.plansCreated.add(trigger * N_MODES + MODE_EXECUTE);
      this.table.add({
        id,
        state: PLAN_STATE.draft,
        trigger,
        movesPlanned,
        movesEnded: 0,
        createdAt: at,
        submittedAt: undefined,
        startedAt: undefined,
        lastProgressAt: at,
        touchedAt: at,
        deadline,
        forecast: new PlanForecast(at),
        span: this.tracing.startPlan(id, a.trigger as string, movesPlanned, false, at, deadline),
        moves: new Map(),
        failedShards: new Set(),
      });
    });
  }

  planSubmitted(args: HookArgs['planSubmitted']): void {
    this.guard(HOOK.planSubmitted, args, (a) => {
      const [plan, at] = this.livePlan(a, 'planSubmitted');
      plan.submittedAt = at;
      this.table.setState(plan, PLAN_STATE.pending_approval);
      this.tracing.event(plan.span, 'submitted', undefined, at);
    });
  }

  planApproved(args: HookArgs['planApproved']): void {
    this.guard(HOOK.planApproved, args, (a) => {
      const actor = parseOptionalId(a.actor, 'actor');
      const decision = a.decision === undefined ? undefined : IDX.decision.parse(a.decision, 'decision');
      if (decision !== undefined && decision !== DECISION.approved && decision !== DECISION.auto_approved) {
        throw new Rejection('invalid_value', 'decision must be approved or auto_approved');
      }
      const [plan, at] = this.livePlan(a, 'planApproved');
      const chosen = decision ?? (plan.submittedAt === undefined ? DECISION.auto_approved : DECISION.approved);
      this.decide(plan, chosen, actor, 'approved', at);
      this.table.setState(plan, PLAN_STATE.approved);
    });
  }

  planRejected(args: HookArgs['planRejected']): void {
    this.guard(HOOK.planRejected, args, (a) => {
      const actor = parseOptionalId(a.actor, 'actor');
      const [plan, at] = this.livePlan(a, 'planRejected');
      this.decide(plan, DECISION.rejected, actor, 'rejected', at);
      this.finishPlan(plan, PLAN_OUTCOME.rejected, undefined, at);
    });
  }

  planBlocked(args: HookArgs['planBlocked']): void {
    this.guard(HOOK.planBlocked, args, (a) => {
      IDX.policy.parse(a.policy, 'policy');
      const [plan, at] = this.livePlan(a, 'planBlocked');
      this.table.setState(plan, PLAN_STATE.blocked);
      this.tracing.event(plan.span, 'blocked', { [ATTR.policy]: a.policy as string }, at);
    });
  }

  planOverrideAcknowledged(args: HookArgs['planOverrideAcknowledged']): void {
    this.guard(HOOK.planOverrideAcknowledged, args, (a) => {
      const actor = parseOptionalId(a.actor, 'actor');
      const [plan, at] = this.livePlan(a, 'planOverrideAcknowledged');
      this.decide(plan, DECISION.override, actor, 'overridden', at);
      this.table.setState(plan, PLAN_STATE.approved);
    });
  }

  planStarted(args: HookArgs['planStarted']): void {
    this.guard(HOOK.planStarted, args, (a) => {
      const [plan, at] = this.livePlan(a, 'planStarted');
      plan.startedAt = at;
      plan.lastProgressAt = at;
      plan.forecast.restart(at);
      this.table.setState(plan, PLAN_STATE.executing);
      this.tracing.event(plan.span, 'started', undefined, at);
    });
  }

  planPaused(args: HookArgs['planPaused']): void {
    this.guard(HOOK.planPaused, args, (a) => {
      const [plan, at] = this.livePlan(a, 'planPaused');
      this.table.setState(plan, PLAN_STATE.paused);
      this.tracing.event(plan.span, 'paused', undefined, at);
    });
  }

  planResumed(args: HookArgs['planResumed']): void {
    this.guard(HOOK.planResumed, args, (a) => {
      const [plan, at] = this.livePlan(a, 'planResumed');
      // Time spent paused is not a stall: the progress clock restarts on resume.
      plan.lastProgressAt = at;
      plan.forecast.restart(at);
      this.table.setState(plan, PLAN_STATE.executing);
      this.tracing.event(plan.span, 'resumed', undefined, at);
    });
  }

  planCompleted(args: HookArgs['planCompleted']): void {
    this.guard(HOOK.planCompleted, args, (a) => {
      const [plan, at] = this.livePlan(a, 'planCompleted');
      this.finishPlan(plan, PLAN_OUTCOME.completed, undefined, at);
    });
  }

  planFailed(args: HookArgs['planFailed']): void {
    this.guard(HOOK.planFailed, args, (a) => {
      const reason = IDX.planFailureReason.parse(a.reason, 'reason');
      const [plan, at] = this.livePlan(a, 'planFailed');
      this.recorder.planFailures.add(reason);
      this.finishPlan(plan, PLAN_OUTCOME.failed, a.reason as string, at);
    });
  }

  planCancelled(args: HookArgs['planCancelled']): void {
    this.guard(HOOK.planCancelled, args, (a) => {
      const [plan, at] = this.livePlan(a, 'planCancelled');
      this.finishPlan(plan, PLAN_OUTCOME.cancelled, undefined, at);
    });
  }

  planRolledBack(args: HookArgs['planRolledBack']): void {
    this.guard(HOOK.planRolledBack, args, (a) => {
      const [plan, at] = this.livePlan(a, 'planRolledBack');
      this.finishPlan(plan, PLAN_OUTCOME.rolled_back, undefined, at);
    });
  }

  // ---- moves --------------------------------------------------------------------------------

  moveStarted(args: HookArgs['moveStarted']): void {
    this.guard(HOOK.moveStarted, args, (a) => {
      const shardId = parseId(a.shardId, 'shardId');
      const fromNode = parseId(a.fromNode, 'fromNode');
      const toNode = parseId(a.toNode, 'toNode');
      const [plan, at] = this.livePlan(a, 'moveStarted');
      if (plan.moves.has(shardId)) throw new Rejection('duplicate_id', `shard ${shardId} is already moving in plan ${plan.id}`);
      if (this.table.liveMoves >= this.limits.maxLiveMoves) {
        this.sweepAtLimit(at);
        if (this.table.liveMoves >= this.limits.maxLiveMoves) return this.moveLimit;
      }
      // A retry of a shard that failed earlier in this plan: the move is not ended after all.
      if (plan.failedShards.delete(shardId)) plan.movesEnded--;
      const limit = this.recorder.maxConcurrentMoves;
      if (limit !== undefined && this.table.liveMoves >= limit) this.recorder.movesStartedOverLimit.add(0);
      const span = this.tracing.startMove(plan.span, plan.id, shardId, fromNode, toNode, at);
      this.table.addMove(plan, {
        shardId,
        fromNode,
        toNode,
        startedAt: at,
        phase: PHASE.drain,
        phaseStartedAt: at,
        remaining: 0,
        drainEvents: 0,
        markedAt: at,
        markedRemaining: -1,
        touchedAt: at,
        span,
        phaseSpan: this.tracing.startPhase(span, plan.id, shardId, 'drain', at),
      });
      plan.lastProgressAt = at;
    });
  }

  moveDrainProgress(args: HookArgs['moveDrainProgress']): void {
    this.guard(HOOK.moveDrainProgress, args, (a) => {
      const remaining = parseCount(a.remaining, 'remaining');
      const ratio = parseRatio(a.ratio, 'ratio');
      const [plan, move, at] = this.liveMove(a, PHASE.drain, 'moveDrainProgress');
      // Only a drain that shrinks (or its first report) counts as progress for stuck-plan alerts.
      if (remaining < move.remaining || move.drainEvents === 0) plan.lastProgressAt = at;
      this.table.drainRemaining += remaining - move.remaining;
      move.remaining = remaining;
      if (move.drainEvents < this.limits.maxDrainEventsPerMove) {
        this.tracing.event(move.phaseSpan, 'drainProgress', { [ATTR.drainRemaining]: remaining, [ATTR.drainRatio]: ratio }, at);
      }
      move.drainEvents++;
      if (remaining !== move.markedRemaining && at - move.markedAt >= MOVE_PROGRESS_MARKER_INTERVAL_MS) {
        move.markedAt = at;
        move.markedRemaining = remaining;
        this.tracing.progressMarker(move.span, plan.id, move.shardId, remaining, ratio, at);
      }
    });
  }

  moveHandoff(args: HookArgs['moveHandoff']): void {
    this.guard(HOOK.moveHandoff, args, (a) => {
      const [plan, move, at] = this.liveMove(a, PHASE.drain, 'moveHandoff');
      this.nextPhase(plan, move, PHASE.handoff, 'handoff', at);
    });
  }

  moveVerifying(args: HookArgs['moveVerifying']): void {
    this.guard(HOOK.moveVerifying, args, (a) => {
      const [plan, move, at] = this.liveMove(a, PHASE.handoff, 'moveVerifying');
      this.nextPhase(plan, move, PHASE.verify, 'verify', at);
    });
  }

  moveCompleted(args: HookArgs['moveCompleted']): void {
    this.guard(HOOK.moveCompleted, args, (a) => {
      const [plan, move, at] = this.liveMove(a, -1, 'moveCompleted');
      const flapOf = this.flaps.record(move.shardId, move.fromNode, move.toNode, at);
      // A rollback returns shards on purpose: remembered, never counted as the rebalancer undoing itself.
      if (flapOf !== undefined && plan.trigger !== TRIGGER_ROLLBACK) {
        this.recorder.shardFlaps.add(0);
        this.tracing.markFlap(move.span, flapOf);
      }
      const inFlight = plan.moves.size;
      this.endMove(plan, move, MOVE_OUTCOME.completed, undefined, at);
      plan.movesEnded++;
      plan.forecast.moveEnded(at, inFlight, plan.movesEnded, plan.movesPlanned, oldestStart(plan));
      plan.lastProgressAt = at;
    });
  }

  moveFailed(args: HookArgs['moveFailed']): void {
    this.guard(HOOK.moveFailed, args, (a) => {
      const reason = IDX.moveFailureReason.parse(a.reason, 'reason');
      const [plan, move, at] = this.liveMove(a, -1, 'moveFailed');
      this.recorder.moveFailures.add(reason);
      const inFlight = plan.moves.size;
      this.endMove(plan, move, MOVE_OUTCOME.failed, a.reason as string, at);
      plan.movesEnded++;
      plan.forecast.moveEnded(at, inFlight, plan.movesEnded, plan.movesPlanned, oldestStart(plan));
      if (plan.failedShards.size < plan.movesPlanned) plan.failedShards.add(move.shardId);
    });
  }

  // ---- lifecycle of the SDK itself ----------------------------------------------------------

  /** Stops accepting hook calls; the caller then flushes and shuts the providers down. */
  close(): void {
    this.closed = true;
  }

  /** Drops plans and moves no hook touched within their orphan timeout; at most once a minute. */
  sweepIfDue(at: number): void {
    if (at - this.lastSweepAt >= SWEEP_INTERVAL_MS && at >= this.nextOrphanAt) this.sweep(at);
  }

  /**
   * At a table limit: sweep only when an orphan can exist by now, and at most once a second, so a
   * rejected call costs about what an accepted one does however hard the controller insists.
   */
  private sweepAtLimit(at: number): void {
    if (at < this.nextOrphanAt || at - this.lastLimitSweepAt < LIMIT_SWEEP_INTERVAL_MS) return;
    this.lastLimitSweepAt = at;
    this.sweep(at);
  }

  private sweep(at: number): void {
    this.lastSweepAt = at;
    const { planOrphanTimeoutMs, moveOrphanTimeoutMs } = this.limits;
    const planDeadline = at - planOrphanTimeoutMs;
    const moveDeadline = at - moveOrphanTimeoutMs;
    // touchedAt only moves forward and new entries start at `at` or later, so the oldest survivor
    // bounds when the next orphan can appear.
    let next = at + Math.min(planOrphanTimeoutMs, moveOrphanTimeoutMs);
    for (const plan of this.table.plans.values()) {
      for (const move of plan.moves.values()) {
        if (move.touchedAt < moveDeadline) {
          this.recorder.orphans.add(ORPHAN.move);
          this.endMove(plan, move, MOVE_OUTCOME.aborted, SDK_END_REASONS.orphanTimeout, at);
        } else if (move.touchedAt + moveOrphanTimeoutMs < next) next = move.touchedAt + moveOrphanTimeoutMs;
      }
      if (plan.touchedAt < planDeadline) {
        this.recorder.orphans.add(ORPHAN.plan);
        this.finishPlan(plan, PLAN_OUTCOME.orphaned, SDK_END_REASONS.orphanTimeout, at);
      } else if (plan.touchedAt + planOrphanTimeoutMs < next) next = plan.touchedAt + planOrphanTimeoutMs;
    }
    this.nextOrphanAt = next;
  }

  /** Runs a hook's body on the snapshot of its argument; a Rejection it throws or returns is counted. */
  private guard(hook: number, args: unknown, body: (a: Args) => Rejection | void): void {
    if (this.closed) {
      this.reject(hook, REASON.after_shutdown, 'the telemetry was shut down');
      return;
    }
    try {
      const rejection = body(readArgs(args, FIELDS_BY_HOOK[hook]));
      if (rejection !== undefined) this.reject(hook, REASON[rejection.reason], rejection);
    } catch (error) {
      // Caller values never reach here (readArgs converts whatever they throw), so anything but a
      // Rejection is the SDK's own bug, or a throw from a component the controller passed in.
      if (isRejection(error)) this.reject(hook, REASON[error.reason], error);
      else this.reject(hook, REASON.internal_error, describeError(error));
    }
  }

  private reject(hook: number, reason: number, detail: string | Rejection): void {
    this.recorder.rejected.add(hook * N_REASONS + reason);
    this.warnings.warn(hook, reason, detail);
  }

  /** Ids in the table were validated when they entered it, so only a miss needs parsing. */
  private findPlan(a: Args): LivePlan {
    const plan = typeof a.planId === 'string' ? this.table.plans.get(a.planId) : undefined;
    if (plan) return plan;
    const id = parseId(a.planId, 'planId');
    throw new Rejection('unknown_plan', `plan ${id} is not live (never created, already ended or a dry run)`);
  }

  private livePlan(a: Args, hook: keyof typeof ALLOWED_FROM): [LivePlan, number] {
    const plan = this.findPlan(a);
    const id = plan.id;
    const allowed = ALLOWED_FROM[hook];
    if (!(allowed & (1 << plan.state))) {
      throw new Rejection(
        'illegal_transition',
        `plan ${id} is ${E.LIVE_PLAN_STATES[plan.state]}; ${hook} is allowed from ${allowedStates(allowed)}`,
      );
    }
    const at = this.now();
    plan.touchedAt = at;
    return [plan, at];
  }

  /** The live move named by the arguments; `phase` ≥ 0 requires the move to be in that phase. */
  private liveMove(a: Args, phase: number, hook: string): [LivePlan, LiveMove, number] {
    const plan = this.findPlan(a);
    const move = typeof a.shardId === 'string' ? plan.moves.get(a.shardId) : undefined;
    if (!move) {
      const shardId = parseId(a.shardId, 'shardId');
      throw new Rejection('unknown_move', `shard ${shardId} is not moving in plan ${plan.id}`);
    }
    const shardId = move.shardId;
    if (phase >= 0 && move.phase !== phase) {
      throw new Rejection('illegal_transition', `shard ${shardId} is in ${E.MOVE_PHASES[move.phase]}; ${hook} needs ${E.MOVE_PHASES[phase]}`);
    }
    const at = this.now();
    plan.touchedAt = at;
    move.touchedAt = at;
    return [plan, move, at];
  }

  private decide(plan: LivePlan, decision: number, actor: string | undefined, event: 'approved' | 'rejected' | 'overridden', at: number): void {
    this.recorder.approvals.add(decision);
    const waited = plan.submittedAt === undefined ? 0 : (at - plan.submittedAt) / 1000;
    this.recorder.approvalWait.record(decision, Math.max(0, waited));
    plan.submittedAt = undefined;
    this.tracing.event(
      plan.span,
      event,
      { [ATTR.decision]: E.APPROVAL_DECISIONS[decision], ...(actor === undefined ? {} : { [ATTR.actor]: actor }) },
      at,
    );
  }

  private nextPhase(plan: LivePlan, move: LiveMove, next: number, name: 'handoff' | 'verify', at: number): void {
    this.closePhase(move, undefined, at);
    move.phase = next;
    move.phaseStartedAt = at;
    move.phaseSpan = this.tracing.startPhase(move.span, plan.id, move.shardId, name, at);
    plan.lastProgressAt = at;
  }

  private closePhase(move: LiveMove, failureReason: string | undefined, at: number): void {
    if (move.phase === PHASE.drain) {
      this.table.drainRemaining -= move.remaining;
      move.remaining = 0;
    }
    this.recorder.movePhaseDuration.record(move.phase, Math.max(0, (at - move.phaseStartedAt) / 1000), move.span);
    this.tracing.endPhase(move.phaseSpan, failureReason, at);
  }

  private endMove(plan: LivePlan, move: LiveMove, outcome: number, reason: string | undefined, at: number): void {
    this.closePhase(move, reason, at);
    this.table.removeMove(plan, move, false);
    this.recorder.movesTotal.add(outcome);
    this.recorder.moveDuration.record(outcome, Math.max(0, (at - move.startedAt) / 1000), move.span);
    this.tracing.end(move.span, ATTR.moveOutcome, E.MOVE_OUTCOMES[outcome], reason, at);
  }

  private finishPlan(plan: LivePlan, outcome: number, reason: string | undefined, at: number): void {
    for (const move of plan.moves.values()) this.endMove(plan, move, MOVE_OUTCOME.aborted, SDK_END_REASONS.planEnded, at);
    this.table.remove(plan);
    this.recorder.plansTotal.add(outcome);
    if (plan.startedAt !== undefined) {
      this.recorder.planDuration.record(outcome, Math.max(0, (at - plan.startedAt) / 1000), plan.span);
    }
    if (outcome === PLAN_OUTCOME.completed) this.tracing.forecastErrors(plan.span, FORECAST_CHECKPOINTS, plan.forecast.checkpoints, plan.forecast.final, at);
    this.tracing.end(plan.span, ATTR.planOutcome, E.PLAN_OUTCOMES[outcome], reason, at);
  }
}

/** `instanceof` runs a Proxy's getPrototypeOf trap, so even this test must not throw. */
function isRejection(error: unknown): error is Rejection {
  try {
    return error instanceof Rejection;
  } catch {
    return false;
  }
}
