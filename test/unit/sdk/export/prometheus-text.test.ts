/**
 * The SDK's own Prometheus serialiser against @opentelemetry/exporter-prometheus's, the exporter
 * path the SDK used before: byte for byte on random metric data (escapes, odd values, every point
 * type), on random SDK states, and over HTTP; and the output passes `promtool check metrics`.
 */
import { spawnSync } from 'node:child_process';
import { ValueType, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { createRebalanceTelemetry, type RebalanceTelemetryHandle } from '../../../../src';
import { prometheusText } from '../../../../src/sdk/export/prometheus-text';
import { SCOPE } from '../../../../src/sdk/metric-producer';
import { manualClock } from '../../../helpers/collect';
import { runFullLifecycle } from '../../../helpers/lifecycle';
import { stack, STACK_TIMEOUT_MS } from '../../alerting/tools';

const reference = (metrics: MetricData[], resource = resourceFromAttributes({ 'service.name': 'x' }), scope: { name: string; version?: string; schemaUrl?: string } = SCOPE) =>
  new PrometheusSerializer(undefined, false).serialize({ resource, scopeMetrics: [{ scope, metrics }] });
const ours = (metrics: MetricData[], resource = resourceFromAttributes({ 'service.name': 'x' }), scope: { name: string; version?: string; schemaUrl?: string } = SCOPE) =>
  [...prometheusText(resource, scope, metrics)].join('');

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a"b', 'back\\slash', 'new\nline', 'ünï', '', '__x__', '9lives'));
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(
  fc.oneof(fc.constantFrom('plan_id', 'state', 'le_x', 'a.b-c', 'namespace'), fc.string({ minLength: 1, maxLength: 6 })),
  fc.oneof(text, fc.integer(), fc.boolean(), fc.double()),
  { maxKeys: 4 },
);
const value = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Infinity, -Infinity, NaN, 0, -0, 1e21, 5e-324));
const time = [1_700_000_000, 0] as [number, number];
const descriptor = fc.record({
  name: fc.oneof(fc.constantFrom('meshkit_x', 'a.b-c', 'x_total', '1abc', 'plans__done'), fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}$/)),
  description: text,
  unit: fc.constantFrom('', 's', '{plan}', 'By'),
  valueType: fc.constant(ValueType.DOUBLE),
});
const singular = fc.record({
  descriptor,
  kind: fc.constantFrom(DataPointType.GAUGE, DataPointType.SUM),
  isMonotonic: fc.boolean(),
  points: fc.array(fc.record({ attributes, value }), { maxLength: 5 }),
});
const histogram = fc.record({
  descriptor,
  points: fc.array(
    fc.record({
      attributes,
      boundaries: fc.array(fc.double({ noNaN: true }), { maxLength: 4 }).map((b) => [...new Set(b)].sort((x, y) => x - y)),
      counts: fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }),
      sum: fc.option(value, { nil: undefined }),
      withInfinity: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
});

function toMetric(m: fc.Arbitrary<unknown>): fc.Arbitrary<MetricData> {
  return m.map((raw) => {
    const r = raw as { descriptor: MetricData['descriptor']; kind?: DataPointType; isMonotonic?: boolean; points: Record<string, unknown>[] };
    if (r.kind === undefined) {
      return {
        descriptor: r.descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: r.points.map((p) => {
          const boundaries = [...(p.boundaries as number[]), ...(p.withInfinity ? [Infinity] : [])];
          const counts = p.counts as number[];
          return {
            attributes: p.attributes as Attributes,
            startTime: time,
            endTime: time,
            value: { buckets: { boundaries, counts }, sum: p.sum as number, count: counts.reduce((a, b) => a + b, 0) },
          };
        }),
      } as MetricData;
    }
    return {
      descriptor: r.descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: r.kind,
      isMonotonic: r.isMonotonic,
      dataPoints: r.points.map((p) => ({ attributes: p.attributes as Attributes, startTime: time, endTime: time, value: p.value as number })),
    } as MetricData;
  });
}

const metricData = fc.array(fc.oneof(toMetric(singular), toMetric(histogram)), { maxLength: 6 });

describe('Prometheus text serialiser', () => {
  it('writes exactly what the OpenTelemetry Prometheus serializer writes, on random metric data', () => {
    fc.assert(
      fc.property(metricData, fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), text, { maxKeys: 3 }), fc.boolean(), (metrics, resourceAttributes, schema) => {
        const resource = resourceFromAttributes(resourceAttributes);
        const scope = { name: 'scope"x', version: schema ? '1.0\n' : undefined, schemaUrl: schema ? 'https://x/1' : undefined };
        expect(ours(metrics, resource, scope)).toBe(reference(metrics, resource, scope));
      }),
      { numRuns: 400 },
    );
  });

  it('caches label text only for frozen attribute sets, so a mutated set is written as it is now', () => {
    const attrs: Attributes = { plan_id: 'a' };
    const metric = (a: Attributes): MetricData => ({
      descriptor: { name: 'g', description: 'd', unit: '', valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [{ attributes: a, startTime: time, endTime: time, value: 1 }],
    });
    expect(ours([metric(attrs)])).toBe(reference([metric(attrs)]));
    attrs.plan_id = 'b';
    expect(ours([metric(attrs)])).toContain('plan_id="b"');
    const frozen = Object.freeze({ plan_id: 'c' });
    expect(ours([metric(frozen)])).toBe(ours([metric(frozen)]));
  });
});

