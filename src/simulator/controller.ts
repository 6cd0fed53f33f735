import type { RebalanceHooks, enums } from '../index';
import { SECOND, type VirtualClock } from './clock';
import type { Behaviour, Span } from './behaviour';
import { STATUS, type Domain } from './model';
import { MoveExecutor } from './moves';
import type { SimMove, SimPlan } from './plan';
import { selectMoves, type MoveSpec, type Selection } from './planner';
import { deltaCapMoves, needsApproval, planViolations, type PolicySet } from './policies';
import type { Rng } from './rng';
import type { Scheduler } from './scheduler';

type ControllerState = enums.ControllerState;

/** What a controller needs from the world around it. */
export interface ControllerContext {
  readonly clock: VirtualClock;
  readonly scheduler: Scheduler;
  readonly stats: { plansCreated: number; movesStarted: number };
  onDeath(controller: Controller): void;
}

export interface ControllerOptions {
  id: string;
  domain: Domain;
  hooks: RebalanceHooks;
  behaviour: Behaviour;
  policies: PolicySet;
  rng: Rng;
  /** Holds the leadership lease from the start; standbys wait for `acquireLeadership`. */
  leader: boolean;
}

/**
 * One rebalancer controller process for a namespace/cluster. It heartbeats every few seconds while
 * its loop turns, leader or standby; under the leadership lease it runs the loop (steady → investigating → draining → plan_pending → executing → completed|failed → steady),
 * heartbeats, plans, asks for approvals, executes moves under the policies, and reports all of it
 * through the telemetry hooks, which are the only thing it knows of the SDK.
 */
export class Controller {
  readonly id: string;
  readonly domain: Domain;
  readonly policies: PolicySet;
  behaviour: Behaviour;
  alive = true;
  /** A hung process: its loop no longer runs, but whatever exports its telemetry still does. */
  hung = false;
  leader = false;
  /** Whether the loop starts new investigations. */
  planning = true;
  plansCreated = 0;
  inFlight = 0;

  private readonly h: RebalanceHooks;
  private readonly rng: Rng;
  private readonly plans: SimPlan[] = [];
  private readonly planPrefix: string;
  private planSeq = 0;
  private dryRunSeq = 0;
  private epoch = 0;
  private state: ControllerState | undefined;
  private investigating = false;
  private parking = false;
  private lastOutcome: 'completed' | 'failed' | undefined;
  private lastOutcomeAt = -Infinity;
  private snapshotVersion = -1;
  private approversBackAt = -Infinity;
  private readonly startAsLeader: boolean;
  private readonly moves: MoveExecutor;

  constructor(
    private readonly ctx: ControllerContext,
    options: ControllerOptions,
  ) {
    this.id = options.id;
    this.domain = options.domain;
    this.h = options.hooks;
    this.behaviour = options.behaviour;
    this.policies = options.policies;
    this.rng = options.rng;
    this.startAsLeader = options.leader;
    this.planPrefix = `${options.domain.namespace}-${options.id.slice(options.id.lastIndexOf('-') + 1)}-p`;
    this.moves = new MoveExecutor({
      hooks: this.h,
      domain: this.domain,
      rng: this.rng,
      behaviour: () => this.behaviour,
      now: () => this.now(),
      after: (delay, fn) => this.after(delay, fn),
      ended: (move) => this.moveEnded(move),
    });
  }

  // ---- lifecycle, driven by the world and by scenarios ---------------------------------------

  /** The process starts: it heartbeats whether or not it leads (standbys too), and takes the lease if told to. */
  boot(): void {
    this.h.controllerHeartbeat();
    const beat = () =>
      this.after(this.span([this.behaviour.heartbeatMs * 0.96, this.behaviour.heartbeatMs * 1.04]), () => {
        this.h.controllerHeartbeat();
        beat();
      });
    beat();
    if (this.startAsLeader) this.acquireLeadership();
  }

  get livePlans(): number {
    return this.plans.length;
  }

