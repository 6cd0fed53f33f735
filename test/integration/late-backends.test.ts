/**
 * A stack started while Alertmanager and the trace backend still build (what the demo does on a
 * fresh machine): the metrics path works at once, spans sent before Jaeger exists wait in the
 * Collector and arrive once it starts, an alert that fired before Alertmanager existed reaches it
 * once it starts, and a stack stopped before the builds end starts neither and does not wait.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRebalanceTelemetry } from '../../src';
import { SPANS } from '../../src/schema';
import { ensureStack } from '../../src/stack/install';
import { cacheRoot } from '../../src/stack/paths';
import { startStack, type RunningStack } from '../../src/stack/stack';
import { readState } from '../../src/stack/state';
import { fetchPlanTrace } from '../../src/trace/jaeger';
import { runHealthyPlan } from '../helpers/lifecycle';
import { waitFor } from './helpers/backends';

let project: string;

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'meshkit-late-jaeger-'));
  await ensureStack({ projectDir: project, log: () => {} });
}, 30 * 60_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** A promise the test resolves: the trace backend's build "finishing". */
function gate(): { built: Promise<void>; finish(): void } {
  let finish!: () => void;
  const built = new Promise<void>((resolve) => (finish = resolve));
  return { built, finish };
}

test('spans sent before the trace backend starts reach it once it does', async () => {
  const { built, finish } = gate();
  const lines: string[] = [];
  let stack: RunningStack | undefined;
  try {
    stack = await startStack({ dir: path.join(project, 'a', '.stack', 'run'), log: (line) => lines.push(line), builtLater: { jaeger: built } });
    const state = readState(stack.dir)!;
    expect(Object.keys(state.components).sort()).toEqual(['alertmanager', 'otelcol', 'prometheus']);
    expect(lines).toContain('[stack] jaeger starts when its build is done');

    const t = createRebalanceTelemetry({ namespace: 'late', cluster: 'late-1', controllerId: 'ctrl', otlp: { endpoint: stack.urls.otlp_http } });
    runHealthyPlan(t, 'plan-before-jaeger', 3);
    await t.forceFlush();
    // The Collector has the spans and nothing listens on the trace backend's port yet.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await expect(fetch(`${stack.urls.trace_query}/api/services`)).rejects.toThrow();

    finish();
    await stack.up('jaeger');
    expect(Object.keys(readState(stack.dir)!.components).sort()).toEqual(['alertmanager', 'jaeger', 'otelcol', 'prometheus']);
    const spans = await waitFor('the early plan in Jaeger', async () => fetchPlanTrace(stack!.urls.trace_query, 'plan-before-jaeger', 1).catch(() => undefined), 60_000);
    expect(spans.filter((s) => s.name === SPANS.move)).toHaveLength(3);
    await t.shutdown();
  } finally {
    finish();
    await stack?.stop();
  }
}, 120_000);

test('a stack stopped while Alertmanager and Jaeger build starts neither and does not wait for the builds', async () => {
  const { built, finish } = gate();
  const stack = await startStack({ dir: path.join(project, 'b', '.stack', 'run'), log: () => {}, builtLater: { jaeger: built, alertmanager: built } });
  const stopped = stack.stop();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise((resolve) => (timer = setTimeout(() => resolve('hung'), 30_000)));
  await expect(Promise.race([stopped.then(() => 'stopped'), hung])).resolves.toBe('stopped');
  clearTimeout(timer);
  finish();
  await expect(stack.up('jaeger')).rejects.toThrow('stopped before jaeger started');
  await expect(stack.up('alertmanager')).rejects.toThrow('stopped before alertmanager started');
  expect(readState(stack.dir)).toBeUndefined();
}, 90_000);

test('an alert that fired before Alertmanager started reaches it once it does', async () => {
  const { built, finish } = gate();
  const rules = path.join(project, 'always.rules.yml');
  writeFileSync(rules, 'groups:\n  - name: late\n    rules:\n      - alert: AlwaysFiring\n        expr: vector(1)\n');
  const dir = path.join(project, 'c', '.stack', 'run');
  mkdirSync(dir, { recursive: true });
  let stack: RunningStack | undefined;
  try {
    stack = await startStack({ dir, log: () => {}, ruleFiles: [rules], evaluationInterval: '1s', builtLater: { alertmanager: built } });
    const firing = await waitFor('AlwaysFiring in Prometheus', async () => {
      const body = (await (await fetch(`${stack!.urls.prometheus}/api/v1/alerts`)).json()) as { data: { alerts: { labels: { alertname: string }; state: string }[] } };
      return body.data.alerts.find((a) => a.labels.alertname === 'AlwaysFiring' && a.state === 'firing');
    });
    expect(firing).toBeDefined();
    await expect(fetch(`${stack.urls.alertmanager}/api/v2/alerts`)).rejects.toThrow();

    finish();
    await stack.up('alertmanager');
    const received = await waitFor('AlwaysFiring in Alertmanager', async () => {
      const alerts = (await (await fetch(`${stack!.urls.alertmanager}/api/v2/alerts`)).json()) as { labels: { alertname: string } }[];
      return alerts.find((a) => a.labels.alertname === 'AlwaysFiring');
    }, 30_000);
    expect(received.labels.alertname).toBe('AlwaysFiring');
  } finally {
    finish();
    await stack?.stop();
  }
}, 120_000);

test('a stack starts from a cache that holds only the metrics path (builder, Collector, Prometheus)', async () => {
  const partial = path.join(project, 'partial-cache');
  mkdirSync(partial, { recursive: true });
  for (const part of ['builder', 'otelcol', 'prometheus']) symlinkSync(path.join(cacheRoot(process.env), part), path.join(partial, part));
  const { built, finish } = gate();
  let stack: RunningStack | undefined;
  try {
    stack = await startStack({
      dir: path.join(project, 'd', '.stack', 'run'),
      env: { ...process.env, MESHKIT_OBS_CACHE_DIR: partial },
      log: () => {},
      builtLater: { alertmanager: built, jaeger: built },
    });
    expect(Object.keys(readState(stack.dir)!.components).sort()).toEqual(['otelcol', 'prometheus']);
    expect((await fetch(`${stack.urls.prometheus}/-/ready`)).ok).toBe(true);
  } finally {
    await stack?.stop();
    finish();
  }
}, 120_000);
