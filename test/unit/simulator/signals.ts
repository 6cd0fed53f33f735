/**
 * Reads an OpenMetrics history and evaluates, directly on its samples, the condition each alert
 * signal needs. Deliberately independent of src/alerting: it checks what the simulator produced,
 * not what a rule makes of it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { LABELS, METRICS } from '../../../src';
import type { AlertSignal } from '../../../src/simulator/scenarios';

export interface HSample {
  labels: Record<string, string>;
  value: number;
  /** Seconds. */
  ts: number;
}

const WANTED = {
  planState: METRICS.planState.name,
  lastProgress: METRICS.planLastProgress.name,
  inFlight: METRICS.shardsInFlight.name,
  maxMoves: METRICS.maxConcurrentMoves.name,
  moveFailures: METRICS.moveFailures.name,
  heartbeat: METRICS.heartbeat.name,
  leader: METRICS.leader.name,
  violations: METRICS.policyViolations.name,
  oldestPending: METRICS.approvalOldestPending.name,
  rejected: METRICS.rejected.name,
  state: METRICS.state.name,
  shardsOwned: METRICS.shardsOwned.name,
  forecast: METRICS.planForecastCompletion.name,
  deadline: METRICS.planDeadline.name,
  startedOverLimit: METRICS.movesStartedOverLimit.name,
  flaps: METRICS.shardFlaps.name,
} as const;
export type Wanted = keyof typeof WANTED;