  acquireLeadership(): void {
    if (!this.alive || this.hung || this.leader) return;
    this.leader = true;
    const epoch = ++this.epoch;
    this.h.leadershipChanged({ isLeader: true });
    this.h.policyLimitsChanged({ maxConcurrentMoves: this.policies.maxConcurrentMoves });
    this.state = undefined;
    this.refreshState();
    this.snapshotVersion = -1;
    this.reportOwnership();
    this.loop(epoch, () => [this.behaviour.snapshotMs, this.behaviour.snapshotMs], () => this.reportOwnership());
    this.loop(epoch, () => [60 * SECOND, 60 * SECOND], () => this.watchdog());
    if (this.behaviour.investigateEveryMs[1] > 0) {
      this.loop(epoch, () => this.behaviour.investigateEveryMs, () => this.investigate('imbalance'));
    }
    if (this.behaviour.drift) this.loop(epoch, () => this.behaviour.drift!.everyMs, () => this.drift());
    if (this.behaviour.dryRunEveryMs > 0) {
      this.loop(epoch, () => [this.behaviour.dryRunEveryMs, this.behaviour.dryRunEveryMs], () => this.dryRun());
    }
  }

  /** The lease is lost: live plans fail with leadership_lost and the loop stops. */
  loseLeadership(): void {
    if (!this.alive || !this.leader) return;
    for (const plan of [...this.plans]) this.abortPlan(plan, 'leadership_lost');
    this.investigating = false;
    this.parking = false;
    this.leader = false;
    this.epoch++;
    this.h.leadershipChanged({ isLeader: false });
    this.setState('steady');
  }

  /** The process wedges: no heartbeat, no progress, but its metrics are still exported. */
  hang(): void {
    this.hung = true;
  }

  /** The process dies: its telemetry stops being exported. */
  die(): void {
    if (!this.alive) return;
    this.alive = false;
    this.leader = false;
    this.ctx.onDeath(this);
  }

  quiesce(): void {
    this.planning = false;
  }

  setMaxConcurrentMoves(limit: number): void {
    this.policies.maxConcurrentMoves = limit;
    if (!this.active()) return;
    this.h.policyLimitsChanged({ maxConcurrentMoves: limit });
    this.pump();
  }

  /** Submitted plans wait at least until `at` for a decision. */
  approversAwayUntil(at: number): void {
    this.approversBackAt = at;
  }

  openIncident(): void {
    this.domain.incident = true;
    if (!this.active() || !this.policies.incidentFreeze) return;
    for (const plan of this.plans) {
      if (plan.state !== 'executing') continue;
      this.h.planPaused({ planId: plan.id });
      plan.state = 'paused';
    }
    this.refreshState();
  }

  closeIncident(): void {
    this.domain.incident = false;
    if (!this.active()) return;
    for (const plan of [...this.plans]) {
      if (plan.state !== 'paused') continue;
      this.h.planResumed({ planId: plan.id });
      plan.state = 'executing';
      plan.lastProgressAt = this.now();
      if (plan.ended === plan.moves.length) this.finishPlan(plan);
    }
    this.pump();
    this.refreshState();
  }

  /** `mesh upgrade drain NODE`: park the node's shards and move them all away. */
  drainNode(nodeId: string): void {
    const index = this.domain.nodeIndex(nodeId);
    this.domain.nodes[index].status = 'draining';
    this.domain.version++;
    this.startDrain(index);
  }

  /** `mesh upgrade resume NODE`: the node takes shards again. */
  resumeNode(nodeId: string): void {
    const index = this.domain.nodeIndex(nodeId);
    const node = this.domain.nodes[index];
    node.status = 'active';
    for (const shard of [...node.shards]) if (this.domain.status[shard] === STATUS.paused) this.domain.setShardStatus(shard, 'active');
    this.domain.version++;
    this.investigate('node_join');
  }

  /** A node joins the namespace (weight relative to the others); the planner fills it. */
  addNode(weight = 1): string {
    const index = this.domain.addNode(weight);
    this.investigate('node_join');
    return this.domain.nodes[index].id;
  }

