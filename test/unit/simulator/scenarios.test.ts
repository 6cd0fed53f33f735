import { ALERT_SIGNALS, SCENARIOS } from '../../../src/simulator/scenarios';
import { history, tempDir } from './helpers';
import { SIGNAL_FAMILIES, evaluateSignals, readHistory, rejectedCalls, type History, type Signals } from './signals';

/**
 * Every scenario but hyperscale, run for its own length: its history must show exactly the alert
 * signals it declares, evaluated on the samples, and the SDK must have accepted every hook call.
 */
const tmp = tempDir('scenarios');
const runs = new Map<string, { h: History; signals: Signals }>();
afterAll(() => {
  runs.clear();
  tmp.cleanup();
});
async function run(name: string) {
  if (!runs.has(name)) {
    const { file } = await history(tmp.dir, name);
    const h = readHistory(file, ['node-drain', 'flapping'].includes(name) ? [...SIGNAL_FAMILIES, 'shardsOwned'] : SIGNAL_FAMILIES);
    runs.set(name, { h, signals: evaluateSignals(h) });
  }
  return runs.get(name)!;
}

const last = (h: History, key: keyof History['samples'], match: Record<string, string>) =>
  h.samples[key].filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v)).sort((a, b) => a.ts - b.ts);

describe.each(SCENARIOS.filter((s) => s.name !== 'hyperscale').map((s) => [s.name, s] as const))('scenario %s', (name, scenario) => {
  it(`shows exactly its declared signals (${scenario.alerts.join(', ') || 'none'})`, async () => {
    const { signals } = await run(name);
    expect([...signals.keys()].sort()).toEqual([...scenario.alerts].sort());
    for (const alert of scenario.alerts) expect(ALERT_SIGNALS).toContain(alert);
  });

  it('drives the SDK without a single rejected hook call', async () => {
    const { h } = await run(name);
    expect(rejectedCalls(h)).toBe(0);
  });
});

