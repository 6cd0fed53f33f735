/** The forward-looking signals: completion forecast and deadline, shard flapping, moves started over the limit. */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR, createRebalanceTelemetry, METRICS, SPANS, type RebalanceTelemetryHandle } from '../../../src';
import { FlapTable } from '../../../src/sdk/state/flap-table';
import { PlanForecast } from '../../../src/sdk/state/forecast';
import { manualClock, valueOf } from '../../helpers/collect';

const MIN = 60_000;

function setup(limits = {}) {
  const clock = manualClock();
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', clock: clock.now, tracerProvider, limits });
  return { t, clock, exporter };
}

function move(t: RebalanceTelemetryHandle, planId: string, shardId: string, fromNode: string, toNode: string) {
  t.moveStarted({ planId, shardId, fromNode, toNode });
  t.moveHandoff({ planId, shardId });
  t.moveVerifying({ planId, shardId });
  t.moveCompleted({ planId, shardId });
}

describe('completion forecast', () => {
  it('is absent until the first move ends, then extrapolates the pace of move ends', () => {
    const { t, clock } = setup();
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 10 });
    t.planStarted({ planId: 'p' });
    const start = clock.now();
    for (let i = 0; i < 2; i++) t.moveStarted({ planId: 'p', shardId: `s${i}`, fromNode: 'a', toNode: 'b' });
    clock.advance(4 * MIN);
    expect(valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })).toBeUndefined();
    // two moves side by side, the first ends after 4 min: one end every 2 min, 9 moves left
    t.moveCompleted({ planId: 'p', shardId: 's0' });
    expect(valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })).toBe((start + 4 * MIN + 9 * 2 * MIN) / 1000);
    // a pace kept: the forecast holds its value
    clock.advance(2 * MIN);
    t.moveCompleted({ planId: 'p', shardId: 's1' });
    expect(valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })).toBe((start + 6 * MIN + 8 * 2 * MIN) / 1000);
  });

  it('moves out while the plan slows down, before the next move ends', () => {
    const { t, clock } = setup();
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 5 });
    t.planStarted({ planId: 'p' });
    move(t, 'p', 's0', 'a', 'b');
    clock.advance(MIN);
    move(t, 'p', 's1', 'a', 'b');
    const steady = valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })!;
    clock.advance(30 * MIN);
    const slowed = valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })!;
    expect(slowed).toBeGreaterThan(clock.now() / 1000);
    expect(slowed).toBeGreaterThan(steady);
  });

  it('is not exported while paused, and a pause does not count as slowness', () => {
    const { t, clock } = setup();
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 3 });
    t.planStarted({ planId: 'p' });
    clock.advance(MIN);
    move(t, 'p', 's0', 'a', 'b');
    t.planPaused({ planId: 'p' });
    clock.advance(60 * MIN);
    expect(valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })).toBeUndefined();
    t.planResumed({ planId: 'p' });
    expect(valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })).toBe((clock.now() + 2 * MIN) / 1000);
  });

  it('records the forecast error at 25, 50 and 75 % of the moves on the plan span', () => {
    const { t, clock, exporter } = setup();
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 4 });
    t.planStarted({ planId: 'p' });
    for (let i = 0; i < 4; i++) {
      clock.advance(MIN);
      move(t, 'p', `s${i}`, 'a', 'b');
    }
    t.planCompleted({ planId: 'p' });
    const plan = exporter.getFinishedSpans().find((s) => s.name === SPANS.plan)!;
    expect(plan.attributes[ATTR.forecastError25]).toBe(0);
    expect(plan.attributes[ATTR.forecastError50]).toBe(0);
    expect(plan.attributes[ATTR.forecastError75]).toBe(0);
    expect(plan.attributes[ATTR.forecastErrorFinal]).toBe(0);
  });

  it('records the final forecast error: the forecast that stood before the last move ended, against the completion', () => {
    const { t, clock, exporter } = setup();
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 2 });
    t.planStarted({ planId: 'p' });
    clock.advance(MIN);
    move(t, 'p', 's0', 'a', 'b'); // one move a minute: the second is forecast at minute 2
    clock.advance(MIN);
    move(t, 'p', 's1', 'a', 'b');
    clock.advance(3 * MIN); // the plan is marked completed three minutes after its last move
    t.planCompleted({ planId: 'p' });
    const plan = exporter.getFinishedSpans().find((s) => s.name === SPANS.plan)!;
    expect(plan.attributes[ATTR.forecastErrorFinal]).toBe(-180);
  });

  it('series leave with the plan', () => {
    const { t, clock } = setup();
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 2, deadline: clock.now() + 60 * MIN });
    t.planStarted({ planId: 'p' });
    move(t, 'p', 's0', 'a', 'b');
    expect(valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })).toBeDefined();
    expect(valueOf(t, METRICS.planDeadline, { plan_id: 'p' })).toBe((clock.now() + 60 * MIN) / 1000);
    t.planCancelled({ planId: 'p' });
    expect(valueOf(t, METRICS.planForecastCompletion, { plan_id: 'p' })).toBeUndefined();
    expect(valueOf(t, METRICS.planDeadline, { plan_id: 'p' })).toBeUndefined();
  });

  it('PlanForecast: seeds with the first gap over the moves in flight', () => {
    const f = new PlanForecast(0);
    expect(f.at(1000, 5)).toBeUndefined();
    f.moveEnded(8000, 4, 1, 9);
    expect(f.at(8000, 8)).toBe(8000 + 8 * 2000);
  });
});

