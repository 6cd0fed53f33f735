/**
 * SDK → Collector → Prometheus and Jaeger, on the real stack: every series the pull endpoint shows
 * is in Prometheus with the same labels and value; a plan's trace is found by its id with its moves
 * and phases; the controller survives the Collector and the trace backend going away.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRebalanceTelemetry, METRICS, SPANS, ATTR, type RebalanceTelemetryHandle } from '../../src';
import { ensureStack } from '../../src/stack/install';
import { startStack, type RunningStack } from '../../src/stack/stack';
import { fetchPlanTrace } from '../../src/trace/jaeger';
import type { TimelineSpan } from '../../src/trace/model';
import { parseExposition } from '../helpers/exposition';
import { fetchText, freePort } from '../helpers/net';
import { runFullLifecycle, runHealthyPlan } from '../helpers/lifecycle';
import { promQuery, waitFor } from './helpers/backends';

const BIN = path.join(__dirname, '..', '..', 'bin', 'meshkit-rebalance-obs.js');
/** Labels one path adds and the other does not: scope info on the pull endpoint, target labels in Prometheus. */
const PATH_LABELS = new Set(['otel_scope_name', 'otel_scope_version', 'job', 'instance', '__name__']);

let project: string;
let stack: RunningStack;

function key(name: string, labels: Record<string, string>): string {
  const kept = Object.entries(labels).filter(([k]) => !PATH_LABELS.has(k)).sort(([a], [b]) => a.localeCompare(b));
  return `${name}{${kept.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}

function telemetry(controllerId: string, extra: { prometheusPort?: number } = {}): RebalanceTelemetryHandle {
  return createRebalanceTelemetry({
    namespace: 'pipeline',
    cluster: 'loopback',
    controllerId,
    otlp: { endpoint: stack.urls.otlp_http, metricExportIntervalMillis: 1000 },
    ...(extra.prometheusPort ? { prometheus: { port: extra.prometheusPort } } : {}),
  });
}

async function planTrace(planId: string): Promise<TimelineSpan[]> {
  return waitFor(`the trace of ${planId}`, () => fetchPlanTrace(stack.urls.trace_query, planId, 1), 60_000);
}

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'meshkit-pipeline-'));
  await ensureStack({ projectDir: project });
  stack = await startStack({ dir: path.join(project, '.stack', 'run'), log: () => {} });
}, 30 * 60_000);

afterAll(async () => {
  await stack?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('SDK → Collector → Prometheus', () => {
  it('shows every series of the pull endpoint, with the same labels and value', async () => {
    const t = telemetry('ctl-pipe', { prometheusPort: await freePort() });
    runFullLifecycle(t);
    const pulled = parseExposition(await fetchText(t.prometheusUrl!)).filter((s) => s.name.startsWith('meshkit_'));
    await t.forceFlush();
    const expected = new Map(pulled.map((s) => [key(s.name, s.labels), s.value]));
    const stored = await waitFor(
      'every pulled series in Prometheus',
      async () => {
        const result = await promQuery(stack.urls.prometheus, '{__name__=~"meshkit_.+", instance="ctl-pipe"}');
        const found = new Map(
          result.map((s) => {
            const full = key(s.metric.__name__, s.metric);
            // A metric without namespace/cluster labels (the rejection counter) gets them from the resource.
            const { namespace, cluster, ...rest } = s.metric;
            const fromResource = !expected.has(full) && namespace === 'pipeline' && cluster === 'loopback';
            return [fromResource ? key(s.metric.__name__, rest) : full, Number(s.value[1])];
          }),
        );
        const missing = [...expected.keys()].filter((k) => !found.has(k));
        if (missing.length > 0) throw new Error(`${missing.length} missing, e.g. ${missing.slice(0, 3).join(' ')}`);
        return found;
      },
      60_000,
    );
    await t.shutdown();
    expect(stored.size).toBe(expected.size);
    for (const [series, value] of expected) {
      // The completion forecast is computed at collection time: the two collections are a moment apart.
      if (series.startsWith(METRICS.planForecastCompletion.name)) expect(Math.abs(stored.get(series)! - value)).toBeLessThan(5);
      else if (series.includes('_timestamp_seconds')) expect(stored.get(series)).toBeCloseTo(value, 2);
      else expect([series, stored.get(series)]).toEqual([series, value]);
    }
    expect(expected.size).toBeGreaterThan(200);
  }, 120_000);
});

describe('SDK → Collector → Jaeger', () => {
  it('finds a plan trace by its id: moves under the plan, drain, handoff and verify in order', async () => {
    const t = telemetry('ctl-trace');
    runHealthyPlan(t, 'plan-traced', 3);
    await t.shutdown();
    const spans = await planTrace('plan-traced');
    const plan = spans.find((s) => s.name === SPANS.plan)!;
    const moves = spans.filter((s) => s.name === SPANS.move);
    expect(plan.attributes[ATTR.planId]).toBe('plan-traced');
    expect(moves).toHaveLength(3);
    for (const move of moves) {
      expect(move.parentSpanId).toBe(plan.spanId);
      const children = spans.filter((s) => s.parentSpanId === move.spanId);
      // The in-flight marker: one zero-length child as the move starts.
      expect(children.filter((c) => c.name === SPANS.moveStarted)).toHaveLength(1);
      const phases = children.filter((c) => c.name !== SPANS.moveStarted && c.name !== SPANS.moveProgress).sort((a, b) => a.startUs - b.startUs || a.name.localeCompare(b.name));
      expect(phases.map((p) => p.name)).toEqual([SPANS.drain, SPANS.handoff, SPANS.verify]);
    }
  }, 120_000);

  it('finds a live plan by its id before the plan ends', async () => {
    const t = telemetry('ctl-live-trace');
    t.planCreated({ planId: 'plan-still-running', trigger: 'node_drain', movesPlanned: 2 });
    t.planStarted({ planId: 'plan-still-running' });
    t.moveStarted({ planId: 'plan-still-running', shardId: 'done', fromNode: 'n1', toNode: 'n2' });
    t.moveCompleted({ planId: 'plan-still-running', shardId: 'done' });
    t.moveStarted({ planId: 'plan-still-running', shardId: 'draining', fromNode: 'n1', toNode: 'n2' });
    await t.forceFlush();
    const spans = await planTrace('plan-still-running');
    expect(spans.some((s) => s.name === SPANS.plan)).toBe(false);
    expect(spans.some((s) => s.name === SPANS.planCreated)).toBe(true);
    expect(spans.filter((s) => s.name === SPANS.move).map((s) => s.attributes[ATTR.shardId])).toEqual(['done']);
    await t.shutdown();
  }, 120_000);

  it('prints the drain timeline with `meshkit-rebalance-obs trace <planId>`', async () => {
    await planTrace('plan-traced');
    const result = spawnSync(process.execPath, [BIN, 'trace', 'plan-traced', '--query', stack.urls.trace_query, '--width', '40'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('plan plan-traced');
    expect(result.stdout.split('\n').filter((l) => l.startsWith('plan-traced-shard-'))).toHaveLength(3);
  }, 60_000);

  it('answers an unknown plan and an unreachable backend with one sentence', async () => {
    const unknown = spawnSync(process.execPath, [BIN, 'trace', 'no-such-plan', '--query', stack.urls.trace_query], { encoding: 'utf8', timeout: 60_000 });
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringMatching(/no trace found for plan no-such-plan/)]);
    const port = await freePort();
    const down = spawnSync(process.execPath, [BIN, 'trace', 'p', '--query', `http://127.0.0.1:${port}`], { encoding: 'utf8', timeout: 60_000 });
    expect(down.status).not.toBe(0);
    expect(down.stderr.trim().split('\n')).toEqual([expect.stringMatching(/not reachable/)]);
  }, 60_000);
});

