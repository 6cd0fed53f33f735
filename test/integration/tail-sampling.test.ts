/**
 * Tail sampling on the real gateway tier: the hyperscale scenario runs live (4 namespaces, a plan
 * every ~9 virtual seconds, one node per namespace unhealthy for 15 minutes) through an agent that load-balances by trace id onto two gateways, each
 * running otel-collector/gateway.yaml's tail sampler, into Jaeger. The controllers' spans are
 * counted per trace as they end; afterwards every trace in Jaeger is compared with that count.
 * Proven: every plan is stored whole or not at all; every plan with a failed span or a slow move is
 * stored, complete; healthy plans are kept at about the configured rate. Prints spans in vs stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode } from '@opentelemetry/api';
import type { BasicTracerProvider, ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR, SPANS } from '../../src/schema';
import type { PlanOutcome } from '../../src/schema/enums';
import { MINUTE } from '../../src/simulator/clock';
import { runLive } from '../../src/simulator/runner';
import { findScenario, type Scenario } from '../../src/simulator/scenarios';
import { ensureStack, type StackBinaries } from '../../src/stack/install';
import { startStack, type RunningStack } from '../../src/stack/stack';
import { jaegerTrace } from './helpers/backends';
import { startGatewayTier, type GatewayTier } from './helpers/gateway-tier';
import { otlpTracerProvider } from './helpers/tracer';

const SPEED = 60;
const VIRTUAL = 40 * MINUTE;
const HEALTHY_PERCENT = 10;
/** Virtual time: the spans carry the simulator's clock. */
const SLOW_MOVE_S = 240;
const AFTER_PLAN_END_S = 3;
const GATEWAYS = ['gateway-a', 'gateway-b'];
const UNSUCCESSFUL: readonly string[] = ['failed', 'rolled_back', 'orphaned'] satisfies PlanOutcome[];

/** What the controllers sent, per trace: counted as each span ends, before any export. */
class TraceLedger implements SpanProcessor {
  readonly spans = new Map<string, number>();
  readonly planEnded = new Set<string>();
  /** Traces with an error span, or whose plan failed, was rolled back or orphaned. */
  readonly failing = new Set<string>();
  readonly slow = new Set<string>();

  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    this.spans.set(traceId, (this.spans.get(traceId) ?? 0) + 1);
    if (span.name === SPANS.plan) this.planEnded.add(traceId);
    if (span.status.code === SpanStatusCode.ERROR) this.failing.add(traceId);
    if (span.name === SPANS.plan && UNSUCCESSFUL.includes(String(span.attributes[ATTR.planOutcome]))) this.failing.add(traceId);
    const seconds = span.duration[0] + span.duration[1] / 1e9;
    if (span.name === SPANS.move && seconds >= SLOW_MOVE_S) this.slow.add(traceId);
  }
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

/**
 * hyperscale, with one node per namespace unhealthy from minute 10 to 25, so that moves to it fail
 * (its own failure rate, one move in 10,000, leaves a 40-minute run without a failed plan).
 */
function withUnhealthyNodes(scenario: Scenario): Scenario {
  return {
    ...scenario,
    build(world) {
      scenario.build(world);
      const nodes = world.domains.map((domain) => domain.nodes[7]!);
      world.at(10 * MINUTE, () => nodes.forEach((node) => (node.healthy = false)));
      world.at(25 * MINUTE, () => nodes.forEach((node) => (node.healthy = true)));
    },
  };
}

let binaries: StackBinaries;
let work: string;
let stack: RunningStack;
let tier: GatewayTier | undefined;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'meshkit-tail-'));
  binaries = await ensureStack({ projectDir: work, log: () => {} });
  stack = await startStack({ dir: path.join(work, 'stack'), log: () => {} });
}, 30 * 60_000);

