/**
 * A plan's trace as rows of moves: what the terminal timeline, the trace page and its PNG draw.
 * Moves still in flight are rebuilt from their start and progress markers (their own span is
 * exported only when they end) and end at `nowUs`. No Node imports: the trace page bundles it.
 */
import { ATTR, SPANS, SPAN_EVENTS } from '../schema/spans';
import type { TimelineEvent, TimelineSpan } from './model';

export type Phase = 'drain' | 'handoff' | 'verify';
const PHASES: readonly Phase[] = ['drain', 'handoff', 'verify'];
const PHASE_OF: Record<string, Phase> = { [SPANS.drain]: 'drain', [SPANS.handoff]: 'handoff', [SPANS.verify]: 'verify' };

/** The plan events the page puts on the time axis. */
export const AXIS_EVENTS: readonly string[] = [
  SPAN_EVENTS.submitted.name,
  SPAN_EVENTS.approved.name,
  SPAN_EVENTS.rejected.name,
  SPAN_EVENTS.blocked.name,
  SPAN_EVENTS.overridden.name,
  SPAN_EVENTS.started.name,
  SPAN_EVENTS.paused.name,
  SPAN_EVENTS.resumed.name,
  SPAN_EVENTS.violation.name,
];

export interface PhaseBar {
  phase: Phase;
  startUs: number;
  /** Undefined for the phase under way of a move in flight. */
  endUs: number | undefined;
  failed?: string;
}

export interface DrainTick {
  atUs: number;
  remaining: number;
  ratio: number | undefined;
}

export interface MoveRow {
  shard: string;
  from: string;
  to: string;
  startUs: number;
  /** Undefined while the move is in flight. */
  endUs: number | undefined;
  phases: PhaseBar[];
  ticks: DrainTick[];
  lastProgress: DrainTick | undefined;
  /** completed, failed, aborted, or "in flight". */
  outcome: string;
  failed: string | undefined;
  /** The move's span id (its own span, or the one its markers name as parent), then its phases'. */
  spanIds: string[];
}

export interface PlanEventMark {
  name: string;
  atUs: number;
  detail: string;
}

export interface PlanView {
  planId: string;
  traceId: string | undefined;
  trigger: string;
  namespace: string;
  cluster: string;
  movesPlanned: number | undefined;
  startUs: number;
  /** Undefined while the plan runs (its span is exported when it ends). */
  endUs: number | undefined;
  /** The plan outcome, or "running". */
  outcome: string;
  reason: string | undefined;
  events: PlanEventMark[];
  moves: MoveRow[];
  /** When the trace was read: where open bars end. */
  nowUs: number;
}

export const IN_FLIGHT = 'in flight';

const str = (v: unknown, fallback = '?') => (v === undefined ? fallback : String(v));
const num = (v: unknown) => (v === undefined || v === '' ? undefined : Number(v));

function tick(atUs: number, attributes: TimelineEvent['attributes']): DrainTick | undefined {
  const remaining = num(attributes[ATTR.drainRemaining]);
  if (remaining === undefined || !Number.isFinite(remaining)) return undefined;
  return { atUs, remaining, ratio: num(attributes[ATTR.drainRatio]) };
}

function eventDetail(event: TimelineEvent): string {
  return Object.entries(event.attributes)
    .map(([k, v]) => `${k.replace(/^meshkit\./, '')}=${v}`)
    .join(' ');
}

