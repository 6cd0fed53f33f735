/**
 * A small rebalance controller wired to the telemetry hooks: one plan that drains two shards off a
 * node, one that fails a move, a heartbeat under leadership. Copy the calls, not the fake work.
 *
 *   PROMETHEUS_PORT=9464 npx tsx examples/controller/controller.ts
 *
 * It prints `ready <metrics url>` once the lifecycle is recorded, then serves until SIGTERM/SIGINT.
 */
import { createRebalanceTelemetry } from '@meshkit/rebalance-observability';

const telemetry = createRebalanceTelemetry({
  namespace: process.env.MESHKIT_NAMESPACE ?? 'payments',
  cluster: process.env.MESHKIT_CLUSTER ?? 'eu-west-1',
  controllerId: process.env.MESHKIT_CONTROLLER_ID ?? 'rebalancer-0',
  prometheus: { port: Number(process.env.PROMETHEUS_PORT ?? 9464) },
  // With OTEL_EXPORTER_OTLP_ENDPOINT set, metrics and traces are also pushed over OTLP.
  otlp: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? {} : undefined,
});

function drainNode(planId: string, node: string, shards: string[], target: string): void {
  telemetry.controllerStateChanged({ state: 'plan_pending' });
  telemetry.planCreated({ planId, trigger: 'node_drain', movesPlanned: shards.length });
  telemetry.planSubmitted({ planId });
  telemetry.planApproved({ planId, actor: 'oncall@example.com' });
  telemetry.controllerStateChanged({ state: 'executing' });
  telemetry.planStarted({ planId });
  for (const shardId of shards) {
    telemetry.moveStarted({ planId, shardId, fromNode: node, toNode: target });
    for (let remaining = 30; remaining >= 0; remaining -= 10) {
      telemetry.moveDrainProgress({ planId, shardId, remaining, ratio: 1 - remaining / 30 });
    }
    telemetry.moveHandoff({ planId, shardId });
    telemetry.moveVerifying({ planId, shardId });
    telemetry.moveCompleted({ planId, shardId });
  }
  telemetry.planCompleted({ planId });
  telemetry.controllerStateChanged({ state: 'steady' });
}

function failingPlan(planId: string): void {
  telemetry.planCreated({ planId, trigger: 'imbalance', movesPlanned: 1 });
  telemetry.planApproved({ planId, decision: 'auto_approved' });
  telemetry.planStarted({ planId });
  telemetry.moveStarted({ planId, shardId: 'orders-17', fromNode: 'node-c', toNode: 'node-a' });
  telemetry.moveFailed({ planId, shardId: 'orders-17', reason: 'version_conflict' });
  telemetry.planFailed({ planId, reason: 'moves_failed' });
}

telemetry.leadershipChanged({ isLeader: true });
telemetry.policyLimitsChanged({ maxConcurrentMoves: 4 });
telemetry.controllerHeartbeat();
telemetry.shardOwnership({
  nodes: [
    { node: 'node-a', status: 'active', count: 42 },
    { node: 'node-b', status: 'draining', count: 2 },
    { node: 'node-c', status: 'active', count: 40 },
  ],
});
telemetry.candidateSkipped({ reason: 'cooldown' });
drainNode('plan-drain-node-b', 'node-b', ['orders-3', 'orders-8'], 'node-a');
failingPlan('plan-imbalance-1');
telemetry.planCreated({ planId: 'plan-waiting', trigger: 'capacity', movesPlanned: 3 });
telemetry.planSubmitted({ planId: 'plan-waiting' });

const heartbeat = setInterval(() => telemetry.controllerHeartbeat(), 2000);
// `ready` rejects (and, unhandled, ends the process) when the pull endpoint cannot listen.
void telemetry.ready.then(() => process.stdout.write(`ready ${telemetry.prometheusUrl}\n`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    clearInterval(heartbeat);
    void telemetry.shutdown().then(() => process.exit(0));
  });
}
