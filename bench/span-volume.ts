// Spans a controller exports per scenario, by span name, with a recording tracer: how much the
// in-flight markers (move start, rate-limited drain progress) add. Deterministic (seeded scenarios on
// a virtual clock); prints JSON. Run by bench/run.mjs through tsx.
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { buildWorld } from '../src/simulator/runner';
import { findScenario } from '../src/simulator/scenarios';
import { DEFAULT_HISTORY_START, HOUR } from '../src/simulator/clock';
import { SPANS } from '../src/schema/spans';

class Counting implements SpanProcessor {
  readonly byName = new Map<string, number>();
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.byName.set(span.name, (this.byName.get(span.name) ?? 0) + 1);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

const out: Record<string, unknown> = {};
for (const name of ['healthy-rebalance', 'stuck-plan', 'hyperscale']) {
  const scenario = findScenario(name)!;
  const counting = new Counting();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [counting] });
  const world = buildWorld(scenario, '1', DEFAULT_HISTORY_START, () => ({ tracerProvider }));
  world.runUntil(DEFAULT_HISTORY_START + scenario.hours * HOUR);
  const spans = Object.fromEntries([...counting.byName].sort());
  const total = [...counting.byName.values()].reduce((a, b) => a + b, 0);
  const markers = (counting.byName.get(SPANS.moveStarted) ?? 0) + (counting.byName.get(SPANS.moveProgress) ?? 0);
  out[name] = { hours: scenario.hours, spans, total, markers, before: total - markers, ratio: total / Math.max(1, total - markers) };
}
process.stdout.write(JSON.stringify(out));
