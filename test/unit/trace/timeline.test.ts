import { ATTR, SPANS } from '../../../src';
import type { TimelineSpan } from '../../../src/trace/model';
import { formatDuration, renderTimeline } from '../../../src/trace/timeline';

let nextId = 0;
const id = () => `s${++nextId}`;

function span(name: string, parent: string | undefined, startS: number, durS: number, attributes: TimelineSpan['attributes'] = {}, error = false): TimelineSpan {
  return { spanId: id(), parentSpanId: parent, name, startUs: startS * 1e6, durationUs: durS * 1e6, attributes, error };
}

/** A plan trace: move i starts at i·step, drains for `drain` s, hands off for 1 s, verifies for 0.5 s. */
function planTrace(moves: number, step = 5, drain = 20, failEvery = 0): TimelineSpan[] {
  const plan = span(SPANS.plan, undefined, 0, moves * step + drain + 2, { [ATTR.planId]: 'p-1', [ATTR.trigger]: 'node_drain', [ATTR.planOutcome]: 'completed' });
  const spans = [plan];
  for (let i = 0; i < moves; i++) {
    const t = i * step;
    const failed = failEvery > 0 && i % failEvery === failEvery - 1;
    const move = span(SPANS.move, plan.spanId, t, failed ? drain : drain + 1.5, {
      [ATTR.shardId]: `orders-${i}`,
      [ATTR.fromNode]: 'node-b',
      [ATTR.toNode]: 'node-a',
      [ATTR.moveOutcome]: failed ? 'failed' : 'completed',
      ...(failed ? { [ATTR.failureReason]: 'drain_timeout' } : {}),
    }, failed);
    spans.push(move, span(SPANS.drain, move.spanId, t, drain));
    if (!failed) spans.push(span(SPANS.handoff, move.spanId, t + drain, 1), span(SPANS.verify, move.spanId, t + drain + 1, 0.5));
  }
  return spans;
}

describe('drain timeline', () => {
  it('draws one row per move with its phases in order on a shared axis', () => {
    const text = renderTimeline(planTrace(3), { width: 40 });
    const lines = text.split('\n');
    expect(lines[0]).toContain('plan p-1');
    expect(lines[0]).toContain('3 moves');
    const rows = lines.filter((l) => l.startsWith('orders-'));
    expect(rows.map((r) => r.split(' ')[0])).toEqual(['orders-0', 'orders-1', 'orders-2']);
    for (const row of rows) {
      const bar = row.slice(row.indexOf('|') + 1, row.lastIndexOf('|'));
      expect(bar).toHaveLength(40);
      expect(bar.indexOf('█')).toBeLessThan(bar.indexOf('▓'));
      expect(bar.indexOf('▓')).toBeLessThanOrEqual(bar.indexOf('░'));
      expect(row).toContain('20.0s / 1.0s / 500ms');
    }
    // Later moves start further right on the shared axis.
    const starts = rows.map((r) => r.indexOf('█'));
    expect(starts[0]).toBeLessThan(starts[1]);
    expect(starts[1]).toBeLessThan(starts[2]);
  });

  it('marks failed moves with the reason', () => {
    const rows = renderTimeline(planTrace(4, 5, 20, 2), { width: 40 }).split('\n').filter((l) => l.startsWith('orders-'));
    expect(rows.filter((r) => r.includes('✗ drain_timeout'))).toHaveLength(2);
    expect(rows[1]).toContain('20.0s / - / -');
  });

  it('stays one bounded line per move at 200 moves', () => {
    const text = renderTimeline(planTrace(200, 3, 30), { width: 60 });
    const rows = text.split('\n').filter((l) => l.startsWith('orders-'));
    expect(rows).toHaveLength(200);
    expect(Math.max(...rows.map((r) => [...r].length))).toBeLessThan(160);
  });

  it('shows a live plan from its creation marker before the plan span exists', () => {
    const spans = planTrace(2);
    const plan = spans[0];
    const marker = span(SPANS.planCreated, plan.spanId, 0, 0, plan.attributes);
    const text = renderTimeline([marker, ...spans.slice(1)], { width: 40 });
    expect(text.split('\n')[0]).toMatch(/^plan p-1 .*2 moves ended so far, 0 in flight .*still running/);
    expect(text.split('\n').filter((l) => l.startsWith('orders-'))).toHaveLength(2);
  });

  it('lists moves in flight from their markers: source node, time since start, last drain progress', () => {
    const spans = planTrace(2);
    const plan = spans[0];
    const marker = span(SPANS.planCreated, plan.spanId, 0, 0, plan.attributes);
    const moveId = 'stuck-move';
    const attrs = { [ATTR.planId]: 'p-1', [ATTR.shardId]: 'orders-9', [ATTR.fromNode]: 'node-wedged', [ATTR.toNode]: 'node-a' };
    const started: TimelineSpan = { ...span(SPANS.moveStarted, moveId, 30, 0, attrs) };
    const progress = [60, 90].map((t, i) => span(SPANS.moveProgress, moveId, t, 0, { [ATTR.drainRemaining]: 500 - i * 10, [ATTR.drainRatio]: 0.5 }));
    const text = renderTimeline([marker, ...spans.slice(1), started, ...progress], { width: 40, nowUs: 150e6 });
    expect(text.split('\n')[0]).toMatch(/2 moves ended so far, 1 in flight/);
    const row = text.split('\n').find((l) => l.startsWith('orders-9'))!;
    expect(row).toContain('in flight');
    // The open bar runs from the move's start to now.
    expect(row.slice(row.indexOf('|') + 1, row.lastIndexOf('|')).trimEnd().endsWith('·')).toBe(true);
    const listed = text.split('\n').find((l) => l.trim().startsWith('orders-9') && l.includes('from node-wedged'))!;
    expect(listed).toContain('started 2m00s ago');
    expect(listed).toContain('last drain progress 1m00s ago: 490 left (50 % drained)');
  });

  it('formats durations for people', () => {
    expect([0.25e6, 12.34e6, 125e6, 7300e6].map(formatDuration)).toEqual(['250ms', '12.3s', '2m05s', '2h02m']);
  });
});
