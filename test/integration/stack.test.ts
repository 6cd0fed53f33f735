/**
 * The local stack for real: startStack in a temporary project, every component ready on its own
 * loopback ports, the CLI's `stack status --json`, Prometheus and Jaeger answering, OTLP through
 * the Collector arriving under the schema's metric names, crash and restart, and a stop that
 * leaves no process behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRebalanceTelemetry } from '../../src';
import { ATTR, METRICS, METRIC_LIST, SPANS, type MetricSpec } from '../../src/schema';
import { ensureStack } from '../../src/stack/install';
import { pidAlive } from '../../src/stack/processes';
import { startStack, type ComponentName, type RunningStack } from '../../src/stack/stack';
import { probe, readState, stateFile } from '../../src/stack/state';
import { runFullLifecycle } from '../helpers/lifecycle';
import { jaegerTrace, promQuery, waitFor } from './helpers/backends';
import { hexId, metricsBody, postOtlp, tracesBody, type MetricInput } from './helpers/otlp-json';

const BIN = path.join(__dirname, '..', '..', 'bin', 'meshkit-rebalance-obs.js');
const BUILD_TIMEOUT = 30 * 60_000; // a cold build measured 15 min on 2 cores
const COMPONENTS: ComponentName[] = ['alertmanager', 'jaeger', 'prometheus', 'otelcol'];

/** The name the OpenTelemetry SDK gives a schema metric: counters without `_total`. */
const otelName = (spec: MetricSpec) => (spec.kind === 'counter' ? spec.name.replace(/_total$/, '') : spec.name);
/** One series name Prometheus stores for a schema metric. */
const seriesName = (spec: MetricSpec) => (spec.kind === 'histogram' ? `${spec.name}_bucket` : spec.name);

let project: string;
let dir: string;
let stack: RunningStack;

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: project, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function metricNames(prometheus: string, selector: string): Promise<string[]> {
  return (await promQuery(prometheus, `count by (__name__) (${selector})`)).map((s) => s.metric.__name__).sort();
}

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'meshkit-stack-'));
  dir = path.join(project, '.stack', 'run'); // where the CLI looks, run from `project`
  await ensureStack({ projectDir: project });
  stack = await startStack({ dir, log: () => {} });
}, BUILD_TIMEOUT);

