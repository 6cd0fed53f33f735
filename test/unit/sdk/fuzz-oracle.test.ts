/**
 * An independent oracle for the hooks: random valid plan lifecycles, interleaved across plans and
 * with calls that must be rejected, and the counters each lifecycle implies computed from its
 * description alone (not by running a model of the SDK).
 */
import { DataPointType } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { createRebalanceTelemetry, enums, METRICS, type MetricSpec } from '../../../src';
import { points } from '../../helpers/collect';

type Call = { hook: string; args: unknown };
interface Move {
  outcome: 'completed' | 'failed';
  /** Phase the failure happens in: 0 drain, 1 handoff, 2 verify. */
  failAt: 0 | 1 | 2;
  reason: (typeof enums.MOVE_FAILURE_REASONS)[number];
  drains: number;
}
interface Lifecycle {
  trigger: (typeof enums.PLAN_TRIGGERS)[number];
  dryRun: boolean;
  approval: 'none' | 'approve' | 'auto' | 'reject' | 'override';
  pauseResume: boolean;
  moves: Move[];
  end: 'completed' | 'failed' | 'cancelled' | 'rolled_back';
  failReason: (typeof enums.PLAN_FAILURE_REASONS)[number];
}

const move: fc.Arbitrary<Move> = fc.record({
  outcome: fc.constantFrom('completed', 'completed', 'failed'),
  failAt: fc.constantFrom(0, 1, 2),
  reason: fc.constantFrom(...enums.MOVE_FAILURE_REASONS),
  drains: fc.nat(3),
});
const lifecycle: fc.Arbitrary<Lifecycle> = fc.record({
  trigger: fc.constantFrom(...enums.PLAN_TRIGGERS),
  dryRun: fc.constantFrom(false, false, false, false, true),
  approval: fc.constantFrom('none', 'approve', 'auto', 'reject', 'override'),
  pauseResume: fc.boolean(),
  moves: fc.array(move, { maxLength: 4 }),
  end: fc.constantFrom('completed', 'failed', 'cancelled', 'rolled_back'),
  failReason: fc.constantFrom(...enums.PLAN_FAILURE_REASONS),
});

function callsOf(l: Lifecycle, planId: string): Call[] {
  const c = (hook: string, args: Record<string, unknown> = {}): Call => ({ hook, args: { planId, ...args } });
  const out: Call[] = [c('planCreated', { trigger: l.trigger, movesPlanned: l.moves.length, dryRun: l.dryRun })];
  if (l.dryRun) return out;
  if (l.approval === 'approve') out.push(c('planSubmitted'), c('planApproved', { actor: 'alice' }));
  if (l.approval === 'auto') out.push(c('planApproved'));
  if (l.approval === 'reject') return [...out, c('planSubmitted'), c('planRejected', { actor: 'bob' })];
  if (l.approval === 'override') out.push(c('planBlocked', { policy: 'cooldown' }), c('planOverrideAcknowledged', { actor: 'carol' }));
  out.push(c('planStarted'));
  if (l.pauseResume) out.push(c('planPaused'), c('planResumed'));
  l.moves.forEach((m, i) => {
    const shardId = `${planId}-s${i}`;
    out.push(c('moveStarted', { shardId, fromNode: 'n1', toNode: 'n2' }));
    for (let d = 0; d < m.drains; d++) out.push(c('moveDrainProgress', { shardId, remaining: m.drains - d, ratio: d / (m.drains + 1) }));
    const reach = m.outcome === 'completed' ? 2 : m.failAt;
    if (reach >= 1) out.push(c('moveHandoff', { shardId }));
    if (reach >= 2) out.push(c('moveVerifying', { shardId }));
    out.push(m.outcome === 'completed' ? c('moveCompleted', { shardId }) : c('moveFailed', { shardId, reason: m.reason }));
  });
  if (l.end === 'failed') out.push(c('planFailed', { reason: l.failReason }));
  else out.push(c(l.end === 'completed' ? 'planCompleted' : l.end === 'cancelled' ? 'planCancelled' : 'planRolledBack'));
  return out;
}

/** Calls that no state can accept. */
const junk: fc.Arbitrary<Call> = fc.oneof(
  fc.constant({ hook: 'planStarted', args: { planId: 'junk-never-created' } }),
  fc.constant({ hook: 'candidateSkipped', args: { reason: 'bogus' } }),
  fc.constant({ hook: 'moveCompleted', args: { planId: 'p0', shardId: 'not-a-shard' } }),
  fc.constant({ hook: 'planCreated', args: { planId: 'bad id', trigger: 'manual', movesPlanned: 1 } }),
  fc.constant({ hook: 'planCreated', args: { planId: 'x', trigger: 'manual', movesPlanned: -1 } }),
  fc.constant({ hook: 'moveDrainProgress', args: null }),
  fc.anything().filter((a) => typeof a !== 'object' || a === null || Array.isArray(a)).map((args) => ({ hook: 'planApproved', args })),
);

