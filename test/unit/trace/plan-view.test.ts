import { ATTR, SPANS } from '../../../src';
import type { TimelineSpan } from '../../../src/trace/model';
import { buildPlanView, inFlight, IN_FLIGHT } from '../../../src/trace/plan-view';

let nextId = 0;
function span(name: string, parent: string | undefined, startS: number, durS: number, attributes: TimelineSpan['attributes'] = {}, events: TimelineSpan['events'] = []): TimelineSpan {
  return { spanId: `s${++nextId}`, parentSpanId: parent, name, startUs: startS * 1e6, durationUs: durS * 1e6, attributes, error: false, events };
}

describe('plan view', () => {
  it('rebuilds a move in flight from its markers: ended phases, the phase under way, drain reports from events and markers', () => {
    const marker = span(SPANS.planCreated, 'plan', 0, 0, { [ATTR.planId]: 'p-1', [ATTR.trigger]: 'capacity', [ATTR.namespace]: 'orders', [ATTR.cluster]: 'eu-west-1' });
    const moveId = 'm1';
    const started = span(SPANS.moveStarted, moveId, 10, 0, { [ATTR.shardId]: 'orders-1', [ATTR.fromNode]: 'node-04', [ATTR.toNode]: 'node-13' });
    const drainReport = { name: 'drain.progress', atUs: 30e6, attributes: { [ATTR.drainRemaining]: 40, [ATTR.drainRatio]: 0.6 } };
    const drain = span(SPANS.drain, moveId, 10, 50, {}, [drainReport]);
    const progress = [30, 50].map((t, i) => span(SPANS.moveProgress, moveId, t, 0, { [ATTR.drainRemaining]: 40 - i * 40, [ATTR.drainRatio]: 0.6 + i * 0.4 }));
    const view = buildPlanView([marker, started, drain, ...progress], 100e6);
    expect(view).toMatchObject({ planId: 'p-1', trigger: 'capacity', namespace: 'orders', cluster: 'eu-west-1', outcome: 'running', endUs: undefined });
    const [move] = inFlight(view);
    expect(move).toMatchObject({ shard: 'orders-1', from: 'node-04', to: 'node-13', startUs: 10e6, endUs: undefined, outcome: IN_FLIGHT });
    // The drain ended at 60 s: the handoff is under way since, open until now.
    expect(move!.phases).toEqual([
      { phase: 'drain', startUs: 10e6, endUs: 60e6, failed: undefined },
      { phase: 'handoff', startUs: 60e6, endUs: undefined },
    ]);
    // The report at 30 s is in the drain span and in a marker: counted once.
    expect(move!.ticks.map((t) => [t.atUs / 1e6, t.remaining])).toEqual([[30, 40], [50, 0]]);
    expect(move!.lastProgress).toMatchObject({ atUs: 50e6, remaining: 0 });
  });

  it('takes an ended move from its own span, and puts the plan events on the axis', () => {
    const plan = span(SPANS.plan, undefined, 0, 100, { [ATTR.planId]: 'p-2', [ATTR.planOutcome]: 'failed', [ATTR.failureReason]: 'timeout' }, [
      { name: 'plan.approved', atUs: 1e6, attributes: { [ATTR.decision]: 'auto_approved' } },
      { name: 'plan.paused', atUs: 40e6, attributes: {} },
      { name: 'drain.progress', atUs: 41e6, attributes: {} },
    ]);
    const move = { ...span(SPANS.move, plan.spanId, 5, 20, { [ATTR.shardId]: 'x', [ATTR.fromNode]: 'a', [ATTR.toNode]: 'b', [ATTR.moveOutcome]: 'failed', [ATTR.failureReason]: 'checksum_mismatch' }), error: true };
    const started = span(SPANS.moveStarted, move.spanId, 5, 0, { [ATTR.shardId]: 'x' });
    const view = buildPlanView([plan, started, move], 200e6);
    expect(view).toMatchObject({ outcome: 'failed', reason: 'timeout', endUs: 100e6 });
    expect(view.events.map((e) => [e.name, e.detail])).toEqual([['plan.approved', 'approval.decision=auto_approved'], ['plan.paused', '']]);
    expect(view.moves).toHaveLength(1);
    expect(view.moves[0]).toMatchObject({ outcome: 'failed', failed: 'checksum_mismatch', endUs: 25e6 });
    expect(inFlight(view)).toEqual([]);
  });
});
