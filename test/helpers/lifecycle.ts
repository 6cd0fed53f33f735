import type { RebalanceTelemetryHandle } from '../../src';

/** A complete, healthy plan of `moves` shard moves, every phase reported. */
export function runHealthyPlan(t: RebalanceTelemetryHandle, planId: string, moves = 2): void {
  t.planCreated({ planId, trigger: 'imbalance', movesPlanned: moves });
  t.planSubmitted({ planId });
  t.planApproved({ planId, actor: 'alice' });
  t.planStarted({ planId });
  for (let i = 0; i < moves; i++) {
    const shardId = `${planId}-shard-${i}`;
    t.moveStarted({ planId, shardId, fromNode: 'node-a', toNode: 'node-b' });
    t.moveDrainProgress({ planId, shardId, remaining: 5, ratio: 0.5 });
    t.moveHandoff({ planId, shardId });
    t.moveVerifying({ planId, shardId });
    t.moveCompleted({ planId, shardId });
  }
  t.planCompleted({ planId });
}

/** Every hook once or more, touching every metric of the schema. */
export function runFullLifecycle(t: RebalanceTelemetryHandle): void {
  t.controllerHeartbeat();
  t.leadershipChanged({ isLeader: true });
  t.controllerStateChanged({ state: 'executing' });
  t.policyLimitsChanged({ maxConcurrentMoves: 4 });
  t.shardOwnership({ nodes: [{ node: 'node-a', status: 'active', count: 12 }, { node: 'node-b', status: 'draining', count: 3 }] });
  t.candidateSkipped({ reason: 'cooldown' });
  runHealthyPlan(t, 'plan-ok');
  t.planCreated({ planId: 'plan-preview', trigger: 'manual', movesPlanned: 3, dryRun: true });
  t.planCreated({ planId: 'plan-live', trigger: 'node_drain', movesPlanned: 3, deadline: Date.now() + 3_600_000 });
  t.planSubmitted({ planId: 'plan-live' });
  t.planBlocked({ planId: 'plan-live', policy: 'max_ownership_delta' });
  t.policyViolation({ policy: 'max_ownership_delta', action: 'block', planId: 'plan-live' });
  t.planOverrideAcknowledged({ planId: 'plan-live', actor: 'bob' });
  t.planStarted({ planId: 'plan-live' });
  t.moveStarted({ planId: 'plan-live', shardId: 'shard-9', fromNode: 'node-b', toNode: 'node-a' });
  t.moveFailed({ planId: 'plan-live', shardId: 'shard-9', reason: 'drain_timeout' });
  t.moveStarted({ planId: 'plan-live', shardId: 'shard-10', fromNode: 'node-b', toNode: 'node-a' });
  t.planCreated({ planId: 'plan-waiting', trigger: 'capacity', movesPlanned: 1 });
  t.planSubmitted({ planId: 'plan-waiting' });
  t.planCreated({ planId: 'plan-bad', trigger: 'manual', movesPlanned: 1 });
  t.planStarted({ planId: 'plan-bad' });
  t.planFailed({ planId: 'plan-bad', reason: 'moves_failed' });
  t.planCompleted({ planId: 'no-such-plan' });
}
