/**
 * #11: arguments were read twice (validated, then read again to record), so a getter that changed
 * its answer put an unvalidated 1 MiB trigger on a span. Each field is now read exactly once.
 */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR, createRebalanceTelemetry } from '../../../../src';

describe('arguments read once', () => {
  it('records the value it validated, whatever a getter answers the second time', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', tracerProvider });
    const reads: Record<string, number> = {};
    const fickle = (field: string, first: unknown, later: unknown) => ({
      enumerable: true,
      get: () => ((reads[field] = (reads[field] ?? 0) + 1) === 1 ? first : later),
    });
    const huge = 'x'.repeat(1 << 20);
    const args = Object.defineProperties({}, {
      planId: fickle('planId', 'p-1', huge),
      trigger: fickle('trigger', 'manual', huge),
      movesPlanned: fickle('movesPlanned', 1, -5),
      dryRun: fickle('dryRun', true, huge),
    });
    t.planCreated(args as never);
    expect(reads).toEqual({ planId: 1, trigger: 1, movesPlanned: 1, dryRun: 1 });
    await tracerProvider.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) {
      for (const value of Object.values(span.attributes)) expect(String(value).length).toBeLessThanOrEqual(128);
    }
    expect(spans[0].attributes).toMatchObject({ [ATTR.trigger]: 'manual' });
    await t.shutdown();
  });
});