describe('pull endpoint output', () => {
  let t: RebalanceTelemetryHandle;
  const clock = manualClock();
  afterEach(() => t?.shutdown());

  /** A random number of plans in random live states, plus the full lifecycle helper's metrics. */
  function populate(seed: number, plans: number): void {
    t = createRebalanceTelemetry({ namespace: 'payments', cluster: 'eu-1', controllerId: 'ctl-0', clock: clock.now, prometheus: { port: 0 } });
    runFullLifecycle(t);
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < plans; i++) {
      const planId = `rnd-${seed}-${i}`;
      t.planCreated({ planId, trigger: 'imbalance', movesPlanned: Math.floor(next() * 9) });
      clock.advance(Math.floor(next() * 5000));
      const r = next();
      if (r < 0.2) t.planSubmitted({ planId });
      else if (r < 0.4) t.planBlocked({ planId, policy: 'cooldown' });
      else if (r < 0.9) {
        t.planStarted({ planId });
        if (next() < 0.3) t.planPaused({ planId });
        else if (next() < 0.5) t.moveStarted({ planId, shardId: `s-${i}`, fromNode: 'n1', toNode: 'n2' });
      }
    }
  }

  it.each([1, 2, 3])('serves, series for series and value for value, what the stock serializer makes of the same collection (seed %i)', async (seed) => {
    populate(seed, 3000);
    await t.ready;
    const served = await (await fetch(t.prometheusUrl!)).text();
    // The clock stands still, so the collection made for the scrape and this one see the same state.
    const stock = reference(t.metricProducer.collectMetrics(), (t.metricProducer as unknown as { resource: never }).resource);
    expect(served).toBe(stock);
    expect(served.split('\n').filter((l) => l.includes('plan_id="rnd-')).length).toBeGreaterThan(3000);
  });

  it(
    'passes promtool check metrics',
    async () => {
      const { promtool } = await stack();
      populate(7, 500);
      await t.ready;
      const served = await (await fetch(t.prometheusUrl!)).text();
      const result = spawnSync(promtool, ['check', 'metrics'], { input: served, encoding: 'utf8' });
      // promtool's lint notes (naming advice) go to stdout with exit 3; malformed input exits 1.
      expect(result.status === 0 || result.status === 3).toBe(true);
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/error while linting|parse error|text format parsing error/i);
    },
    STACK_TIMEOUT_MS,
  );
});
