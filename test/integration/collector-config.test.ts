/**
 * The shipped Collector configurations against the real Collector built from
 * otel-collector/manifest.yaml: `validate` accepts them and rejects broken ones, and the gateway
 * topology (agent with load_balancing by trace ID → two gateways → Jaeger) keeps every span of a
 * trace on one gateway.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ATTR, SPANS } from '../../src/schema';
import { ensureStack, type StackBinaries } from '../../src/stack/install';
import { startStack, type RunningStack } from '../../src/stack/stack';
import { jaegerTrace, validateCollector, waitFor } from './helpers/backends';
import { startGatewayTier, type GatewayTier } from './helpers/gateway-tier';
import { hexId, postOtlp, tracesBody } from './helpers/otlp-json';

const CONFIG_DIR = path.join(__dirname, '..', '..', 'otel-collector');
const config = (name: string) => path.join(CONFIG_DIR, name);
const BUILD_TIMEOUT = 30 * 60_000; // a cold build measured 15 min on 2 cores

/** Addresses only; nothing listens on them during `validate`. */
const AGENT_ENV = {
  PROMETHEUS_OTLP_ENDPOINT: 'http://127.0.0.1:9090/api/v1/otlp',
  TRACE_BACKEND_OTLP_ENDPOINT: '127.0.0.1:14317',
};
const LB_AGENT_ENV = {
  PROMETHEUS_OTLP_ENDPOINT: 'http://127.0.0.1:9090/api/v1/otlp',
  GATEWAY_OTLP_ENDPOINTS: '[127.0.0.1:14417, 127.0.0.1:14427]',
};
const GATEWAY_ENV = { TRACE_BACKEND_OTLP_ENDPOINT: '127.0.0.1:14317', GATEWAY_ID: 'gateway-1' };

let binaries: StackBinaries;
let work: string;

beforeAll(async () => {
  binaries = await ensureStack();
  work = mkdtempSync(path.join(tmpdir(), 'meshkit-collector-'));
}, BUILD_TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('otelcol validate', () => {
  test.each([
    ['config.yaml', AGENT_ENV],
    ['agent-loadbalancing.yaml', LB_AGENT_ENV],
    ['gateway.yaml', GATEWAY_ENV],
  ])('accepts %s with its environment', (file, env) => {
    const result = validateCollector(binaries.otelcol, [config(file)], env);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  test('config.yaml without a trace backend is refused', () => {
    const result = validateCollector(binaries.otelcol, [config('config.yaml')], { PROMETHEUS_OTLP_ENDPOINT: AGENT_ENV.PROMETHEUS_OTLP_ENDPOINT, TRACE_BACKEND_OTLP_ENDPOINT: '' });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('otlp_grpc/traces');
  });

  test('a pipeline naming an undefined processor is refused', () => {
    const broken = path.join(work, 'broken.yaml');
    writeFileSync(
      broken,
      [
        'receivers: { otlp: { protocols: { http: { endpoint: "127.0.0.1:4318" } } } }',
        'exporters: { debug: {} }',
        'service: { pipelines: { traces: { receivers: [otlp], processors: [batch], exporters: [debug] } } }',
      ].join('\n'),
    );
    const result = validateCollector(binaries.otelcol, [broken], {});
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/processor "batch"/);
  });

  test('an unknown field is refused', () => {
    const broken = path.join(work, 'typo.yaml');
    writeFileSync(
      broken,
      [
        'receivers: { otlp: { protocols: { http: { endpoint: "127.0.0.1:4318" } } } }',
        'processors: { batch: { timeuot: 1s } }',
        'exporters: { debug: {} }',
        'service: { pipelines: { traces: { receivers: [otlp], processors: [batch], exporters: [debug] } } }',
      ].join('\n'),
    );
    const result = validateCollector(binaries.otelcol, [broken], {});
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('timeuot');
  });
});

describe('gateway topology: agent → load_balancing by trace ID → two gateways → Jaeger', () => {
  const TRACES = 16;
  const GATEWAYS = ['gateway-a', 'gateway-b'];
  let stack: RunningStack;
  let tier: GatewayTier | undefined;

  afterAll(async () => {
    await tier?.stop();
    await stack?.stop();
  });

  test(
    'every span of a trace lands on the same gateway, and both gateways get traces',
    async () => {
      // Jaeger (and Prometheus for the agent's metrics pipeline) from the stack harness.
      stack = await startStack({ dir: path.join(work, 'stack'), log: () => {} });
      // Every trace kept, so that routing alone decides where its spans are.
      tier = await startGatewayTier({ otelcol: binaries.otelcol, stack, work, gateways: GATEWAYS, gatewayEnv: { TAIL_SAMPLING_HEALTHY_PERCENT: '100' } });

      // One trace per plan: plan → move → drain. Each span goes in its own request, and the
      // rounds are further apart than the agent's batch timeout, so the spans of one trace
      // reach the load_balancing exporter in different batches.
      const resource = { 'service.name': 'meshkit-rebalancer', [ATTR.namespace]: 'orders', [ATTR.cluster]: 'eu-1' };
      const traces = Array.from({ length: TRACES }, (_, i) => ({ traceId: hexId(16), planId: `plan-${i}`, plan: hexId(8), move: hexId(8), drain: hexId(8) }));
      for (const round of ['plan', 'move', 'drain'] as const) {
        await Promise.all(
          traces.map((t) =>
            postOtlp(
              tier!.agentHttp,
              'traces',
              tracesBody(resource, {
                traceId: t.traceId,
                spanId: t[round],
                parentSpanId: round === 'plan' ? undefined : round === 'move' ? t.plan : t.move,
                name: SPANS[round],
                attributes: { [ATTR.planId]: t.planId },
              }),
            ),
          ),
        );
        await sleep(1_500);
      }

      const gatewayOf = new Map<string, Set<string>>();
      for (const t of traces) {
        const spans = await waitFor(`trace ${t.planId} in Jaeger`, async () => {
          const found = await jaegerTrace(stack.urls.trace_query, t.traceId);
          return found.length >= 3 ? found : undefined;
        });
        expect(spans).toHaveLength(3);
        gatewayOf.set(t.planId, new Set(spans.map((s) => s.resource['meshkit.collector.gateway'])));
      }
      for (const [planId, gateways] of gatewayOf) {
        expect({ planId, gateways: [...gateways] }).toEqual({ planId, gateways: [expect.stringMatching(/^gateway-[ab]$/)] });
      }
      // With 16 traces hashed onto two gateways, one gateway getting none has probability 2^-15.
      const used = new Set([...gatewayOf.values()].flatMap((g) => [...g]));
      expect([...used].sort()).toEqual(GATEWAYS);
    },
    120_000,
  );
});