  /**
   * An operator asks to move `fraction` of the shards off `fromNodes` now, past the planner's own
   * limits (forced): the policies still apply to the plan.
   */
  requestManualPlan(fromNodes: readonly string[], fraction: number, options: { changeTicket: boolean; weight?: number }): void {
    if (!this.active()) return;
    const from = fromNodes.map((id) => this.domain.nodeIndex(id));
    if (options.weight !== undefined) for (const i of from) this.domain.nodes[i].weight = options.weight;
    const owned = from.reduce((n, i) => n + this.domain.nodes[i].shards.length, 0);
    const selection = selectMoves(
      this.domain,
      this.policies,
      { ...this.selectOptions(), maxMoves: Math.round(owned * fraction), onlyFrom: from, forced: true },
      this.rng,
      (reason) => this.h.candidateSkipped({ reason }),
    );
    if (selection.moves.length > 0) this.createPlan('manual', selection, { changeTicket: options.changeTicket });
  }

  /** Applies one load drift of `kind` to the node weights and investigates it. */
  disturb(kind: enums.PlanTrigger): void {
    const d = this.behaviour.drift;
    const strength = d ? this.rng.between(d.strength) : 0.2;
    const active = this.domain.nodes.filter((n) => n.status === 'active');
    if (kind === 'node_join') {
      this.addNode();
      return;
    }
    if ((kind === 'imbalance' || kind === 'capacity') && active.length > 0) {
      const count = kind === 'imbalance' ? this.rng.int(1, 2) : 1;
      for (let i = 0; i < count; i++) {
        const node = this.rng.pick(active);
        // up or down by the same factor, pulled back towards 1 so that weights do not wander off
        const factor = 1 + (kind === 'capacity' ? 1.5 : 1) * strength;
        const pulled = node.weight + 0.2 * (1 - node.weight);
        node.weight = Math.min(2.5, Math.max(0.4, this.rng.chance(0.5) ? pulled * factor : pulled / factor));
      }
    }
    this.investigate(kind);
  }

  // ---- the loop ----------------------------------------------------------------------------

  investigate(trigger: enums.PlanTrigger): void {
    if (!this.active() || !this.planning || this.investigating || this.parking) return;
    if (this.plans.length >= this.behaviour.maxLivePlans) return;
    this.investigating = true;
    this.refreshState();
    this.after(this.span(this.behaviour.analysisMs), () => {
      this.investigating = false;
      if (!this.leader) return;
      if (this.domain.incident && this.policies.incidentFreeze) {
        this.h.candidateSkipped({ reason: 'incident_freeze' });
        this.refreshState();
        return;
      }
      const selection = selectMoves(this.domain, this.policies, this.selectOptions(), this.rng, (reason) => this.h.candidateSkipped({ reason }));
      if (selection.moves.length === 0) {
        this.refreshState();
        return;
      }
      this.createPlan(trigger, selection, { changeTicket: true });
    });
  }

  private selectOptions() {
    return {
      now: this.now(),
      maxMoves: this.behaviour.movesPerPlan,
      deltaCap: deltaCapMoves(this.policies, this.domain),
      pickRecent: this.behaviour.pickRecent,
      unhealthyReplicaRate: this.behaviour.unhealthyReplicaRate,
    };
  }

  private drift(): void {
    const d = this.behaviour.drift;
    if (!d || !this.planning) return;
    this.disturb(this.rng.weighted(d.kinds));
  }

  private dryRun(): void {
    const selection = selectMoves(this.domain, this.policies, this.selectOptions(), this.rng.fork(`dry-${this.dryRunSeq}`), () => {});
    this.h.planCreated({ planId: `${this.planPrefix}dry-${++this.dryRunSeq}`, trigger: 'scheduled', movesPlanned: selection.moves.length, dryRun: true });
  }