afterAll(async () => {
  await stack?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('every component is running and ready on 127.0.0.1', async () => {
  const health = await probe(readState(dir)!);
  expect(health.map(({ name, running, ready }) => ({ name, running, ready })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
    [...COMPONENTS].sort().map((name) => ({ name, running: true, ready: true })),
  );
  for (const url of Object.values(stack.urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

test('`stack status --json` prints exactly the four URLs', () => {
  const result = cli('stack', 'status', '--json');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const printed = JSON.parse(result.stdout) as Record<string, string>;
  expect(Object.keys(printed)).toEqual(['prometheus', 'alertmanager', 'otlp_http', 'trace_query']);
  expect(printed).toEqual(stack.urls);
});

test('Prometheus answers a query for `up` with its own scrape targets', async () => {
  const up = await waitFor('up{job="prometheus"}', async () => {
    const samples = await promQuery(stack.urls.prometheus, 'up');
    return samples.some((s) => s.metric.job === 'prometheus') ? samples : undefined;
  });
  expect(up.find((s) => s.metric.job === 'prometheus')!.value[1]).toBe('1');
});

test('Jaeger answers its query API', async () => {
  const response = await fetch(`${stack.urls.trace_query}/api/v3/services`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual(expect.any(Object));
});

test('OTLP through the Collector keeps the schema names and the namespace/cluster labels', async () => {
  const scope = { namespace: 'orders', cluster: 'eu-1' };
  const resource = { 'service.name': 'meshkit-rebalancer', 'service.instance.id': 'ctrl-1', [ATTR.namespace]: scope.namespace, [ATTR.cluster]: scope.cluster };
  const metrics: MetricInput[] = [
    { kind: 'counter', name: otelName(METRICS.movesTotal), unit: METRICS.movesTotal.unit, labels: { ...scope, outcome: 'completed' }, value: 3 },
    { kind: 'histogram', name: otelName(METRICS.planDuration), unit: METRICS.planDuration.unit, labels: { ...scope, outcome: 'completed' }, bounds: [60, 120], counts: [0, 1, 1], sum: 150 },
    { kind: 'gauge', name: otelName(METRICS.heartbeat), unit: METRICS.heartbeat.unit, labels: { ...scope, controller: 'ctrl-1' }, value: Date.now() / 1000 },
    // No namespace/cluster on the data point: they come from the resource.
    { kind: 'counter', name: otelName(METRICS.rejected), unit: METRICS.rejected.unit, labels: { hook: 'planStarted', reason: 'unknown_plan' }, value: 1 },
  ];
  await postOtlp(stack.urls.otlp_http, 'metrics', metricsBody(resource, metrics));

  const expected = [METRICS.movesTotal, METRICS.planDuration, METRICS.heartbeat, METRICS.rejected].flatMap((spec) =>
    spec.kind === 'histogram' ? ['_bucket', '_count', '_sum'].map((suffix) => spec.name + suffix) : [spec.name],
  );
  const selector = `{__name__=~"meshkit_.+", namespace="${scope.namespace}", cluster="${scope.cluster}", job="meshkit-rebalancer", instance="ctrl-1"}`;
  const names = await waitFor('the metrics in Prometheus', async () => {
    const found = await metricNames(stack.urls.prometheus, selector);
    return found.length >= expected.length ? found : undefined;
  });
  expect(names).toEqual([...expected].sort());

  const moves = await promQuery(stack.urls.prometheus, `${METRICS.movesTotal.name}{namespace="orders"}`);
  expect(moves.map((s) => s.value[1])).toEqual(['3']);
  const buckets = await promQuery(stack.urls.prometheus, `${METRICS.planDuration.name}_bucket{namespace="orders"}`);
  expect(Object.fromEntries(buckets.map((s) => [s.metric.le, s.value[1]]))).toEqual({ '60': '0', '120': '1', '+Inf': '2' });
  // Every resource attribute stays reachable on target_info.
  const info = await promQuery(stack.urls.prometheus, 'target_info{job="meshkit-rebalancer", instance="ctrl-1"}');
  expect(info[0]?.metric).toMatchObject({ meshkit_namespace: 'orders', meshkit_cluster: 'eu-1' });
});

test('a trace sent to the Collector reaches Jaeger', async () => {
  const traceId = hexId(16);
  await postOtlp(stack.urls.otlp_http, 'traces', tracesBody({ 'service.name': 'meshkit-rebalancer' }, { traceId, spanId: hexId(8), name: SPANS.plan }));
  const spans = await waitFor('the trace in Jaeger', async () => {
    const found = await jaegerTrace(stack.urls.trace_query, traceId);
    return found.length > 0 ? found : undefined;
  });
  expect(spans.map((s) => s.name)).toEqual([SPANS.plan]);
});

test('the SDK over OTLP: every metric it exports arrives under its schema name', async () => {
  const t = createRebalanceTelemetry({ namespace: 'sdk-ns', cluster: 'sdk-cluster', controllerId: 'sdk-ctrl', otlp: { endpoint: stack.urls.otlp_http } });
  runFullLifecycle(t);
  const exported = new Set(
    t.metricProducer
      .collectMetrics()
      .filter((m) => m.dataPoints.length > 0)
      .map((m) => m.descriptor.name),
  );
  await t.shutdown();
  const expected = METRIC_LIST.filter((spec) => exported.has(otelName(spec)))
    .map(seriesName)
    .sort();
  expect(expected.length).toBeGreaterThan(10);
  const names = await waitFor('the SDK metrics in Prometheus', async () => {
    const found = (await metricNames(stack.urls.prometheus, '{__name__=~"meshkit_.+", job="meshkit-rebalancer", instance="sdk-ctrl"}')).filter(
      (name) => !/_(count|sum)$/.test(name) || !expected.includes(name.replace(/_(count|sum)$/, '_bucket')),
    );
    if (found.length < expected.length) throw new Error(`${found.length} of ${expected.length} so far: ${found.join(' ')}`);
    return found;
  });
  expect(names).toEqual(expected);
  const services = await waitFor('the SDK traces in Jaeger', async () => {
    const body = (await (await fetch(`${stack.urls.trace_query}/api/v3/services`)).json()) as { services?: string[] };
    return body.services?.includes('meshkit-rebalancer') ? body.services : undefined;
  });
  expect(services).toContain('meshkit-rebalancer');
}, 60_000);

test('a killed component shows in `stack status`, and restart brings it back', async () => {
  await stack.kill('prometheus');
  const down = cli('stack', 'status', '--json');
  expect(down.code).not.toBe(0);
  expect(down.stdout).toBe('');
  expect(down.stderr.trim().split('\n')).toEqual([expect.stringContaining('prometheus not ready')]);

  const before = stack.pid('prometheus');
  await stack.restart('prometheus');
  expect(stack.pid('prometheus')).not.toBe(before);
  expect(cli('stack', 'status', '--json').code).toBe(0);
}, 60_000);

test('stop() leaves no process behind', async () => {
  const pids = COMPONENTS.map((name) => stack.pid(name));
  expect(pids.every(pidAlive)).toBe(true);
  await stack.stop();
  expect(pids.filter(pidAlive)).toEqual([]);
  expect(existsSync(stateFile(dir))).toBe(false);
  const after = cli('stack', 'status', '--json');
  expect(after.code).not.toBe(0);
  expect(after.stderr).toMatch(/^meshkit-rebalance-obs stack: the stack is not up; .*\n$/);
}, 60_000);