/** Builds the view of one plan's spans; `nowUs` ends the bars of what is still running. */
export function buildPlanView(spans: readonly TimelineSpan[], nowUs: number): PlanView {
  const plan = spans.find((s) => s.name === SPANS.plan);
  const head = plan ?? spans.find((s) => s.name === SPANS.planCreated) ?? spans[0];
  const children = new Map<string, TimelineSpan[]>();
  for (const span of spans) {
    if (!span.parentSpanId) continue;
    const list = children.get(span.parentSpanId);
    if (list) list.push(span);
    else children.set(span.parentSpanId, [span]);
  }
  // A move is keyed by its span id: its own span when it ended, else the parent of its markers.
  const moveIds = new Set<string>();
  for (const s of spans) {
    if (s.name === SPANS.move) moveIds.add(s.spanId);
    else if ((s.name === SPANS.moveStarted || s.name === SPANS.moveProgress) && s.parentSpanId) moveIds.add(s.parentSpanId);
  }
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const moves: MoveRow[] = [];
  for (const id of moveIds) {
    const move = byId.get(id);
    const kids = children.get(id) ?? [];
    const started = kids.find((k) => k.name === SPANS.moveStarted);
    const source = move ?? started;
    if (!source) continue; // progress markers alone: the start marker was lost
    const ticks: DrainTick[] = [];
    const phases: PhaseBar[] = [];
    const spanIds = [id];
    for (const k of kids) {
      const phase = PHASE_OF[k.name];
      if (phase) {
        spanIds.push(k.spanId);
        phases.push({ phase, startUs: k.startUs, endUs: k.startUs + k.durationUs, failed: k.error ? str(k.attributes[ATTR.failureReason], 'error') : undefined });
        for (const e of k.events ?? []) {
          const t = e.name === SPAN_EVENTS.drainProgress.name ? tick(e.atUs, e.attributes) : undefined;
          if (t) ticks.push(t);
        }
      } else if (k.name === SPANS.moveProgress) {
        const t = tick(k.startUs, k.attributes);
        if (t) ticks.push(t);
      }
    }
    phases.sort((a, b) => a.startUs - b.startUs);
    ticks.sort((a, b) => a.atUs - b.atUs);
    // Reports inside the drain span and the markers overlap: keep one per instant.
    const unique = ticks.filter((t, i) => i === 0 || t.atUs !== ticks[i - 1]!.atUs);
    const startUs = source.startUs;
    let endUs: number | undefined;
    let outcome = IN_FLIGHT;
    let failed: string | undefined;
    if (move) {
      endUs = move.startUs + move.durationUs;
      outcome = str(move.attributes[ATTR.moveOutcome], 'completed');
      failed = move.error ? str(move.attributes[ATTR.failureReason], 'error') : undefined;
    } else {
      const last = phases[phases.length - 1];
      const next = last ? PHASES[PHASES.indexOf(last.phase) + 1] : 'drain';
      if (next) phases.push({ phase: next, startUs: last?.endUs ?? startUs, endUs: undefined });
    }
    moves.push({
      shard: str(source.attributes[ATTR.shardId]),
      from: str(source.attributes[ATTR.fromNode]),
      to: str(source.attributes[ATTR.toNode]),
      startUs,
      endUs,
      phases,
      ticks: unique,
      lastProgress: unique[unique.length - 1],
      outcome,
      failed,
      spanIds,
    });
  }
  moves.sort((a, b) => a.startUs - b.startUs || a.shard.localeCompare(b.shard));
  const events: PlanEventMark[] = (plan?.events ?? [])
    .filter((e) => AXIS_EVENTS.includes(e.name))
    .map((e) => ({ name: e.name, atUs: e.atUs, detail: eventDetail(e) }));
  const attrs = head?.attributes ?? {};
  return {
    planId: str(attrs[ATTR.planId]),
    traceId: head?.traceId,
    trigger: str(attrs[ATTR.trigger]),
    namespace: str(attrs[ATTR.namespace], ''),
    cluster: str(attrs[ATTR.cluster], ''),
    movesPlanned: num(attrs[ATTR.movesPlanned]),
    startUs: Math.min(head?.startUs ?? Infinity, ...moves.map((m) => m.startUs)),
    endUs: plan ? plan.startUs + plan.durationUs : undefined,
    outcome: plan ? str(plan.attributes[ATTR.planOutcome], 'running') : 'running',
    reason: plan?.attributes[ATTR.failureReason] === undefined ? undefined : String(plan.attributes[ATTR.failureReason]),
    events,
    moves,
    nowUs,
  };
}

/** The moves still in flight. */
export const inFlight = (view: PlanView): MoveRow[] => view.moves.filter((m) => m.endUs === undefined);