  private startDrain(node: number): void {
    if (!this.active()) return;
    this.investigating = true;
    this.refreshState();
    this.after(this.span(this.behaviour.analysisMs), () => {
      this.investigating = false;
      this.parking = true;
      this.refreshState();
      const shards = this.domain.nodes[node].shards.filter((s) => this.domain.status[s] === STATUS.active && !this.domain.reserved[s]);
      const batches = 6;
      for (let b = 0; b < batches; b++) {
        this.after(((b + 1) * 30 * SECOND) / batches, () => {
          for (let k = b; k < shards.length; k += batches) {
            if (this.domain.status[shards[k]] === STATUS.active && !this.domain.reserved[shards[k]]) this.domain.setShardStatus(shards[k], 'paused');
          }
          if (b === batches - 1) this.planDrain(node);
        });
      }
    });
  }

  private planDrain(node: number): void {
    this.parking = false;
    const owned = this.domain.nodes[node].shards.length;
    const selection = selectMoves(
      this.domain,
      this.policies,
      { ...this.selectOptions(), maxMoves: owned, onlyFrom: [node] },
      this.rng,
      (reason) => this.h.candidateSkipped({ reason }),
    );
    if (selection.moves.length === 0) {
      this.refreshState();
      return;
    }
    this.createPlan('node_drain', selection, { changeTicket: true, drainOf: node });
  }

  // ---- plans -------------------------------------------------------------------------------

  private createPlan(trigger: enums.PlanTrigger, selection: Selection, options: { changeTicket: boolean; drainOf?: number }): void {
    const forced = trigger === 'manual' || trigger === 'rollback';
    const plan: SimPlan = {
      id: `${this.planPrefix}${++this.planSeq}`,
      trigger,
      moves: selection.moves,
      next: 0,
      inFlight: new Set(),
      ended: 0,
      failures: 0,
      checksumFailures: 0,
      completed: [],
      state: 'draft',
      throttled: false,
      lastProgressAt: this.now(),
      drainOf: options.drainOf,
    };
    for (const move of plan.moves) this.reserve(move);
    this.plans.push(plan);
    this.plansCreated++;
    this.ctx.stats.plansCreated++;
    const planId = plan.id;
    const deadlineMs = this.behaviour.planDeadlineMs;
    this.h.planCreated({ planId, trigger, movesPlanned: plan.moves.length, ...(deadlineMs > 0 ? { deadline: this.now() + deadlineMs } : {}) });
    const violations = planViolations(this.policies, this.domain, {
      trigger,
      moves: plan.moves.length,
      recentShards: selection.recentShards,
      forced,
      changeTicket: options.changeTicket,
    });
    for (const v of violations) this.h.policyViolation({ policy: v.policy, action: v.action, planId });
    const block = violations.find((v) => v.action === 'block');
    if (block) {
      this.h.planBlocked({ planId, policy: block.policy });
      plan.state = 'blocked';
      this.awaitReview(plan);
    } else if (trigger !== 'rollback' && needsApproval(this.policies, this.domain, plan.moves.length)) {
      this.h.planSubmitted({ planId });
      plan.state = 'pending_approval';
      this.awaitApproval(plan, this.span(this.behaviour.approver.delayMs));
    } else {
      this.h.planApproved({ planId, decision: 'auto_approved' });
      plan.state = 'approved';
      this.scheduleStart(plan);
    }
    this.refreshState();
  }

  private awaitReview(plan: SimPlan): void {
    const reviewer = this.behaviour.reviewer;
    this.after(this.span(reviewer.delayMs), () => {
      if (plan.state !== 'blocked') return;
      const actor = this.rng.pick(reviewer.actors);
      if (this.rng.chance(reviewer.overrideRate)) {
        this.h.planOverrideAcknowledged({ planId: plan.id, actor });
        plan.state = 'approved';
        this.scheduleStart(plan);
      } else {
        this.h.planRejected({ planId: plan.id, actor });
        this.removePlan(plan, undefined);
      }
      this.refreshState();
    });
  }

