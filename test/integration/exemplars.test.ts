/**
 * Exemplars on the real stack: the stuck-plan scenario runs live (at 300× real time) through the
 * Collector, whose spanmetrics connector derives the span duration histogram with exemplars;
 * Prometheus stores them. `query_exemplars` for the slowest non-empty bucket of the move spans
 * returns trace ids, and each resolves in Jaeger to a move of that bucket: the scenario's stuck
 * moves, draining from the wedged node until the controller gave up on the plan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ATTR, SPAN_LABELS, SPAN_METRICS, SPANS } from '../../src/schema';
import { MINUTE } from '../../src/simulator/clock';
import { runLive } from '../../src/simulator/runner';
import { findScenario } from '../../src/simulator/scenarios';
import { ensureStack } from '../../src/stack/install';
import { startStack, type RunningStack } from '../../src/stack/stack';
import { jaegerTrace, promExemplars, promQuery, waitFor } from './helpers/backends';

const SPEED = 300;
/** Past the stall timeout (45 min after node-04 wedges at 40 min), so the stuck moves have ended. */
const VIRTUAL = 95 * MINUTE;
const WEDGED_NODE = 'node-04';
const NAMESPACE = 'orders';

let project: string;
let stack: RunningStack;

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'meshkit-exemplars-'));
  await ensureStack({ projectDir: project, log: () => {} });
  // One exemplar per span, so that which spans of a busy flush interval got one is not left to chance.
  stack = await startStack({ dir: path.join(project, '.stack', 'run'), env: { ...process.env, SPANMETRICS_EXEMPLARS_PER_POINT: '100000' }, log: () => {} });
}, 30 * 60_000);

afterAll(async () => {
  await stack?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the slowest bucket of stuck-plan has exemplars, each the trace of a stuck move', async () => {
  const startedS = Date.now() / 1000;
  await runLive({
    scenario: findScenario('stuck-plan')!,
    seed: '1',
    speed: SPEED,
    durationMs: VIRTUAL,
    exporters: () => ({ otlp: { endpoint: stack.urls.otlp_http, metricExportIntervalMillis: 2_000 } }),
  });

  // Cumulative move-span counts per bucket bound, every series of the namespace summed.
  const moves = `${SPAN_METRICS.duration.name}_bucket{${SPAN_LABELS.spanName.name}="${SPANS.move}", namespace="${NAMESPACE}"}`;
  const buckets = await waitFor(
    'the move spans in Prometheus',
    async () => {
      const result = await promQuery(stack.urls.prometheus, `sum by (le) (${moves})`);
      const byLe = result.map((s) => [Number(s.metric.le), Number(s.value[1])] as const).sort((a, b) => a[0] - b[0]);
      // The stuck moves end last (at the stall timeout); wait until some span is slower than 30 min.
      return byLe.some(([le, n]) => le <= 1800 && n < byLe.at(-1)![1]) ? byLe : undefined;
    },
    120_000,
  );
  const total = buckets.at(-1)![1];
  const slowest = buckets.findIndex(([, n]) => n === total);
  const [upper] = buckets[slowest]!;
  const [lower] = buckets[slowest - 1]!;
  process.stdout.write(`[exemplars] ${total} move spans; slowest bucket (${lower} s, ${upper} s]: ${total - buckets[slowest - 1]![1]} spans\n`);

  const le = buckets.length - 1 === slowest ? '+Inf' : String(upper);
  const exemplars = await waitFor(
    'exemplars of the slowest bucket',
    async () => {
      const found = await promExemplars(stack.urls.prometheus, `${moves.slice(0, -1)}, le="${le}"}`, startedS - 60, Date.now() / 1000 + 60);
      return found.length > 0 ? found : undefined;
    },
    60_000,
  );
  process.stdout.write(`[exemplars] query_exemplars for le="${le}": ${exemplars.length} exemplars, trace ids ${[...new Set(exemplars.map((e) => e.traceId))].join(', ')}\n`);

  for (const exemplar of exemplars) {
    expect(exemplar.value).toBeGreaterThan(lower);
    expect(exemplar.value).toBeLessThanOrEqual(upper);
    const spans = await waitFor(`trace ${exemplar.traceId} in Jaeger`, async () => {
      const found = await jaegerTrace(stack.urls.trace_query, exemplar.traceId);
      return found.some((s) => s.spanId === exemplar.spanId) ? found : undefined;
    });
    const move = spans.find((s) => s.spanId === exemplar.spanId)!;
    expect(move.name).toBe(SPANS.move);
    expect(move.attributes[ATTR.fromNode]).toBe(WEDGED_NODE);
    expect(move.durationSeconds).toBeCloseTo(exemplar.value, 3);
    // The controller ended it with the plan: a failed (aborted) move, so an error span.
    expect(move.statusCode).toBe(2);
    expect(spans.some((s) => s.name === SPANS.plan && s.attributes[ATTR.planOutcome] === 'failed')).toBe(true);
  }
}, 10 * 60_000);
