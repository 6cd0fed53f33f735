import { parseDuration } from '../../../src/simulator/args';
import { VirtualClock } from '../../../src/simulator/clock';
import { Domain, STATUS } from '../../../src/simulator/model';
import { selectMoves } from '../../../src/simulator/planner';
import { DEFAULT_POLICIES, needsApproval, planViolations } from '../../../src/simulator/policies';
import { Rng } from '../../../src/simulator/rng';
import { Scheduler } from '../../../src/simulator/scheduler';

describe('rng', () => {
  it('replays a seed and forks independent streams', () => {
    const a = new Rng('s');
    const b = new Rng('s');
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const fork1 = new Rng('s').fork('x').next();
    const parent = new Rng('s');
    parent.next();
    parent.next();
    expect(parent.fork('x').next()).toBe(fork1);
    expect(new Rng('t').next()).not.toBe(new Rng('s').next());
  });

  it('stays in range', () => {
    const r = new Rng('range');
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      expect(v >= 3 && v <= 5 && Number.isInteger(v)).toBe(true);
    }
  });
});

describe('scheduler', () => {
  it('runs events in time order, ties in insertion order, each at its own time', () => {
    const clock = new VirtualClock(1000);
    const s = new Scheduler(clock);
    const seen: string[] = [];
    s.schedule(3000, () => seen.push(`c@${clock.now()}`));
    s.schedule(2000, () => seen.push(`a@${clock.now()}`));
    s.schedule(2000, () => {
      seen.push(`b@${clock.now()}`);
      s.schedule(2500, () => seen.push(`d@${clock.now()}`));
    });
    s.runUntil(2600);
    expect(seen).toEqual(['a@2000', 'b@2000', 'd@2500']);
    expect(clock.now()).toBe(2600);
    s.runUntil(5000);
    expect(seen[3]).toBe('c@3000');
  });
});

describe('model and planner', () => {
  const skipsOf = () => {
    const skips: string[] = [];
    return { skips, skip: (r: string) => skips.push(r) };
  };

  it('balances shards round robin and reports a snapshot per node', () => {
    const d = new Domain({ cluster: 'c', namespace: 'n', nodes: 4, shards: 10, disabledShards: 1 });
    expect(d.nodes.map((n) => n.shards.length)).toEqual([3, 3, 2, 2]);
    expect(d.ownership().reduce((sum, e) => sum + e.count, 0)).toBe(10);
    expect(d.ownership().filter((e) => e.status === 'disabled')).toHaveLength(1);
    d.transfer(0, 3, 5);
    expect(d.owner[0]).toBe(3);
    expect(d.nodes[3].counts[STATUS.active]).toBe(3);
  });

  it('fills a joining node up to the ownership delta cap and reports the skip', () => {
    const d = new Domain({ cluster: 'c', namespace: 'n', nodes: 10, shards: 500 });
    d.addNode();
    const { skips, skip } = skipsOf();
    const sel = selectMoves(d, DEFAULT_POLICIES, { now: 0, maxMoves: 100, deltaCap: 20, pickRecent: false, unhealthyReplicaRate: 0 }, new Rng('p'), skip);
    expect(sel.moves).toHaveLength(20);
    expect(sel.moves.every((m) => m.to === 10)).toBe(true);
    expect(skips).toEqual(['ownership_delta']);
  });

  it('finds nothing to do in a balanced namespace', () => {
    const d = new Domain({ cluster: 'c', namespace: 'n', nodes: 10, shards: 500 });
    const sel = selectMoves(d, DEFAULT_POLICIES, { now: 0, maxMoves: 100, deltaCap: 50, pickRecent: false, unhealthyReplicaRate: 0 }, new Rng('p'), () => {});
    expect(sel.moves).toHaveLength(0);
  });

  it('skips shards in cooldown and shards already in a plan', () => {
    const d = new Domain({ cluster: 'c', namespace: 'n', nodes: 2, shards: 20 });
    d.nodes[1].weight = 0.25;
    for (const s of d.nodes[1].shards) d.lastMovedAt[s] = 0;
    d.reserved[d.nodes[1].shards[0]] = 1;
    const { skips, skip } = skipsOf();
    const sel = selectMoves(d, { ...DEFAULT_POLICIES, cooldownMs: 60_000 }, { now: 1000, maxMoves: 10, deltaCap: 10, pickRecent: false, unhealthyReplicaRate: 0 }, new Rng('p'), skip);
    expect(sel.moves).toHaveLength(0);
    expect(new Set(skips)).toEqual(new Set(['cooldown', 'already_moving']));
  });

  it('moves parked shards off a draining node', () => {
    const d = new Domain({ cluster: 'c', namespace: 'n', nodes: 4, shards: 40 });
    d.nodes[2].status = 'draining';
    for (const s of d.nodes[2].shards) d.setShardStatus(s, 'paused');
    const sel = selectMoves(d, DEFAULT_POLICIES, { now: 0, maxMoves: 100, deltaCap: 100, pickRecent: false, unhealthyReplicaRate: 0, onlyFrom: [2] }, new Rng('p'), () => {});
    expect(sel.moves).toHaveLength(10);
    expect(sel.moves.every((m) => m.from === 2 && m.to !== 2)).toBe(true);
  });
});

describe('policies', () => {
  const d = new Domain({ cluster: 'c', namespace: 'n', nodes: 10, shards: 100 });

  it('blocks a plan over the ownership delta and warns a manual plan without a ticket', () => {
    expect(planViolations(DEFAULT_POLICIES, d, { trigger: 'manual', moves: 15, recentShards: 0, forced: true, changeTicket: false })).toEqual([
      { policy: 'max_ownership_delta', action: 'block' },
      { policy: 'change_ticket_required', action: 'warn' },
    ]);
    expect(planViolations(DEFAULT_POLICIES, d, { trigger: 'imbalance', moves: 5, recentShards: 0, forced: false, changeTicket: true })).toEqual([]);
  });

  it('asks for approval above the configured delta', () => {
    expect(needsApproval(DEFAULT_POLICIES, d, 5)).toBe(false);
    expect(needsApproval(DEFAULT_POLICIES, d, 6)).toBe(true);
    expect(needsApproval({ ...DEFAULT_POLICIES, approval: 'always' }, d, 1)).toBe(true);
  });
});

describe('durations', () => {
  it('parses 90s, 30m, 2h, 1h30m and 500ms', () => {
    expect(['90s', '30m', '2h', '1h30m', '500ms', '1d'].map((t) => parseDuration(t, 'd'))).toEqual([90_000, 1_800_000, 7_200_000, 5_400_000, 500, 86_400_000]);
    expect(() => parseDuration('90', 'duration')).toThrow('--duration "90" is not a duration');
    expect(() => parseDuration('0s', 'duration')).toThrow('longer than zero');
  });
});