describe('faults', () => {
  /** Runs healthy plans every `everyMs` until stopped; counts what it ran. */
  function scenario(t: RebalanceTelemetryHandle, prefix: string, everyMs = 20) {
    let n = 0;
    const timer = setInterval(() => {
      runHealthyPlan(t, `${prefix}-${n++}`, 2);
      t.controllerHeartbeat();
    }, everyMs);
    return { stop: () => clearInterval(timer), count: () => n };
  }

  async function completedMoves(instance: string): Promise<number> {
    const [sample] = await promQuery(stack.urls.prometheus, `${METRICS.movesTotal.name}{instance="${instance}", outcome="completed"}`);
    return sample ? Number(sample.value[1]) : 0;
  }

  it('keeps the controller running while the Collector is down, and delivers again after its restart', async () => {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    const t = telemetry('ctl-fault');
    const run = scenario(t, 'collector-fault');
    try {
      const before = await waitFor('metrics before the fault', async () => ((await completedMoves('ctl-fault')) > 0 ? true : undefined));
      expect(before).toBe(true);
      await stack.kill('otelcol');
      global.gc?.();
      const heapAtKill = process.memoryUsage().heapUsed;
      await sleep(4000);
      const heapWhileDown = process.memoryUsage().heapUsed;
      const duringOutage = await completedMoves('ctl-fault');
      await stack.restart('otelcol');
      const after = await waitFor('metrics after the restart', async () => {
        const moves = await completedMoves('ctl-fault');
        return moves > duringOutage ? moves : undefined;
      }, 60_000);
      expect(after).toBeGreaterThan(duringOutage);
      const restartedPlan = `collector-fault-${run.count() + 5}`;
      await waitFor('a plan started after the restart', async () => (run.count() > Number(restartedPlan.split('-').pop()) ? true : undefined));
      const spans = await planTrace(restartedPlan);
      expect(spans.filter((s) => s.name === SPANS.move)).toHaveLength(2);
      expect(errors).toEqual([]);
      // The span queue and the tables are bounded: four seconds of plans without a Collector cost little heap.
      expect(heapWhileDown - heapAtKill).toBeLessThan(64 * 1024 * 1024);
    } finally {
      run.stop();
      await t.shutdown();
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  }, 180_000);

  it('queues spans in the Collector while the trace backend is down and delivers them when it is back', async () => {
    await stack.kill('jaeger');
    const t = telemetry('ctl-jaeger-fault');
    runHealthyPlan(t, 'plan-while-jaeger-down', 2);
    await t.shutdown();
    await sleep(2000);
    await stack.restart('jaeger');
    const spans = await planTrace('plan-while-jaeger-down');
    expect(spans.filter((s) => s.name === SPANS.move)).toHaveLength(2);
  }, 180_000);
});
