/**
 * When, within a simulated history, each alert signal holds: the time-resolved counterpart of
 * test/unit/simulator/signals.ts (same conditions, same thresholds, evaluated per scrape instead of
 * "anywhere"). The end-to-end tests use it to cut a scenario's history so that it ends inside the
 * window where its signal holds.
 */
import type { AlertSignal } from '../../src/simulator/scenarios';
import { THRESHOLDS, aboveLoweredLimit, increasesWithin, overrunning, type History, type HSample } from '../unit/simulator/signals';

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
      // a move started over the limit within the rule's window (15 min)
      for (const [where, byTs] of increasesWithin(h.samples.startedOverLimit, THRESHOLDS.overLimitWindowSeconds)) {
        for (const [ts, v] of byTs) if (v > 0) hit(where, ts);
      }
      break;
    }
    case 'MeshKitRebalanceMovesAboveLoweredLimit': {
      for (const s of aboveLoweredLimit(h, isLeader)) hit(scopeOf(s), s.ts);
      break;
    }
    case 'MeshKitRebalancePlanOverrun': {
      // past the deadline for the rule's full-scale `for` (10 min) already
      for (const s of overrunning(h, isLeader)) hit(scopeOf(s), s.ts);
      break;
    }
    case 'MeshKitRebalanceShardFlapping': {
      for (const [where, byTs] of increasesWithin(h.samples.flaps, THRESHOLDS.flapWindowSeconds)) {
        for (const [ts, v] of byTs) if (v >= THRESHOLDS.flapCount) hit(where, ts);
      }
      break;
    }
    case 'MeshKitRebalanceRepeatedFailures': {
      for (const [where, byTs] of increasesWithin(h.samples.moveFailures, THRESHOLDS.failuresWindowSeconds)) {
        for (const [ts, v] of byTs) if (v >= THRESHOLDS.failuresCount) hit(where, ts);
      }
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
