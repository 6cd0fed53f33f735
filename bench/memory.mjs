// Memory: heap used (after gc) once 10,000 moves have completed, against the same process after
// 1,000,000. Plans of PLAN_MOVES moves run start to finish; their moves start and complete in
// batches of BATCH concurrent moves; the metric producer is collected every COLLECT_EVERY moves.
// Run directly (node --expose-gc bench/memory.mjs) it prints one JSON line; run.mjs does that.
import { createRebalanceTelemetry, METRICS } from '../dist/esm/index.mjs';
import { otelName } from './harness.mjs';
import { pathToFileURL } from 'node:url';
import { gc } from './harness.mjs';

const PLAN_MOVES = 1000;
const BATCH = 100;
const COLLECT_EVERY = 10_000;
const CHECKPOINTS = [10_000, 100_000, 1_000_000];

function heapUsed() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export async function runMemory() {
  const started = performance.now();
  const sdk = createRebalanceTelemetry({ namespace: 'payments', cluster: 'eu-west-1a', controllerId: 'rebalancer-0' });
  const points = [];
  let completed = 0;
  let plan = 0;
  let collections = 0;
  let lastPoints = 0;
  const last = CHECKPOINTS[CHECKPOINTS.length - 1];
  while (completed < last) {
    const planId = `plan-${plan++}`;
    sdk.planCreated({ planId, trigger: 'imbalance', movesPlanned: PLAN_MOVES });
    sdk.planStarted({ planId });
    for (let b = 0; b < PLAN_MOVES; b += BATCH) {
      for (let k = 0; k < BATCH; k++) sdk.moveStarted({ planId, shardId: `shard-${b + k}`, fromNode: 'node-a', toNode: 'node-b' });
      for (let k = 0; k < BATCH; k++) sdk.moveCompleted({ planId, shardId: `shard-${b + k}` });
      completed += BATCH;
      if (completed % COLLECT_EVERY === 0) {
        const { resourceMetrics } = await sdk.metricProducer.collect();
        lastPoints = resourceMetrics.scopeMetrics[0].metrics.reduce((n, m) => n + m.dataPoints.length, 0);
        collections++;
      }
      if (CHECKPOINTS.includes(completed)) {
        points.push({ moves: completed, heapUsed: heapUsed(), rss: process.memoryUsage().rss, dataPoints: lastPoints, collections });
      }
    }
    sdk.planCompleted({ planId });
  }
  const { resourceMetrics } = await sdk.metricProducer.collect();
  const metrics = resourceMetrics.scopeMetrics[0].metrics;
  const total = (name) => (metrics.find((m) => m.descriptor.name === name)?.dataPoints ?? []).reduce((a, p) => a + p.value, 0);
  const first = points[0];
  const end = points[points.length - 1];
  return {
    workload: { planMoves: PLAN_MOVES, batch: BATCH, collectEvery: COLLECT_EVERY, plans: plan },
    checkpoints: points,
    ratio: end.heapUsed / first.heapUsed,
    deltaBytes: end.heapUsed - first.heapUsed,
    // Growth per move once warmed up (second checkpoint to last): a leak shows here, JIT warm-up does not.
    bytesPerMoveAfterWarmup: (end.heapUsed - points[1].heapUsed) / (end.moves - points[1].moves),
    movesCounted: total(otelName(METRICS.movesTotal)),
    rejected: total(otelName(METRICS.rejected)),
    target: { text: 'heap after 1,000,000 moves within 5% of heap after 10,000', max: 1.05 },
    seconds: (performance.now() - started) / 1000,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await runMemory())}\n`);
}
