/**
 * A scenario live, the way a user runs it: `simulate --scenario mixed --otlp <the stack's Collector>`
 * at wall-clock speed for a short while. Its series arrive in Prometheus through the Collector, one
 * controller process per job/instance, in both clusters, with timestamps on the wall clock.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { METRICS } from '../../src';
import { JOB } from '../../src/simulator/runner';
import { promQuery, waitFor } from '../integration/helpers/backends';
import { stackPerFile } from '../integration/helpers/stack-per-file';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'meshkit-rebalance-obs.js');

const local = stackPerFile('live');

test('simulate --otlp: a live scenario reaches Prometheus through the Collector', async () => {
  const { stack, project } = local;
  const startedS = Date.now() / 1000;
  const child = spawn(process.execPath, [BIN, 'simulate', '--scenario', 'mixed', '--otlp', stack.urls.otlp_http, '--duration', '25s'], {
    cwd: project,
    env: { ...process.env, OTEL_METRIC_EXPORT_INTERVAL: '2000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  // While it runs: every controller of mixed heartbeats into Prometheus, under the SDK's job label.
  const heartbeats = await waitFor(
    'the heartbeats of all five controllers of mixed',
    async () => {
      const samples = await promQuery(stack.urls.prometheus, `${METRICS.heartbeat.name}{job="${JOB}"}`);
      return samples.length >= 5 ? samples : undefined;
    },
    60_000,
  );
  const scopes = [...new Set(heartbeats.map((s) => `${s.metric.cluster}/${s.metric.namespace}`))].sort();
  expect(scopes).toEqual(['eu-west-1/orders', 'eu-west-1/payments', 'us-east-1/payments', 'us-east-1/search']);
  expect(heartbeats.map((s) => s.metric.instance).sort()).toEqual(
    ['eu-west-1.orders.rebalancer-0', 'eu-west-1.payments.rebalancer-0', 'eu-west-1.payments.rebalancer-1', 'us-east-1.payments.rebalancer-0', 'us-east-1.search.rebalancer-0'],
  );
  // At speed 1 the virtual clock is the wall clock: a heartbeat is seconds old, not hours.
  for (const s of heartbeats) {
    expect(Number(s.value[1])).toBeGreaterThanOrEqual(startedS - 5);
    expect(Number(s.value[1])).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  }

  expect(await exited).toBe(0);
  expect(output).toContain(`OTLP to ${stack.urls.otlp_http}`);
  // Its last state was flushed at the end: one leader per namespace/cluster, the standby at 0.
  const leaders = await waitFor('the leader gauges', async () => {
    const samples = await promQuery(stack.urls.prometheus, `${METRICS.leader.name}{job="${JOB}"}`);
    return samples.length >= 5 ? samples : undefined;
  });
  const byInstance = Object.fromEntries(leaders.map((s) => [s.metric.instance, Number(s.value[1])]));
  expect(byInstance['eu-west-1.payments.rebalancer-0']).toBe(1);
  expect(byInstance['eu-west-1.payments.rebalancer-1']).toBe(0);
  const limits = await promQuery(stack.urls.prometheus, `max by (cluster, namespace) (${METRICS.maxConcurrentMoves.name}{job="${JOB}"})`);
  expect(Object.fromEntries(limits.map((s) => [`${s.metric.cluster}/${s.metric.namespace}`, Number(s.value[1])]))).toEqual({
    'eu-west-1/orders': 8,
    'eu-west-1/payments': 8,
    'us-east-1/payments': 6,
    'us-east-1/search': 8,
  });
}, 120_000);
