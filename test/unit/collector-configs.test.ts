/**
 * The shipped Collector configs spell a few schema names Prometheus and the trace backend will see:
 * the spanmetrics connector's namespace and buckets (→ SPAN_METRICS) and the tail sampler's span
 * name. They are held to the schema here, so a rename there fails here instead of in production.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ATTR, SPAN_BUCKETS, SPAN_METRICS, SPAN_METRICS_NAMESPACE, SPANS } from '../../src/schema';
import { PLAN_OUTCOMES } from '../../src/schema/enums';

const DIR = path.join(__dirname, '..', '..', 'otel-collector');
type Config = {
  connectors?: Record<string, Record<string, unknown>>;
  processors?: Record<string, Record<string, unknown>>;
  service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
};
const load = (name: string) => parse(readFileSync(path.join(DIR, name), 'utf8')) as Config;

/** Go's time.ParseDuration for the units the configs use, in seconds. */
function seconds(duration: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** Prometheus's OTLP translation (UnderscoreEscapingWithSuffixes) of the connector's two metrics. */
const prometheusName = (otelName: string, suffix: string) => `${otelName.replace(/\./g, '_')}${suffix}`;

describe.each(['config.yaml', 'agent-loadbalancing.yaml'])('%s: span metrics with exemplars', (file) => {
  const config = load(file);
  const spanmetrics = config.connectors?.span_metrics as {
    namespace: string;
    histogram: { unit: string; explicit: { buckets: string[] } };
    exemplars: { enabled: boolean };
  };

  it('names the metrics of SPAN_METRICS', () => {
    expect(spanmetrics.namespace).toBe(SPAN_METRICS_NAMESPACE);
    expect(spanmetrics.histogram.unit).toBe('s');
    expect(prometheusName(`${spanmetrics.namespace}.duration`, '_seconds')).toBe(SPAN_METRICS.duration.name);
    expect(prometheusName(`${spanmetrics.namespace}.calls`, '_total')).toBe(SPAN_METRICS.calls.name);
  });

  it('has the schema buckets and exemplars on', () => {
    expect(spanmetrics.histogram.explicit.buckets.map(seconds)).toEqual(SPAN_BUCKETS);
    expect(spanmetrics.exemplars.enabled).toBe(true);
  });

  it('feeds on every span and exports to Prometheus', () => {
    const { traces, metrics } = config.service.pipelines;
    expect(traces!.exporters).toContain('span_metrics');
    expect(metrics!.receivers).toContain('span_metrics');
  });
});

test('the agent and the load-balancing agent derive the same span metrics', () => {
  expect(load('agent-loadbalancing.yaml').connectors).toEqual(load('config.yaml').connectors);
});

describe('gateway.yaml: tail sampling', () => {
  const config = load('gateway.yaml');
  const sampler = config.processors?.tail_sampling as {
    policies: { name: string; type: string; [key: string]: unknown }[];
  };

  it('runs after the memory limiter, before anything else', () => {
    expect(config.service.pipelines.traces!.processors!.slice(0, 2)).toEqual(['memory_limiter', 'tail_sampling']);
  });

  it('keeps failures, unsuccessful plans, slow moves of the schema span name, and a share of the rest', () => {
    const byName = new Map(sampler.policies.map((p) => [p.name, p]));
    expect(byName.get('failed')).toMatchObject({ type: 'status_code', status_code: { status_codes: ['ERROR'] } });
    const slow = byName.get('slow-move') as unknown as { type: string; ottl_condition: { span: string[] } };
    expect(slow.type).toBe('ottl_condition');
    expect(slow.ottl_condition.span.join('\n')).toContain(`name == "${SPANS.move}"`);
    expect(byName.get('healthy')).toMatchObject({ type: 'probabilistic' });
    const unsuccessful = byName.get('unsuccessful-plan') as unknown as { string_attribute: { key: string; values: string[] } };
    expect(unsuccessful.string_attribute.key).toBe(ATTR.planOutcome);
    expect(unsuccessful.string_attribute.values.filter((v) => !(PLAN_OUTCOMES as readonly string[]).includes(v))).toEqual([]);
  });
});

test('manifest: every component at one release, the tail sampler among them', () => {
  const manifest = readFileSync(path.join(DIR, 'manifest.yaml'), 'utf8');
  const versions = new Set([...manifest.matchAll(/- gomod: \S+ (v\S+)/g)].map((m) => m[1]));
  expect([...versions]).toEqual(['v0.161.0']);
  expect(manifest).toContain('processor/tailsamplingprocessor v0.161.0');
});
