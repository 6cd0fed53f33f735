import type { RebalanceHooks, enums } from '../index';
import type { Behaviour, Span } from './behaviour';
import { STATUS, type Domain } from './model';
import { PHASE_OF, type SimMove, type SimPlan } from './plan';
import type { MoveSpec } from './planner';
import type { Rng } from './rng';

/** What the executor needs from its controller. */
export interface MoveHost {
  hooks: RebalanceHooks;
  domain: Domain;
  rng: Rng;
  behaviour: () => Behaviour;
  now: () => number;
  /** Runs `fn` later, unless the controller has died or hung by then. */
  after: (delayMs: number, fn: () => void) => void;
  /** The move completed or failed (not called for aborts). */
  ended: (move: SimMove) => void;
}

/**
 * Runs shard moves: drain (the old owner finishes in-flight work, reported as a shrinking
 * `remaining`), hand off (the new owner written), verify (version and checksum), then complete,
 * or fail by reason at the phase the reason belongs to. A wedged source node stops the drain.
 */
export class MoveExecutor {
  constructor(private readonly host: MoveHost) {}

  start(plan: SimPlan, spec: MoveSpec): SimMove {
    const { domain, rng, hooks } = this.host;
    const b = this.host.behaviour();
    const target = domain.nodes[spec.to];
    let reason: enums.MoveFailureReason | undefined;
    if (!target.healthy && rng.chance(b.unhealthyTargetFailureRate)) reason = rng.weighted(b.unhealthyTargetReasons);
    else if (b.moveFailureRate > 0 && rng.chance(b.moveFailureRate)) reason = rng.weighted(b.failureReasons);
    const items = rng.int(Math.round(b.drainItems[0]), Math.round(b.drainItems[1]));
    const now = this.host.now();
    const move: SimMove = {
      ...spec,
      plan,
      shardId: domain.shardId(spec.shard),
      items,
      rate: rng.between(b.drainRate),
      remaining: items,
      reports: 0,
      lastTickAt: now,
      lastShrinkAt: now,
      parked: domain.status[spec.shard] === STATUS.paused,
      failure: reason ? { reason, phase: PHASE_OF[reason], atRemaining: Math.floor(items * rng.range(0.1, 0.7)) } : undefined,
      ended: false,
    };
    domain.setShardStatus(spec.shard, 'draining');
    hooks.moveStarted({ planId: plan.id, shardId: move.shardId, fromNode: domain.nodes[spec.from].id, toNode: target.id });
    plan.inFlight.add(move);
    plan.lastProgressAt = now;
    this.host.after(this.span(b.progressEveryMs), () => this.drainTick(move));
    return move;
  }

  /** The plan ended around the move (the SDK aborts it): the shard stays with its owner. */
  abort(move: SimMove): void {
    move.ended = true;
    this.restoreShard(move);
  }

  private drainTick(move: SimMove): void {
    if (move.ended) return;
    const b = this.host.behaviour();
    const now = this.host.now();
    if (!this.host.domain.nodes[move.from].wedged) {
      const next = Math.max(0, Math.floor(move.remaining - (move.rate * (now - move.lastTickAt)) / 1000));
      if (next < move.remaining) {
        move.remaining = next;
        move.lastShrinkAt = now;
        move.plan.lastProgressAt = now;
      }
    }
    // the SDK counts a move's first drain report as progress, whatever it says
    if (move.reports++ === 0) move.plan.lastProgressAt = now;
    move.lastTickAt = now;
    this.host.hooks.moveDrainProgress({
      planId: move.plan.id,
      shardId: move.shardId,
      remaining: move.remaining,
      ratio: move.items > 0 ? 1 - move.remaining / move.items : 1,
    });
    if (move.failure?.phase === 'drain' && move.remaining <= move.failure.atRemaining) return this.fail(move, move.failure.reason);
    if (now - move.lastShrinkAt >= b.moveDrainTimeoutMs) return this.fail(move, 'drain_timeout');
    if (move.remaining === 0) this.host.after(this.span([200, 1000]), () => this.handoff(move));
    else this.host.after(this.span(b.progressEveryMs), () => this.drainTick(move));
  }

  private handoff(move: SimMove): void {
    if (move.ended) return;
    const { hooks } = this.host;
    const b = this.host.behaviour();
    const ref = { planId: move.plan.id, shardId: move.shardId };
    hooks.moveHandoff(ref);
    move.plan.lastProgressAt = this.host.now();
    this.host.after(this.span(b.handoffMs), () => {
      if (move.ended) return;
      if (move.failure?.phase === 'handoff') return this.fail(move, move.failure.reason);
      hooks.moveVerifying(ref);
      move.plan.lastProgressAt = this.host.now();
      this.host.after(this.span(b.verifyMs), () => {
        if (move.ended) return;
        if (move.failure?.phase === 'verify') return this.fail(move, move.failure.reason);
        hooks.moveCompleted(ref);
        const now = this.host.now();
        this.host.domain.transfer(move.shard, move.to, now);
        move.plan.completed.push({ shard: move.shard, from: move.from, to: move.to });
        move.plan.lastProgressAt = now;
        move.ended = true;
        this.host.ended(move);
      });
    });
  }

  private fail(move: SimMove, reason: enums.MoveFailureReason): void {
    this.host.hooks.moveFailed({ planId: move.plan.id, shardId: move.shardId, reason });
    move.plan.failures++;
    if (reason === 'checksum_mismatch') move.plan.checksumFailures++;
    move.ended = true;
    this.restoreShard(move);
    this.host.ended(move);
  }

  /** A move that did not complete leaves its shard with its owner: parked again if the owner still drains. */
  private restoreShard(move: SimMove): void {
    const draining = this.host.domain.nodes[move.from].status === 'draining';
    this.host.domain.setShardStatus(move.shard, move.parked && draining ? 'paused' : 'active');
  }

  private span(span: Span): number {
    return span[0] === span[1] ? span[0] : this.host.rng.between(span);
  }
}