  private awaitApproval(plan: SimPlan, delay: number): void {
    this.after(delay, () => {
      if (plan.state !== 'pending_approval') return;
      const now = this.now();
      if (now < this.approversBackAt) {
        this.awaitApproval(plan, this.approversBackAt - now + this.span(this.behaviour.approver.delayMs));
        return;
      }
      const approver = this.behaviour.approver;
      const actor = this.rng.pick(approver.actors);
      const roll = this.rng.next();
      if (roll < approver.rejectRate) {
        this.h.planRejected({ planId: plan.id, actor });
        this.removePlan(plan, undefined);
      } else if (roll < approver.rejectRate + approver.cancelRate) {
        this.h.planCancelled({ planId: plan.id });
        this.removePlan(plan, undefined);
      } else {
        this.h.planApproved({ planId: plan.id, actor, decision: 'approved' });
        plan.state = 'approved';
        this.scheduleStart(plan);
      }
      this.refreshState();
    });
  }

  private scheduleStart(plan: SimPlan): void {
    this.after(this.span(this.behaviour.startDelayMs), () => this.startPlan(plan));
  }

  private startPlan(plan: SimPlan): void {
    if (plan.state !== 'approved') return;
    if (this.domain.incident && this.policies.incidentFreeze) {
      this.after(60 * SECOND, () => this.startPlan(plan));
      return;
    }
    this.h.planStarted({ planId: plan.id });
    plan.state = 'executing';
    plan.lastProgressAt = this.now();
    this.pump();
    this.refreshState();
  }

  /** Starts queued moves while the concurrency policy allows; plans held back are throttled once per episode. */
  private pump(): void {
    if (!this.active()) return;
    const limit = this.policies.maxConcurrentMoves + this.behaviour.limitSlack;
    const perPlan = this.behaviour.perPlanConcurrency;
    for (const plan of this.plans) {
      if (plan.state !== 'executing') continue;
      while (plan.next < plan.moves.length && plan.inFlight.size < perPlan) {
        if (this.inFlight >= limit) {
          if (!plan.throttled) {
            plan.throttled = true;
            this.h.policyViolation({ policy: 'max_concurrent_moves', action: 'throttle', planId: plan.id });
          }
          break;
        }
        plan.throttled = false;
        this.startMove(plan, plan.moves[plan.next++]);
      }
    }
  }

  private watchdog(): void {
    const now = this.now();
    for (const plan of [...this.plans]) {
      if (plan.state === 'executing' && now - plan.lastProgressAt > this.behaviour.planStallTimeoutMs) this.abortPlan(plan, 'timeout');
    }
  }

  private finishPlan(plan: SimPlan): void {
    const planId = plan.id;
    if (plan.failures === 0) {
      this.h.planCompleted({ planId });
      this.removePlan(plan, 'completed');
      return;
    }
    if (plan.checksumFailures > 0 && this.behaviour.rollbackOnChecksum) {
      this.h.planRolledBack({ planId });
      this.removePlan(plan, 'failed');
      const back = plan.completed.filter((m) => !this.domain.reserved[m.shard]).map((m) => ({ shard: m.shard, from: m.to, to: m.from }));
      if (back.length > 0) {
        this.after(this.span([5 * SECOND, 20 * SECOND]), () => {
          const free = back.filter((m) => !this.domain.reserved[m.shard] && this.domain.owner[m.shard] === m.from);
          if (this.active() && free.length > 0) this.createPlan('rollback', { moves: free, recentShards: 0 }, { changeTicket: true });
        });
      }
      return;
    }
    this.h.planFailed({ planId, reason: plan.checksumFailures === plan.failures ? 'verification_failed' : 'moves_failed' });
    this.removePlan(plan, 'failed');
  }

  /** Ends a plan from outside its moves: in-flight moves are aborted and their shards stay where they were. */
  private abortPlan(plan: SimPlan, reason: 'timeout' | 'leadership_lost' | 'cancelled'): void {
    if (reason === 'cancelled') this.h.planCancelled({ planId: plan.id });
    else this.h.planFailed({ planId: plan.id, reason });
    for (const move of plan.inFlight) {
      this.moves.abort(move);
      this.release(move);
      this.inFlight--;
    }
    plan.inFlight.clear();
    this.removePlan(plan, reason === 'cancelled' ? undefined : 'failed');
    this.pump();
  }