export interface History {
  samples: Record<Wanted, HSample[]>;
  firstTs: number;
  lastTs: number;
  lines: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+) (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every family the signals read; `shardsOwned` is the bulky one, kept only when asked for. */
export const SIGNAL_FAMILIES: readonly Wanted[] = (Object.keys(WANTED) as Wanted[]).filter((k) => k !== 'shardsOwned');

/** Streams `file` and keeps the samples of `families` (by default those the signals read). */
export function readHistory(file: string, families: readonly Wanted[] = SIGNAL_FAMILIES): History {
  const byName = new Map<string, Wanted>(families.map((k) => [WANTED[k], k]));
  const samples = Object.fromEntries(Object.keys(WANTED).map((k) => [k, []])) as unknown as Record<Wanted, HSample[]>;
  let firstTs = Infinity;
  let lastTs = -Infinity;
  let lines = 0;
  forEachLine(file, (line) => {
    lines++;
    if (line.startsWith('#')) return;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    const name = line.slice(0, brace >= 0 && brace < space ? brace : space);
    const key = byName.get(name);
    if (!key) return;
    const m = LINE.exec(line);
    if (!m) throw new Error(`unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2];
    const ts = Number(m[4]);
    if (ts < firstTs) firstTs = ts;
    if (ts > lastTs) lastTs = ts;
    samples[key].push({ labels, value: Number(m[3]), ts });
  });
  return { samples, firstTs, lastTs, lines };
}

export function forEachLine(file: string, onLine: (line: string) => void): void {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const text = rest + buffer.toString('utf8', 0, n);
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    }
    if (rest) onLine(rest);
  } finally {
    closeSync(fd);
  }
}

const NS = LABELS.namespace.name;
const CLUSTER = LABELS.cluster.name;
const scope = (s: HSample) => `${s.labels[CLUSTER]}/${s.labels[NS]}`;
const at = (s: HSample) => `${s.labels.instance}@${s.ts}`;

/** Where each signal shows: alert → set of `cluster/namespace`. */
export type Signals = Map<AlertSignal, Set<string>>;

export const THRESHOLDS = {
  stuckSeconds: 15 * 60,
  excessiveSeconds: 5 * 60,
  failuresWindowSeconds: 15 * 60,
  failuresCount: 3,
  heartbeatIntervalSeconds: 5,
  heartbeatMissed: 3,
  backlogSeconds: 30 * 60,
  overLimitWindowSeconds: 15 * 60,
  drainBudgetSeconds: 30 * 60,
  overrunForSeconds: 10 * 60,
  flapWindowSeconds: 60 * 60,
  flapCount: 5,
};

/**
 * Per `cluster/namespace`, per scrape timestamp: how much the counter samples rose within the
 * `windowSeconds` before it, summed over their series (label sets) and controllers. Counters here are
 * pre-initialised, so a window reaching before a series' first sample starts from 0.
 */
export function increasesWithin(samples: readonly HSample[], windowSeconds: number): Map<string, Map<number, number>> {
  const totals = new Map<string, Map<number, number>>(); // instance → ts → sum over label sets
  const scopes = new Map<string, string>();
  for (const s of samples) {
    const key = s.labels.instance;
    scopes.set(key, scope(s));
    if (!totals.has(key)) totals.set(key, new Map());
    const m = totals.get(key)!;
    m.set(s.ts, (m.get(s.ts) ?? 0) + s.value);
  }
  const increases = new Map<string, Map<number, number>>();
  for (const [instance, byTs] of totals) {
    const points = [...byTs.entries()].sort((a, b) => a[0] - b[0]);
    let j = 0;
    for (let i = 0; i < points.length; i++) {
      while (points[j][0] < points[i][0] - windowSeconds) j++;
      const base = j === 0 && points[0][0] > points[i][0] - windowSeconds ? 0 : points[Math.max(0, j - 1)][1];
      const where = scopes.get(instance)!;
      if (!increases.has(where)) increases.set(where, new Map());
      const m = increases.get(where)!;
      m.set(points[i][0], (m.get(points[i][0]) ?? 0) + points[i][1] - base);
    }
  }
  return increases;
}

/**
 * The leader's samples at which the moves in flight stayed above the highest limit of the drain
 * budget before them, on every sample of it, while no move was started over the limit within it.
 */
export function aboveLoweredLimit(h: History, isLeader: (s: HSample) => boolean): HSample[] {
  const budget = THRESHOLDS.drainBudgetSeconds;
  const byInstance = (samples: readonly HSample[]) => {
    const out = new Map<string, HSample[]>();
    for (const s of samples) {
      if (!out.has(s.labels.instance)) out.set(s.labels.instance, []);
      out.get(s.labels.instance)!.push(s);
    }
    for (const list of out.values()) list.sort((a, b) => a.ts - b.ts);
    return out;
  };
  const limits = byInstance(h.samples.maxMoves);
  const starts = increasesWithin(h.samples.startedOverLimit, budget);
  const hits: HSample[] = [];
  for (const [instance, inFlight] of byInstance(h.samples.inFlight)) {
    const limit = limits.get(instance) ?? [];
    for (const s of inFlight) {
      if (!isLeader(s)) continue;
      const inWindow = (x: HSample) => x.ts > s.ts - budget && x.ts <= s.ts;
      const lims = limit.filter(inWindow);
      if (lims.length === 0) continue;
      const highest = Math.max(...lims.map((x) => x.value));
      if (!inFlight.filter(inWindow).every((x) => x.value > highest)) continue;
      if ((starts.get(scope(s))?.get(s.ts) ?? 0) > 0) continue;
      hits.push(s);
    }
  }
  return hits;
}

/**
 * The leader's executing-plan samples at which the plan's forecast was past its deadline (or the
 * deadline past, before any forecast), continuously for the rule's `for`.
 */
export function overrunning(h: History, isLeader: (s: HSample) => boolean): HSample[] {
  const key = (s: HSample) => `${at(s)}/${s.labels.plan_id}`;
  const forecast = new Map(h.samples.forecast.map((s) => [key(s), s.value] as const));
  const deadline = new Map(h.samples.deadline.map((s) => [key(s), s.value] as const));
  const since = new Map<string, number>();
  const hits: HSample[] = [];
  for (const s of [...h.samples.planState].sort((a, b) => a.ts - b.ts)) {
    if (s.labels.state !== 'executing' || s.value !== 1) continue;
    const plan = `${s.labels.instance}/${s.labels.plan_id}`;
    const due = deadline.get(key(s));
    const eta = forecast.get(key(s)) ?? s.ts;
    if (due === undefined || !isLeader(s) || eta <= due) {
      since.delete(plan);
      continue;
    }
    if (!since.has(plan)) since.set(plan, s.ts);
    if (s.ts - since.get(plan)! >= THRESHOLDS.overrunForSeconds) hits.push(s);
  }
  return hits;
}

export function evaluateSignals(h: History): Signals {
  const out: Signals = new Map();
  const hit = (signal: AlertSignal, where: string) => {
    if (!out.has(signal)) out.set(signal, new Set());
    out.get(signal)!.add(where);
  };
  const leaderAt = new Map<string, number>();
  for (const s of h.samples.leader) leaderAt.set(at(s), s.value);
  const isLeader = (s: HSample) => leaderAt.get(at(s)) === 1;

  // stuck plan: executing, last progress more than 15 min before the sample
  const progress = new Map<string, number>();
  for (const s of h.samples.lastProgress) progress.set(`${at(s)}/${s.labels.plan_id}`, s.value);
  for (const s of h.samples.planState) {
    if (s.labels.state !== 'executing' || s.value !== 1 || !isLeader(s)) continue;
    const last = progress.get(`${at(s)}/${s.labels.plan_id}`);
    if (last !== undefined && s.ts - last > THRESHOLDS.stuckSeconds) hit('MeshKitRebalancePlanStuck', scope(s));
  }

  // excessive concurrency: a move started while the moves in flight were at or above the limit, within 15 min
  for (const [where, byTs] of increasesWithin(h.samples.startedOverLimit, THRESHOLDS.overLimitWindowSeconds)) {
    for (const v of byTs.values()) if (v > 0) hit('MeshKitRebalanceExcessiveConcurrentMoves', where);
  }

  // moves above a lowered limit: above it for the whole drain budget, none started over it
  for (const s of aboveLoweredLimit(h, isLeader)) hit('MeshKitRebalanceMovesAboveLoweredLimit', scope(s));

  // repeated failures: ≥ 3 move failures within 15 min in one namespace/cluster
  for (const [where, byTs] of increasesWithin(h.samples.moveFailures, THRESHOLDS.failuresWindowSeconds)) {
    for (const v of byTs.values()) if (v >= THRESHOLDS.failuresCount) hit('MeshKitRebalanceRepeatedFailures', where);
  }

  // plan overrun: an executing plan's forecast past its deadline for 10 min
  for (const s of overrunning(h, isLeader)) hit('MeshKitRebalancePlanOverrun', scope(s));

  // shard flapping: ≥ 5 flaps within 1 h in one namespace/cluster
  for (const [where, byTs] of increasesWithin(h.samples.flaps, THRESHOLDS.flapWindowSeconds)) {
    for (const v of byTs.values()) if (v >= THRESHOLDS.flapCount) hit('MeshKitRebalanceShardFlapping', where);
  }

  // heartbeat: the leader's heartbeat older than 3 intervals when collected, or its series stopped
  const lastSeen = new Map<string, HSample>();
  for (const s of h.samples.heartbeat) {
    if (isLeader(s) && s.ts - s.value > THRESHOLDS.heartbeatIntervalSeconds * THRESHOLDS.heartbeatMissed) {
      hit('MeshKitRebalanceControllerHeartbeatMissing', scope(s));
    }
    const prev = lastSeen.get(s.labels.instance);
    if (!prev || s.ts >= prev.ts) lastSeen.set(s.labels.instance, s);
  }
  for (const s of lastSeen.values()) {
    if (s.ts < h.lastTs - 60) hit('MeshKitRebalanceControllerHeartbeatMissing', scope(s));
  }

  // policy violation: a block-action violation counter increases
  const previous = new Map<string, number>();
  for (const s of [...h.samples.violations].sort((a, b) => a.ts - b.ts)) {
    if (s.labels.action !== 'block') continue;
    const key = `${s.labels.instance}/${s.labels.policy}`;
    const before = previous.get(key) ?? 0;
    if (s.value > before) hit('MeshKitRebalancePolicyViolation', scope(s));
    previous.set(key, s.value);
  }

  // approval backlog: the oldest pending plan was submitted more than 30 min before the sample
  for (const s of h.samples.oldestPending) {
    if (isLeader(s) && s.ts - s.value > THRESHOLDS.backlogSeconds) hit('MeshKitRebalanceApprovalBacklog', scope(s));
  }
  return out;
}

/** Sum of the SDK's rejection counter at the end of the history (must be 0: the simulator calls hooks legally). */
export function rejectedCalls(h: History): number {
  const last = new Map<string, number>();
  for (const s of h.samples.rejected) last.set(`${s.labels.instance}/${s.labels.hook}/${s.labels.reason}`, s.value);
  let total = 0;
  for (const v of last.values()) total += v;
  return total;
}