describe('deadline', () => {
  it('is exported for a plan that has one and absent otherwise', () => {
    const { t, clock } = setup();
    t.planCreated({ planId: 'with', trigger: 'scheduled', movesPlanned: 1, deadline: clock.now() + MIN });
    t.planCreated({ planId: 'without', trigger: 'scheduled', movesPlanned: 1 });
    expect(valueOf(t, METRICS.planDeadline, { plan_id: 'with' })).toBe((clock.now() + MIN) / 1000);
    expect(valueOf(t, METRICS.planDeadline, { plan_id: 'without' })).toBeUndefined();
  });

  it.each([
    ['a string', '2026-12-01T00:00:00Z'],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a time before creation', 0],
    ['a time past what a Date holds', 1e300],
  ])('rejects %s without throwing, counted and reported', (_, deadline) => {
    const { t } = setup();
    const warn = jest.fn();
    diag.setLogger({ warn, error: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() }, DiagLogLevel.WARN);
    try {
      expect(() => t.planCreated({ planId: 'p', trigger: 'scheduled', movesPlanned: 1, deadline: deadline as number })).not.toThrow();
    } finally {
      diag.disable();
    }
    expect(valueOf(t, METRICS.planState, { plan_id: 'p' })).toBeUndefined();
    expect(valueOf(t, METRICS.rejected, { hook: 'planCreated', reason: 'invalid_value' })).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('deadline');
  });
});

describe('shard flapping', () => {
  it('counts a move that returns a shard to the node it left within the window, and marks its span', () => {
    const { t, clock, exporter } = setup();
    t.planCreated({ planId: 'p1', trigger: 'imbalance', movesPlanned: 3 });
    t.planStarted({ planId: 'p1' });
    move(t, 'p1', 's', 'a', 'b');
    clock.advance(10 * MIN);
    move(t, 'p1', 's', 'b', 'c'); // onwards, not back
    clock.advance(10 * MIN);
    move(t, 'p1', 's', 'c', 'b'); // back to b, which it left 10 min ago
    expect(valueOf(t, METRICS.shardFlaps)).toBe(1);
    const moves = exporter.getFinishedSpans().filter((s) => s.name === SPANS.move);
    expect(moves.map((s) => s.attributes[ATTR.flap] ?? false)).toEqual([false, false, true]);
    expect(moves[2].attributes[ATTR.flapPreviousAt]).toBe(new Date(clock.now() - 10 * MIN).toISOString());
  });

  it('does not count a return after the window', () => {
    const { t, clock } = setup({ flapWindowMs: 30 * MIN });
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 2 });
    t.planStarted({ planId: 'p' });
    move(t, 'p', 's', 'a', 'b');
    clock.advance(31 * MIN);
    move(t, 'p', 's', 'b', 'a');
    expect(valueOf(t, METRICS.shardFlaps)).toBe(0);
  });

  it('keeps at most maxFlapShards shards and counts evictions within the window', () => {
    const { t, clock } = setup({ maxFlapShards: 2 });
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 4 });
    t.planStarted({ planId: 'p' });
    for (const shard of ['s1', 's2', 's3']) move(t, 'p', shard, 'a', 'b');
    expect(valueOf(t, METRICS.flapEvictions)).toBe(1);
    clock.advance(MIN);
    move(t, 'p', 's1', 'b', 'a'); // s1 was evicted: its flap goes uncounted
    expect(valueOf(t, METRICS.shardFlaps)).toBe(0);
  });

  it('FlapTable: expired entries leave without being counted', () => {
    const evicted = jest.fn();
    const table = new FlapTable(2, 1000, evicted);
    table.record('s1', 'a', 'b', 0);
    table.record('s2', 'a', 'b', 0);
    table.record('s3', 'a', 'b', 5000);
    expect(table.size).toBe(1);
    expect(evicted).not.toHaveBeenCalled();
    expect(table.record('s3', 'b', 'a', 5500)).toBe(5000);
  });
});

describe('moves started over the limit', () => {
  it('counts moves started at or above the limit, not moves left above a lowered one', () => {
    const { t } = setup();
    t.policyLimitsChanged({ maxConcurrentMoves: 2 });
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 5 });
    t.planStarted({ planId: 'p' });
    t.moveStarted({ planId: 'p', shardId: 's1', fromNode: 'a', toNode: 'b' });
    t.moveStarted({ planId: 'p', shardId: 's2', fromNode: 'a', toNode: 'b' });
    expect(valueOf(t, METRICS.movesStartedOverLimit)).toBe(0);
    t.policyLimitsChanged({ maxConcurrentMoves: 1 });
    expect(valueOf(t, METRICS.movesStartedOverLimit)).toBe(0);
    t.moveStarted({ planId: 'p', shardId: 's3', fromNode: 'a', toNode: 'b' });
    expect(valueOf(t, METRICS.movesStartedOverLimit)).toBe(1);
  });

  it('counts nothing before a limit is known', () => {
    const { t } = setup();
    t.planCreated({ planId: 'p', trigger: 'imbalance', movesPlanned: 1 });
    t.planStarted({ planId: 'p' });
    t.moveStarted({ planId: 'p', shardId: 's1', fromNode: 'a', toNode: 'b' });
    expect(valueOf(t, METRICS.movesStartedOverLimit)).toBe(0);
  });
});