/** The counters a set of lifecycles implies, keyed by metric and one label value. */
function expected(lifecycles: Lifecycle[], junkCalls: number) {
  const e = new Map<string, number>();
  const add = (spec: MetricSpec, label: string, n = 1) => e.set(`${spec.name}|${label}`, (e.get(`${spec.name}|${label}`) ?? 0) + n);
  for (const l of lifecycles) {
    add(METRICS.plansCreated, `${l.trigger}/${l.dryRun ? 'dry_run' : 'execute'}`);
    if (l.dryRun) continue;
    if (l.approval === 'approve') add(METRICS.approvals, 'approved');
    if (l.approval === 'auto') add(METRICS.approvals, 'auto_approved');
    if (l.approval === 'override') add(METRICS.approvals, 'override');
    if (l.approval === 'reject') {
      add(METRICS.approvals, 'rejected');
      add(METRICS.plansTotal, 'rejected');
      continue;
    }
    for (const m of l.moves) {
      add(METRICS.movesTotal, m.outcome);
      add(METRICS.moveDuration, m.outcome);
      if (m.outcome === 'failed') add(METRICS.moveFailures, m.reason);
      const reach = m.outcome === 'completed' ? 2 : m.failAt;
      for (let p = 0; p <= reach; p++) add(METRICS.movePhaseDuration, enums.MOVE_PHASES[p]);
    }
    add(METRICS.plansTotal, l.end);
    add(METRICS.planDuration, l.end);
    if (l.end === 'failed') add(METRICS.planFailures, l.failReason);
  }
  if (junkCalls > 0) add(METRICS.rejected, 'all', junkCalls);
  return e;
}

/** The same keys read from the SDK's export. */
function observed(t: ReturnType<typeof createRebalanceTelemetry>) {
  const o = new Map<string, number>();
  const metrics = t.metricProducer.collectMetrics();
  const read = (spec: MetricSpec, key: (a: Record<string, unknown>) => string) => {
    const name = spec.kind === 'counter' ? spec.name.replace(/_total$/, '') : spec.name;
    const type = { counter: DataPointType.SUM, gauge: DataPointType.GAUGE, histogram: DataPointType.HISTOGRAM }[spec.kind];
    const metric = metrics.find((m) => m.descriptor.name === name && m.dataPointType === type);
    for (const p of metric?.dataPoints ?? []) {
      const v = typeof p.value === 'number' ? p.value : (p.value as { count: number }).count;
      if (v > 0) o.set(`${spec.name}|${key(p.attributes as Record<string, unknown>)}`, (o.get(`${spec.name}|${key(p.attributes as Record<string, unknown>)}`) ?? 0) + v);
    }
  };
  read(METRICS.plansCreated, (a) => `${a.trigger}/${a.mode}`);
  read(METRICS.approvals, (a) => String(a.decision));
  read(METRICS.plansTotal, (a) => String(a.outcome));
  read(METRICS.planDuration, (a) => String(a.outcome));
  read(METRICS.planFailures, (a) => String(a.reason));
  read(METRICS.movesTotal, (a) => String(a.outcome));
  read(METRICS.moveDuration, (a) => String(a.outcome));
  read(METRICS.moveFailures, (a) => String(a.reason));
  read(METRICS.movePhaseDuration, (a) => String(a.phase));
  read(METRICS.rejected, () => 'all');
  return o;
}

describe('hooks against an independent oracle', () => {
  it('count exactly what the generated lifecycles imply, with junk interleaved', () => {
    const scenario = fc
      .tuple(fc.array(lifecycle, { minLength: 1, maxLength: 12 }), fc.array(junk, { maxLength: 30 }))
      .chain(([lifecycles, junkCalls]) => {
        const streams = lifecycles.map((l, i) => callsOf(l, `p${i}`));
        const total = streams.reduce((n, s) => n + s.length, 0) + junkCalls.length;
        return fc.array(fc.nat(streams.length), { minLength: total, maxLength: total }).map((picks) => ({ lifecycles, junkCalls, streams, picks }));
      });
    fc.assert(
      fc.property(scenario, ({ lifecycles, junkCalls, streams, picks }) => {
        const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl' });
        const queues = streams.map((s) => [...s]);
        const pending = [...junkCalls];
        // Each pick names a plan's stream (its next call keeps that plan's order) or, past the last, the junk.
        for (const pick of picks) {
          let q = pick < queues.length ? queues[pick] : pending;
          if (q.length === 0) q = queues.find((x) => x.length > 0) ?? pending;
          const c = q.shift()!;
          expect(() => (t as unknown as Record<string, (a: unknown) => void>)[c.hook](c.args)).not.toThrow();
        }
        expect(observed(t)).toEqual(expected(lifecycles, junkCalls.length));
        expect(points(t, METRICS.shardsInFlight)[0].value).toBe(0);
        expect(points(t, METRICS.planState)).toHaveLength(0);
      }),
      { numRuns: 100 },
    );
  });
});