  private removePlan(plan: SimPlan, outcome: 'completed' | 'failed' | undefined): void {
    plan.state = 'ended';
    for (let i = plan.next; i < plan.moves.length; i++) this.release(plan.moves[i]);
    plan.next = plan.moves.length;
    this.plans.splice(this.plans.indexOf(plan), 1);
    if (outcome) {
      this.lastOutcome = outcome;
      this.lastOutcomeAt = this.now();
      this.after(this.behaviour.settleMs, () => this.refreshState());
    }
    if (plan.drainOf !== undefined) {
      const node = this.domain.nodes[plan.drainOf];
      if (node.status === 'draining' && node.shards.length === 0) {
        node.status = 'disabled';
        this.domain.version++;
      } else if (node.status === 'draining') {
        const index = plan.drainOf;
        this.after(this.behaviour.settleMs + SECOND, () => this.startDrain(index));
      }
    }
    this.refreshState();
  }

  // ---- moves -------------------------------------------------------------------------------

  private startMove(plan: SimPlan, spec: MoveSpec): void {
    this.inFlight++;
    this.ctx.stats.movesStarted++;
    this.moves.start(plan, spec);
  }

  /** A move completed or failed: the plan counts it, ends when it was the last, and others may start. */
  private moveEnded(move: SimMove): void {
    const plan = move.plan;
    this.release(move);
    this.inFlight--;
    plan.inFlight.delete(move);
    plan.ended++;
    if (plan.ended === plan.moves.length && plan.state === 'executing') this.finishPlan(plan);
    this.pump();
  }

  private reserve(move: MoveSpec): void {
    this.domain.reserved[move.shard] = 1;
    this.domain.nodes[move.from].outbound++;
    this.domain.nodes[move.to].inbound++;
  }

  private release(move: MoveSpec): void {
    this.domain.reserved[move.shard] = 0;
    this.domain.nodes[move.from].outbound--;
    this.domain.nodes[move.to].inbound--;
  }

  // ---- reporting ---------------------------------------------------------------------------

  private reportOwnership(): void {
    if (this.domain.version === this.snapshotVersion) return;
    this.snapshotVersion = this.domain.version;
    this.h.shardOwnership({ nodes: this.domain.ownership() });
  }

  private refreshState(): void {
    if (!this.leader || !this.alive) return;
    let executing = false;
    let pending = false;
    for (const plan of this.plans) {
      if (plan.state === 'executing' || plan.state === 'paused') executing = true;
      else pending = true;
    }
    let next: ControllerState;
    if (executing) next = 'executing';
    else if (pending) next = 'plan_pending';
    else if (this.parking) next = 'draining';
    else if (this.investigating) next = 'investigating';
    else if (this.lastOutcome && this.now() - this.lastOutcomeAt < this.behaviour.settleMs) next = this.lastOutcome;
    else next = 'steady';
    this.setState(next);
  }

  private setState(state: ControllerState): void {
    if (state === this.state) return;
    this.state = state;
    this.h.controllerStateChanged({ state });
  }

  // ---- time --------------------------------------------------------------------------------

  private now(): number {
    return this.ctx.clock.now();
  }

  private active(): boolean {
    return this.alive && !this.hung && this.leader;
  }

  private span(span: Span): number {
    return span[0] === span[1] ? span[0] : this.rng.between(span);
  }

  /** Runs `fn` after `delayMs` unless the process has died or hung by then. */
  private after(delayMs: number, fn: () => void): void {
    this.ctx.scheduler.schedule(this.now() + delayMs, () => {
      if (this.alive && !this.hung) fn();
    });
  }

  /** Runs `fn` periodically while this leadership term lasts. */
  private loop(epoch: number, period: () => Span, fn: () => void): void {
    this.after(this.span(period()), () => {
      if (this.epoch !== epoch || !this.leader) return;
      fn();
      this.loop(epoch, period, fn);
    });
  }
}
