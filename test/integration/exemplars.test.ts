/**
 * Exemplars on the real stack: the stuck-plan scenario runs live (at 300× real time) through the
 * Collector, whose spanmetrics connector derives the span duration histogram with exemplars;
 * Prometheus stores them. `query_exemplars` for the slowest non-empty bucket of the move spans
 * returns trace ids, and each resolves in Jaeger to a move of that bucket: the scenario's stuck
 * moves, draining from the wedged node until the controller gave up on the plan.
 *
 * Every wait is on what the test itself sent (a copy of each ended span is kept): Prometheus holds
 * the exemplars once its move-span count equals the move spans sent, since a histogram point's
 * exemplars arrive in the same write as its counts; a trace is read once Jaeger has all its spans.
 */
import { InMemorySpanExporter, SimpleSpanProcessor, type BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ATTR, SPAN_LABELS, SPAN_METRICS, SPANS } from '../../src/schema';
import { MINUTE } from '../../src/simulator/clock';
import { runLive } from '../../src/simulator/runner';
import { findScenario } from '../../src/simulator/scenarios';
import { jaegerTrace, promExemplars, promQuery, waitFor } from './helpers/backends';
import { stackPerFile } from './helpers/stack-per-file';
import { otlpTracerProvider } from './helpers/tracer';

const SPEED = 300;
/** Past the stall timeout (45 min after node-04 wedges at 40 min), so the stuck moves have ended. */
const VIRTUAL = 95 * MINUTE;
const WEDGED_NODE = 'node-04';

const local = stackPerFile('exemplars');

test('the slowest bucket of stuck-plan has exemplars, each the trace of a stuck move', async () => {
  const { stack } = local;
  const startedS = Date.now() / 1000;
  const providers: BasicTracerProvider[] = [];
  const sent = new InMemorySpanExporter();
  await runLive({
    scenario: findScenario('stuck-plan')!,
    seed: '1',
    speed: SPEED,
    durationMs: VIRTUAL,
    // Spans only: at 300× the SDK's metrics carry timestamps up to 95 min ahead, and the proof needs none of them.
    exporters: (i) => {
      providers.push(otlpTracerProvider(stack.urls.otlp_http, `stuck-plan-${i}`, [new SimpleSpanProcessor(sent)]));
      return { tracerProvider: providers.at(-1)! };
    },
  });
  await Promise.all(providers.map((p) => p.forceFlush()));
  const spansSent = sent.getFinishedSpans();
  const moveSpans = spansSent.filter((s) => s.name === SPANS.move).length;

  // Cumulative move-span counts per bucket bound, every series of the run summed: complete once the
  // +Inf bucket counts every move span sent, and with them every exemplar of the run is stored.
  const moves = `${SPAN_METRICS.duration.name}_bucket{${SPAN_LABELS.spanName.name}="${SPANS.move}", instance=~"stuck-plan-.*"}`;
  const waitedFrom = Date.now();
  const buckets = await waitFor(
    `all ${moveSpans} move spans counted in Prometheus`,
    async () => {
      const result = await promQuery(stack.urls.prometheus, `sum by (le) (${moves})`);
      const byLe = result.map((s) => [Number(s.metric.le), Number(s.value[1])] as const).sort((a, b) => a[0] - b[0]);
      return byLe.at(-1)?.[1] === moveSpans ? byLe : undefined;
    },
    180_000,
  );
  process.stdout.write(`[exemplars] ${moveSpans} move spans counted in Prometheus ${((Date.now() - waitedFrom) / 1000).toFixed(1)} s after the last flush\n`);
  const total = buckets.at(-1)![1];
  const slowest = buckets.findIndex(([, n]) => n === total);
  const [upper] = buckets[slowest]!;
  const [lower] = buckets[slowest - 1]!;

  const inBucket = total - buckets[slowest - 1]![1];
  const le = buckets.length - 1 === slowest ? '+Inf' : String(upper);
  const exemplars = await promExemplars(stack.urls.prometheus, `${moves.slice(0, -1)}, le="${le}"}`, startedS - 60, Date.now() / 1000 + 60);
  process.stdout.write(`[exemplars] query_exemplars for le="${le}": ${exemplars.length} exemplars, trace ids ${[...new Set(exemplars.map((e) => e.traceId))].join(', ')}\n`);

  // Prometheus v0.316's OTLP translation files a data point's exemplars into buckets as if they came
  // sorted by value; the connector sends them in span order, so an exemplar queued behind a slower
  // one of the same flush lands in a higher bucket than its own (never a lower one). The bucket's own
  // exemplars are those whose value is in it; the others are counted and must still be real moves.
  const own = exemplars.filter((e) => e.value > lower && e.value <= upper);
  process.stdout.write(`[exemplars] ${total} move spans; slowest bucket (${lower} s, ${upper} s]: ${inBucket} spans\n`);
  // The connector stamps a flush's exemplars with one time. Prometheus appends same-time exemplars of
  // a series sorted by value, then labels, but accepts equal ones only in label-hash order: of stuck
  // moves aborted together (the same duration) it keeps some.
  process.stdout.write(`[exemplars] ${own.length} of the bucket's ${inBucket} spans have an exemplar stored; ${exemplars.length - own.length} filed there from lower buckets\n`);
  expect(own.length).toBeGreaterThan(0);
  for (const exemplar of exemplars) {
    expect(exemplar.value).toBeLessThanOrEqual(upper);
    // The whole trace, not only the exemplar's span: the plan span may come in a later batch.
    const ended = spansSent.filter((s) => s.spanContext().traceId === exemplar.traceId).length;
    const spans = await waitFor(`all ${ended} spans of trace ${exemplar.traceId} in Jaeger`, async () => {
      const found = await jaegerTrace(stack.urls.trace_query, exemplar.traceId);
      return found.length >= ended && found.some((s) => s.spanId === exemplar.spanId) ? found : undefined;
    }, 120_000);
    const move = spans.find((s) => s.spanId === exemplar.spanId)!;
    expect(move.name).toBe(SPANS.move);
    expect(move.durationSeconds).toBeCloseTo(exemplar.value, 3);
    if (!own.includes(exemplar)) continue;
    // A move of the slowest bucket: one draining from the wedged node, ended by the controller with
    // the plan (aborted, so an error span), in a failed plan.
    expect(move.attributes[ATTR.fromNode]).toBe(WEDGED_NODE);
    expect(move.statusCode).toBe(2);
    expect(spans.some((s) => s.name === SPANS.plan && s.attributes[ATTR.planOutcome] === 'failed')).toBe(true);
  }
}, 10 * 60_000);
