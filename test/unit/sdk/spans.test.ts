import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR, createRebalanceTelemetry, SPANS } from '../../../src';
import { MOVE_PROGRESS_MARKER_INTERVAL_MS } from '../../../src/schema/spans';

function setup() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let now = Date.UTC(2026, 10, 30, 3, 0, 0);
  const clock = () => now;
  const advance = (ms: number) => (now += ms);
  const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', tracerProvider, clock });
  return { exporter, t, advance };
}

const ms = (span: ReadableSpan) => span.startTime[0] * 1000 + span.startTime[1] / 1e6;
const endMs = (span: ReadableSpan) => span.endTime[0] * 1000 + span.endTime[1] / 1e6;

describe('spans', () => {
  it('make one trace per plan: plan → move → drain, handoff, verify in order', () => {
    const { exporter, t, advance } = setup();
    t.planCreated({ planId: 'p1', trigger: 'node_drain', movesPlanned: 1 });
    t.planStarted({ planId: 'p1' });
    t.moveStarted({ planId: 'p1', shardId: 's1', fromNode: 'n1', toNode: 'n2' });
    advance(4000);
    t.moveDrainProgress({ planId: 'p1', shardId: 's1', remaining: 3, ratio: 0.7 });
    advance(6000);
    t.moveHandoff({ planId: 'p1', shardId: 's1' });
    advance(500);
    t.moveVerifying({ planId: 'p1', shardId: 's1' });
    advance(250);
    t.moveCompleted({ planId: 'p1', shardId: 's1' });
    t.planCompleted({ planId: 'p1' });

    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const [plan] = byName(SPANS.plan);
    const [move] = byName(SPANS.move);
    const phases = [byName(SPANS.drain)[0], byName(SPANS.handoff)[0], byName(SPANS.verify)[0]];
    expect(spans).toHaveLength(7);
    const [marker] = byName(SPANS.planCreated);
    expect(marker.parentSpanContext?.spanId).toBe(plan.spanContext().spanId);
    expect(endMs(marker)).toBe(ms(marker));
    expect(marker.attributes[ATTR.planId]).toBe('p1');
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(plan.parentSpanContext).toBeUndefined();
    expect(move.parentSpanContext?.spanId).toBe(plan.spanContext().spanId);
    for (const phase of phases) {
      expect(phase.parentSpanContext?.spanId).toBe(move.spanContext().spanId);
      expect(phase.attributes).toMatchObject({ [ATTR.planId]: 'p1', [ATTR.shardId]: 's1' });
    }
    expect(phases.map((p) => endMs(p) - ms(p))).toEqual([10000, 500, 250]);
    for (let i = 1; i < phases.length; i++) expect(ms(phases[i])).toBeGreaterThanOrEqual(endMs(phases[i - 1]));
    expect(plan.attributes).toMatchObject({ [ATTR.planId]: 'p1', [ATTR.trigger]: 'node_drain', [ATTR.namespace]: 'ns', [ATTR.cluster]: 'c1' });
    expect(move.attributes).toMatchObject({ [ATTR.planId]: 'p1', [ATTR.shardId]: 's1', [ATTR.fromNode]: 'n1', [ATTR.toNode]: 'n2', [ATTR.moveOutcome]: 'completed' });
    expect(phases[0].events.map((e) => e.attributes?.[ATTR.drainRemaining])).toEqual([3]);
  });

  it('mark a failed move and a failed plan with the reason and error status', () => {
    const { exporter, t } = setup();
    t.planCreated({ planId: 'p2', trigger: 'manual', movesPlanned: 2 });
    t.planStarted({ planId: 'p2' });
    t.moveStarted({ planId: 'p2', shardId: 's1', fromNode: 'n1', toNode: 'n2' });
    t.moveFailed({ planId: 'p2', shardId: 's1', reason: 'checksum_mismatch' });
    t.moveStarted({ planId: 'p2', shardId: 's2', fromNode: 'n1', toNode: 'n2' });
    t.planFailed({ planId: 'p2', reason: 'moves_failed' });
    const spans = exporter.getFinishedSpans();
    const failedMove = spans.find((s) => s.name === SPANS.move && s.attributes[ATTR.shardId] === 's1')!;
    const abortedMove = spans.find((s) => s.name === SPANS.move && s.attributes[ATTR.shardId] === 's2')!;
    const plan = spans.find((s) => s.name === SPANS.plan)!;
    expect(failedMove.status.code).toBe(SpanStatusCode.ERROR);
    expect(failedMove.attributes[ATTR.failureReason]).toBe('checksum_mismatch');
    expect(abortedMove.attributes[ATTR.moveOutcome]).toBe('aborted');
    expect(plan.status.code).toBe(SpanStatusCode.ERROR);
    expect(plan.attributes).toMatchObject({ [ATTR.planOutcome]: 'failed', [ATTR.failureReason]: 'moves_failed' });
    expect(spans.every((s) => s.ended)).toBe(true);
  });

  it('cap drain progress events per move', () => {
    const { exporter, t } = setup();
    t.planCreated({ planId: 'p3', trigger: 'manual', movesPlanned: 1 });
    t.planStarted({ planId: 'p3' });
    t.moveStarted({ planId: 'p3', shardId: 's1', fromNode: 'n1', toNode: 'n2' });
    for (let i = 1000; i > 0; i--) t.moveDrainProgress({ planId: 'p3', shardId: 's1', remaining: i, ratio: 1 - i / 1000 });
    t.moveCompleted({ planId: 'p3', shardId: 's1' });
    const drain = exporter.getFinishedSpans().find((s) => s.name === SPANS.drain)!;
    expect(drain.events).toHaveLength(16);
  });

  it('export a move in flight at once: a start marker, then rate-limited progress markers with the remaining count', () => {
    const { exporter, t, advance } = setup();
    t.planCreated({ planId: 'p4', trigger: 'node_drain', movesPlanned: 1 });
    t.planStarted({ planId: 'p4' });
    t.moveStarted({ planId: 'p4', shardId: 's1', fromNode: 'n1', toNode: 'n2' });
    const started = exporter.getFinishedSpans().filter((s) => s.name === SPANS.moveStarted);
    expect(started).toHaveLength(1);
    expect(endMs(started[0])).toBe(ms(started[0]));
    expect(started[0].attributes).toMatchObject({ [ATTR.planId]: 'p4', [ATTR.shardId]: 's1', [ATTR.fromNode]: 'n1', [ATTR.toNode]: 'n2' });
    // A report every second for four intervals: one marker per interval, none before the first has passed.
    const seconds = (4 * MOVE_PROGRESS_MARKER_INTERVAL_MS) / 1000;
    for (let i = 1; i <= seconds; i++) {
      advance(1000);
      t.moveDrainProgress({ planId: 'p4', shardId: 's1', remaining: 1000 - i, ratio: i / 1000 });
    }
    const progress = exporter.getFinishedSpans().filter((s) => s.name === SPANS.moveProgress);
    expect(progress).toHaveLength(4);
    expect(progress.map((s) => s.attributes[ATTR.drainRemaining])).toEqual([1, 2, 3, 4].map((k) => 1000 - (k * MOVE_PROGRESS_MARKER_INTERVAL_MS) / 1000));
    expect(progress.every((s) => endMs(s) === ms(s) && s.attributes[ATTR.shardId] === 's1')).toBe(true);
    // A drain that stopped shrinking sends no more markers: the last one says when it last moved.
    for (let i = 1; i <= seconds; i++) {
      advance(1000);
      t.moveDrainProgress({ planId: 'p4', shardId: 's1', remaining: 1000 - seconds, ratio: 0.5 });
    }
    expect(exporter.getFinishedSpans().filter((s) => s.name === SPANS.moveProgress)).toHaveLength(4);
    // Both markers are children of the move span, which is still open.
    const parents = new Set([...started, ...progress].map((s) => s.parentSpanContext?.spanId));
    expect(parents.size).toBe(1);
    expect(exporter.getFinishedSpans().some((s) => s.name === SPANS.move)).toBe(false);
    t.moveCompleted({ planId: 'p4', shardId: 's1' });
    const move = exporter.getFinishedSpans().find((s) => s.name === SPANS.move)!;
    expect(parents.has(move.spanContext().spanId)).toBe(true);
  });
});