describe('scenario stories', () => {
  it('mixed: the signals come from the failing namespaces only', async () => {
    const { signals } = await run('mixed');
    expect([...signals.get('MeshKitRebalancePlanStuck')!]).toEqual(['us-east-1/search']);
    expect([...signals.get('MeshKitRebalanceRepeatedFailures')!]).toEqual(['eu-west-1/orders']);
  });

  it('mixed: eu-west-1/payments fails over from its leader to the standby', async () => {
    const { h } = await run('mixed');
    const leaders = (instance: string) => last(h, 'leader', { instance }).map((s) => s.value);
    const old = leaders('eu-west-1.payments.rebalancer-0');
    const standby = leaders('eu-west-1.payments.rebalancer-1');
    expect(old[0]).toBe(1);
    expect(old[old.length - 1]).toBe(0);
    expect(standby[0]).toBe(0);
    expect(standby[standby.length - 1]).toBe(1);
  });

  it('heartbeat-loss: the hung controller still exports a stale heartbeat, then its series stop', async () => {
    const { h } = await run('heartbeat-loss');
    const ledger = last(h, 'heartbeat', { namespace: 'ledger' });
    const payments = last(h, 'heartbeat', { namespace: 'payments' });
    expect(Math.max(...ledger.map((s) => s.ts - s.value))).toBeGreaterThan(15 * 60);
    expect(ledger[ledger.length - 1].ts).toBeLessThan(h.lastTs - 30 * 60);
    expect(payments[payments.length - 1].ts).toBe(h.lastTs);
    expect(Math.max(...payments.map((s) => s.ts - s.value))).toBeLessThanOrEqual(6);
  });

  it('limit-lowered: the limit drops under the moves in flight, which drain down to it, none started over it', async () => {
    const { h } = await run('limit-lowered');
    const limits = [...new Set(last(h, 'maxMoves', {}).map((s) => s.value))];
    expect(limits).toEqual([24, 6, 12]);
    const inFlight = last(h, 'inFlight', {}).map((s) => s.value);
    expect(Math.max(...inFlight)).toBe(24);
    const over = last(h, 'startedOverLimit', {});
    expect(over[over.length - 1].value).toBe(0);
  });

  it('excessive-concurrency: the broken release starts moves over the unchanged limit, the rollback stops it', async () => {
    const { h } = await run('excessive-concurrency');
    expect([...new Set(last(h, 'maxMoves', {}).map((s) => s.value))]).toEqual([8]);
    expect(Math.max(...last(h, 'inFlight', {}).map((s) => s.value))).toBe(16);
    const over = last(h, 'startedOverLimit', {});
    const at = (min: number) => over.filter((s) => s.ts <= h.firstTs + min * 60).pop()!.value;
    expect(at(29)).toBe(0);
    expect(at(75)).toBeGreaterThan(10);
    expect(over[over.length - 1].value).toBe(at(76));
  });

  it('slow-drain: the slowed plan keeps making progress, its forecast runs past its deadline', async () => {
    const { h } = await run('slow-drain');
    const deadlines = new Map(h.samples.deadline.map((s) => [s.labels.plan_id, s.value]));
    expect(deadlines.size).toBeGreaterThanOrEqual(2);
    const late = h.samples.forecast.filter((s) => s.value > deadlines.get(s.labels.plan_id)! + 30 * 60);
    expect(new Set(late.map((s) => s.labels.plan_id)).size).toBe(1);
    // the first plan, before the slowdown, finished on time
    const first = [...deadlines.keys()].sort()[0];
    expect(h.samples.forecast.filter((s) => s.labels.plan_id === first).every((s) => s.value <= deadlines.get(first)!)).toBe(true);
  });

  it('healthy-rebalance: the move limit is never exceeded and throttling shows it working', async () => {
    const { h } = await run('healthy-rebalance');
    expect(Math.max(...last(h, 'inFlight', {}).map((s) => s.value))).toBe(8);
    const throttles = last(h, 'violations', { policy: 'max_concurrent_moves', action: 'throttle' });
    expect(throttles[throttles.length - 1].value).toBeGreaterThan(0);
  });

  it('node-drain: the node shows parked shards, then none, then shards again after resume', async () => {
    const { h } = await run('node-drain');
    const owned = (status: string) => last(h, 'shardsOwned', { node: 'node-05', status }).map((s) => s.value);
    expect(Math.max(...owned('paused'))).toBeGreaterThan(30);
    const active = owned('active');
    expect(active[0]).toBe(50);
    expect(Math.min(...active)).toBe(0);
    expect(active[active.length - 1]).toBeGreaterThan(30);
    const states = new Set(last(h, 'state', {}).filter((s) => s.value === 1).map((s) => s.labels.state));
    expect(states).toEqual(new Set(['steady', 'investigating', 'draining', 'plan_pending', 'executing', 'completed']));
  });

  it('flapping: plans keep moving shards back, each warned by the cooldown policy, counted as flaps', async () => {
    const { h } = await run('flapping');
    const flaps = last(h, 'flaps', {});
    expect(flaps[flaps.length - 1].value).toBeGreaterThanOrEqual(20);
    const warns = last(h, 'violations', { policy: 'cooldown', action: 'warn' });
    expect(warns[warns.length - 1].value).toBeGreaterThanOrEqual(10);
    const node02 = last(h, 'shardsOwned', { node: 'node-02', status: 'active' }).map((s) => s.value);
    // node-02 swings well above and well below its even share of 50, again and again
    let swings = 0;
    let side = 0;
    for (const v of node02) {
      const now = v > 60 ? 1 : v < 40 ? -1 : 0;
      if (now !== 0 && now !== side) {
        swings++;
        side = now;
      }
    }
    expect(swings).toBeGreaterThanOrEqual(8);
  });

  it('policy-violation: the blocked plan is overridden and executed', async () => {
    const { h } = await run('policy-violation');
    const blocked = last(h, 'violations', { policy: 'max_ownership_delta', action: 'block' });
    const warned = last(h, 'violations', { policy: 'change_ticket_required', action: 'warn' });
    expect(blocked[blocked.length - 1].value).toBe(1);
    expect(warned[warned.length - 1].value).toBe(1);
    const executingBlocked = h.samples.planState.filter((s) => s.labels.state === 'blocked' && s.value === 1);
    const planId = executingBlocked[0].labels.plan_id;
    expect(h.samples.planState.some((s) => s.labels.plan_id === planId && s.labels.state === 'executing')).toBe(true);
  });
});
