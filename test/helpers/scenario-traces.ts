import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { buildWorld } from '../../src/simulator/runner';
import { findScenario } from '../../src/simulator/scenarios';
import { MINUTE } from '../../src/simulator/clock';
import { SERVICE_NAME } from '../../src/schema/spans';

/**
 * Runs a scenario's world on its virtual clock from `startMs` to `endMs` with a recording tracer
 * that sends every span over OTLP to `otlpHttp` (a Collector) and keeps a copy in memory: the
 * copy is what the trace backend must show. Flushes every 5 virtual minutes so no queue overflows.
 */
export async function pushScenarioTraces(options: { scenario: string; seed?: string; startMs: number; endMs: number; otlpHttp: string }): Promise<ReadableSpan[]> {
  const scenario = findScenario(options.scenario);
  if (!scenario) throw new Error(`unknown scenario ${options.scenario}`);
  const memory = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    spanProcessors: [
      new SimpleSpanProcessor(memory),
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpHttp}/v1/traces` }), { maxQueueSize: 100_000, maxExportBatchSize: 1000 }),
    ],
  });
  const world = buildWorld(scenario, options.seed ?? '1', options.startMs, () => ({ tracerProvider }));
  for (let t = options.startMs; t < options.endMs; ) {
    t = Math.min(options.endMs, t + 5 * MINUTE);
    world.runUntil(t);
    await tracerProvider.forceFlush();
  }
  const spans = memory.getFinishedSpans().slice();
  await tracerProvider.shutdown();
  return spans;
}
