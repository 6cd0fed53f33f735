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
};

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

  // excessive concurrency: in flight above the limit, continuously, for more than 5 min
  const limit = new Map<string, number>();
  for (const s of h.samples.maxMoves) limit.set(at(s), s.value);
  const runs = new Map<string, number>();
  for (const s of [...h.samples.inFlight].sort((a, b) => a.ts - b.ts)) {
    const key = s.labels.instance;
    const max = limit.get(at(s));
    if (max !== undefined && s.value > max && isLeader(s)) {
      if (!runs.has(key)) runs.set(key, s.ts);
      if (s.ts - runs.get(key)! >= THRESHOLDS.excessiveSeconds) hit('MeshKitRebalanceExcessiveConcurrentMoves', scope(s));
    } else {
      runs.delete(key);
    }
  }

  // repeated failures: ≥ 3 move failures within 15 min in one namespace/cluster
  const totals = new Map<string, Map<number, number>>(); // instance → ts → sum over reasons
  const scopes = new Map<string, string>();
  for (const s of h.samples.moveFailures) {
    const key = s.labels.instance;
    scopes.set(key, scope(s));
    if (!totals.has(key)) totals.set(key, new Map());
    const m = totals.get(key)!;
    m.set(s.ts, (m.get(s.ts) ?? 0) + s.value);
  }
  const increases = new Map<string, Map<number, number>>(); // scope → ts → increase within the window
  for (const [instance, byTs] of totals) {
    const points = [...byTs.entries()].sort((a, b) => a[0] - b[0]);
    let j = 0;
    for (let i = 0; i < points.length; i++) {
      while (points[j][0] < points[i][0] - THRESHOLDS.failuresWindowSeconds) j++;
      // the series starts at 0 (pre-initialised), so a window reaching before it starts from 0
      const base = j === 0 && points[0][0] > points[i][0] - THRESHOLDS.failuresWindowSeconds ? 0 : points[Math.max(0, j - 1)][1];
      const where = scopes.get(instance)!;
      if (!increases.has(where)) increases.set(where, new Map());
      const m = increases.get(where)!;
      m.set(points[i][0], (m.get(points[i][0]) ?? 0) + points[i][1] - base);
    }
  }
  for (const [where, byTs] of increases) {
    for (const v of byTs.values()) if (v >= THRESHOLDS.failuresCount) hit('MeshKitRebalanceRepeatedFailures', where);
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
