/**
 * When, within a simulated history, each alert signal holds: the time-resolved counterpart of
 * test/unit/simulator/signals.ts (same conditions, same thresholds, evaluated per scrape instead of
 * "anywhere"). The end-to-end tests use it to cut a scenario's history so that it ends inside the
 * window where its signal holds.
 */
import type { AlertSignal } from '../../src/simulator/scenarios';
import { THRESHOLDS, type History, type HSample } from '../unit/simulator/signals';

/** `cluster/namespace` → the scrape timestamps (seconds, ascending) at which a signal holds there. */
export type SignalTimes = Map<string, number[]>;

const scopeOf = (s: HSample) => `${s.labels.cluster}/${s.labels.namespace}`;
const at = (s: HSample) => `${s.labels.instance}@${s.ts}`;

export function signalTimes(h: History, signal: AlertSignal): SignalTimes {
  const hits = new Map<string, Set<number>>();
  const hit = (where: string, ts: number) => {
    if (!hits.has(where)) hits.set(where, new Set());
    hits.get(where)!.add(ts);
  };
  const leaderAt = new Map<string, number>();
  for (const s of h.samples.leader) leaderAt.set(at(s), s.value);
  const isLeader = (s: HSample) => leaderAt.get(at(s)) === 1;

  switch (signal) {
    case 'MeshKitRebalancePlanStuck': {
      const progress = new Map<string, number>();
      for (const s of h.samples.lastProgress) progress.set(`${at(s)}/${s.labels.plan_id}`, s.value);
      for (const s of h.samples.planState) {
        if (s.labels.state !== 'executing' || s.value !== 1 || !isLeader(s)) continue;
        const last = progress.get(`${at(s)}/${s.labels.plan_id}`);
        if (last !== undefined && s.ts - last > THRESHOLDS.stuckSeconds) hit(scopeOf(s), s.ts);
      }
      break;
    }
    case 'MeshKitRebalanceExcessiveConcurrentMoves': {
      // above the limit continuously for the rule's full-scale `for` (5 min) already
      const limit = new Map<string, number>();
      for (const s of h.samples.maxMoves) limit.set(at(s), s.value);
      const runs = new Map<string, number>();
      for (const s of [...h.samples.inFlight].sort((a, b) => a.ts - b.ts)) {
        const max = limit.get(at(s));
        if (max !== undefined && s.value > max && isLeader(s)) {
          if (!runs.has(s.labels.instance)) runs.set(s.labels.instance, s.ts);
          if (s.ts - runs.get(s.labels.instance)! >= THRESHOLDS.excessiveSeconds) hit(scopeOf(s), s.ts);
        } else {
          runs.delete(s.labels.instance);
        }
      }
      break;
    }
    case 'MeshKitRebalanceRepeatedFailures': {
      const totals = new Map<string, Map<number, number>>();
      const scopes = new Map<string, string>();
      for (const s of h.samples.moveFailures) {
        scopes.set(s.labels.instance, scopeOf(s));
        if (!totals.has(s.labels.instance)) totals.set(s.labels.instance, new Map());
        const m = totals.get(s.labels.instance)!;
        m.set(s.ts, (m.get(s.ts) ?? 0) + s.value);
      }
      const window = THRESHOLDS.failuresWindowSeconds;
      const sums = new Map<string, Map<number, number>>();
      for (const [instance, byTs] of totals) {
        const points = [...byTs.entries()].sort((a, b) => a[0] - b[0]);
        let j = 0;
        for (let i = 0; i < points.length; i++) {
          while (points[j][0] < points[i][0] - window) j++;
          const base = j === 0 && points[0][0] > points[i][0] - window ? 0 : points[Math.max(0, j - 1)][1];
          const where = scopes.get(instance)!;
          if (!sums.has(where)) sums.set(where, new Map());
          const m = sums.get(where)!;
          m.set(points[i][0], (m.get(points[i][0]) ?? 0) + points[i][1] - base);
        }
      }
      for (const [where, byTs] of sums) for (const [ts, v] of byTs) if (v >= THRESHOLDS.failuresCount) hit(where, ts);
      break;
    }
    case 'MeshKitRebalanceControllerHeartbeatMissing': {
      // the stalled-leader cause: a heartbeat older than interval × missed when collected
      for (const s of h.samples.heartbeat) {
        if (isLeader(s) && s.ts - s.value > THRESHOLDS.heartbeatIntervalSeconds * THRESHOLDS.heartbeatMissed) hit(scopeOf(s), s.ts);
      }
      break;
    }
    case 'MeshKitRebalancePolicyViolation': {
      // a blocking violation counted within the rule's window (10 min)
      const previous = new Map<string, number>();
      const increments: { where: string; ts: number }[] = [];
      for (const s of [...h.samples.violations].sort((a, b) => a.ts - b.ts)) {
        if (s.labels.action !== 'block') continue;
        const key = `${s.labels.instance}/${s.labels.policy}`;
        if (s.value > (previous.get(key) ?? 0)) increments.push({ where: scopeOf(s), ts: s.ts });
        previous.set(key, s.value);
      }
      const scrapes = [...new Set(h.samples.leader.map((s) => s.ts))].sort((a, b) => a - b);
      for (const { where, ts } of increments) for (const t of scrapes) if (t >= ts && t - ts < 10 * 60) hit(where, t);
      break;
    }
    case 'MeshKitRebalanceApprovalBacklog': {
      for (const s of h.samples.oldestPending) if (isLeader(s) && s.ts - s.value > THRESHOLDS.backlogSeconds) hit(scopeOf(s), s.ts);
      break;
    }
  }
  return new Map([...hits].map(([where, set]) => [where, [...set].sort((a, b) => a - b)]));
}

/** Maximal runs of consecutive scrape timestamps (gaps of at most `stepSeconds`). */
export function runsOf(times: readonly number[], stepSeconds: number): [number, number][] {
  const runs: [number, number][] = [];
  for (const t of times) {
    const last = runs[runs.length - 1];
    if (last && t - last[1] <= stepSeconds + 1e-6) last[1] = t;
    else runs.push([t, t]);
  }
  return runs;
}

/** Timestamps present in every list. */
export function intersect(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  const [first, ...rest] = lists;
  const sets = rest.map((l) => new Set(l));
  return first.filter((t) => sets.every((s) => s.has(t)));
}