afterAll(async () => {
  await tier?.stop();
  await stack?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('hyperscale through two tail-sampling gateways: failing and slow plans whole, healthy ones sampled', async () => {
  tier = await startGatewayTier({
    otelcol: binaries.otelcol,
    stack,
    work,
    gateways: GATEWAYS,
    gatewayEnv: {
      TAIL_SAMPLING_HEALTHY_PERCENT: String(HEALTHY_PERCENT),
      TAIL_SAMPLING_SLOW_MOVE: `${SLOW_MOVE_S}s`,
      TAIL_SAMPLING_AFTER_PLAN_END: `${AFTER_PLAN_END_S}s`,
      // Longer than any plan of this run lasts in real time; the plans still live at the end are
      // decided when the gateways stop.
      TAIL_SAMPLING_DECISION_WAIT: '5m',
    },
  });

  const ledger = new TraceLedger();
  const providers: BasicTracerProvider[] = [];
  await runLive({
    scenario: withUnhealthyNodes(findScenario('hyperscale')!),
    seed: '1',
    speed: SPEED,
    durationMs: VIRTUAL,
    exporters: (i) => {
      const provider = otlpTracerProvider(tier!.agentHttp, `hyperscale-${i}`, [ledger]);
      providers.push(provider);
      return { tracerProvider: provider };
    },
  });
  await Promise.all(providers.map((p) => p.forceFlush()));
  // Decisions fall AFTER_PLAN_END after each plan span; give the last ones time, then stop the tier:
  // a gateway that stops decides the plans it still holds (the live ones) on what they sent.
  await sleep((AFTER_PLAN_END_S + 8) * 1000);
  await tier.stop();
  tier = undefined;

  const stored = new Map<string, number>();
  for (const traceId of ledger.spans.keys()) stored.set(traceId, (await jaegerTrace(stack.urls.trace_query, traceId)).length);

  const spansIn = [...ledger.spans.values()].reduce((a, b) => a + b, 0);
  const spansStored = [...stored.values()].reduce((a, b) => a + b, 0);
  const ended = [...ledger.planEnded];
  const mustKeep = ended.filter((t) => ledger.failing.has(t) || ledger.slow.has(t));
  const healthy = ended.filter((t) => !ledger.failing.has(t) && !ledger.slow.has(t));
  const healthyKept = healthy.filter((t) => stored.get(t)! > 0);
  const tracesKept = [...stored.values()].filter((n) => n > 0).length;
  process.stdout.write(
    [
      `[tail-sampling] ${ledger.spans.size} traces (${ended.length} plans ended, ${ledger.spans.size - ended.length} still live at the end), ${spansIn} spans in`,
      `[tail-sampling] ${spansStored} spans stored (${((100 * spansStored) / spansIn).toFixed(1)} %), ${tracesKept} traces kept (${((100 * tracesKept) / ledger.spans.size).toFixed(1)} %)`,
      `[tail-sampling] ended plans with a failure: ${ended.filter((t) => ledger.failing.has(t)).length}, with a move ≥ ${SLOW_MOVE_S} s: ${ended.filter((t) => ledger.slow.has(t)).length}; complete in Jaeger: ${mustKeep.filter((t) => stored.get(t) === ledger.spans.get(t)).length}/${mustKeep.length}`,
      `[tail-sampling] healthy plans kept: ${healthyKept.length}/${healthy.length} (${((100 * healthyKept.length) / healthy.length).toFixed(1)} %, configured ${HEALTHY_PERCENT} %)`,
    ].join('\n') + '\n',
  );

  // Whole or nothing, for every trace (the live ones too: decided at stop on everything they sent).
  const partial = [...ledger.spans].filter(([t, n]) => stored.get(t) !== 0 && stored.get(t) !== n);
  expect(partial).toEqual([]);
  // Every plan with a failure or a slow move is kept, complete.
  expect(ended.filter((t) => ledger.failing.has(t)).length).toBeGreaterThan(0);
  expect(ended.filter((t) => ledger.slow.has(t)).length).toBeGreaterThan(0);
  expect(mustKeep.filter((t) => stored.get(t) !== ledger.spans.get(t))).toEqual([]);
  // Healthy plans at about the configured rate (a binomial draw over a few hundred plans).
  expect(healthy.length).toBeGreaterThan(100);
  expect(healthyKept.length / healthy.length).toBeGreaterThan(HEALTHY_PERCENT / 100 / 3);
  expect(healthyKept.length / healthy.length).toBeLessThan((HEALTHY_PERCENT / 100) * 2.5);
  expect(spansStored).toBeLessThan(spansIn);
}, 15 * 60_000);
