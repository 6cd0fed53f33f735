/**
 * A stack started while its trace backend still builds (what the demo does on a fresh machine): the
 * metrics path works at once, spans sent before Jaeger exists wait in the Collector and arrive once
 * it starts, and a stack stopped before the build ends starts no Jaeger and does not wait for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRebalanceTelemetry } from '../../src';
import { SPANS } from '../../src/schema';
import { ensureStack } from '../../src/stack/install';
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
    stack = await startStack({ dir: path.join(project, 'a', '.stack', 'run'), log: (line) => lines.push(line), traceBackendBuilt: built });
    const state = readState(stack.dir)!;
    expect(Object.keys(state.components).sort()).toEqual(['alertmanager', 'otelcol', 'prometheus']);
    expect(lines).toContain('[stack] jaeger starts when its build is done; the Collector keeps the spans until then');

    const t = createRebalanceTelemetry({ namespace: 'late', cluster: 'late-1', controllerId: 'ctrl', otlp: { endpoint: stack.urls.otlp_http } });
    runHealthyPlan(t, 'plan-before-jaeger', 3);
    await t.forceFlush();
    // The Collector has the spans and nothing listens on the trace backend's port yet.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await expect(fetch(`${stack.urls.trace_query}/api/services`)).rejects.toThrow();

    finish();
    await stack.traceBackend;
    expect(Object.keys(readState(stack.dir)!.components).sort()).toEqual(['alertmanager', 'jaeger', 'otelcol', 'prometheus']);
    const spans = await waitFor('the early plan in Jaeger', async () => fetchPlanTrace(stack!.urls.trace_query, 'plan-before-jaeger', 1).catch(() => undefined), 60_000);
    expect(spans.filter((s) => s.name === SPANS.move)).toHaveLength(3);
    await t.shutdown();
  } finally {
    finish();
    await stack?.stop();
  }
}, 120_000);

test('a stack stopped while the trace backend builds starts no Jaeger and does not wait for the build', async () => {
  const { built, finish } = gate();
  const stack = await startStack({ dir: path.join(project, 'b', '.stack', 'run'), log: () => {}, traceBackendBuilt: built });
  const stopped = stack.stop();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise((resolve) => (timer = setTimeout(() => resolve('hung'), 30_000)));
  await expect(Promise.race([stopped.then(() => 'stopped'), hung])).resolves.toBe('stopped');
  clearTimeout(timer);
  finish();
  await expect(stack.traceBackend).rejects.toThrow('stopped before the trace backend started');
  expect(readState(stack.dir)).toBeUndefined();
}, 90_000);
