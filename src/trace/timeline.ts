import { ATTR, SPANS } from '../schema/spans';
import { MOVE_PHASES } from '../schema/enums';
import type { TimelineSpan } from './model';

const PHASE_SPAN: Record<string, (typeof MOVE_PHASES)[number]> = { [SPANS.drain]: 'drain', [SPANS.handoff]: 'handoff', [SPANS.verify]: 'verify' };
const PHASE_GLYPH: Record<(typeof MOVE_PHASES)[number], string> = { drain: '█', handoff: '▓', verify: '░' };

export interface TimelineOptions {
  /** Columns of the bar area. */
  width?: number;
}

interface MoveRow {
  shard: string;
  route: string;
  start: number;
  end: number;
  phases: { phase: (typeof MOVE_PHASES)[number]; start: number; end: number }[];
  failed: string | undefined;
  outcome: string;
}

export function formatDuration(us: number): string {
  const s = us / 1e6;
  if (s < 1) return `${Math.round(s * 1000)}ms`;
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

function moveRows(spans: TimelineSpan[]): MoveRow[] {
  const children = new Map<string, TimelineSpan[]>();
  for (const span of spans) {
    if (!span.parentSpanId) continue;
    const list = children.get(span.parentSpanId) ?? [];
    list.push(span);
    children.set(span.parentSpanId, list);
  }
  return spans
    .filter((s) => s.name === SPANS.move)
    .map((move) => {
      const phases = (children.get(move.spanId) ?? [])
        .filter((c) => PHASE_SPAN[c.name])
        .map((c) => ({ phase: PHASE_SPAN[c.name], start: c.startUs, end: c.startUs + c.durationUs }))
        .sort((a, b) => a.start - b.start);
      return {
        shard: String(move.attributes[ATTR.shardId] ?? '?'),
        route: `${move.attributes[ATTR.fromNode] ?? '?'} → ${move.attributes[ATTR.toNode] ?? '?'}`,
        start: move.startUs,
        end: move.startUs + move.durationUs,
        phases,
        failed: move.error ? String(move.attributes[ATTR.failureReason] ?? 'error') : undefined,
        outcome: String(move.attributes[ATTR.moveOutcome] ?? (move.durationUs ? 'completed' : 'running')),
      };
    })
    .sort((a, b) => a.start - b.start || a.shard.localeCompare(b.shard));
}

/** A per-shard drain timeline: one row per move, a bar per phase on one time axis. */
export function renderTimeline(spans: TimelineSpan[], options: TimelineOptions = {}): string {
  const width = Math.max(20, options.width ?? 60);
  const plan = spans.find((s) => s.name === SPANS.plan);
  const marker = spans.find((s) => s.name === SPANS.planCreated);
  const rows = moveRows(spans);
  const lines: string[] = [];
  if (!plan && marker) {
    // A live plan: its own span arrives when it ends; moves show as they end.
    lines.push(
      `plan ${marker.attributes[ATTR.planId]}  trigger ${marker.attributes[ATTR.trigger] ?? '?'}  ${marker.attributes[ATTR.namespace] ?? ''}/${marker.attributes[ATTR.cluster] ?? ''}  ` +
        `${rows.length} moves ended so far  still running (moves in flight appear when they end)`,
    );
  }
  if (plan) {
    const outcome = plan.attributes[ATTR.planOutcome] ?? 'running';
    const reason = plan.attributes[ATTR.failureReason];
    lines.push(
      `plan ${plan.attributes[ATTR.planId]}  trigger ${plan.attributes[ATTR.trigger] ?? '?'}  ${plan.attributes[ATTR.namespace] ?? ''}/${plan.attributes[ATTR.cluster] ?? ''}  ` +
        `${rows.length} moves  ${formatDuration(plan.durationUs)}  ${outcome}${reason ? ` (${reason})` : ''}`,
    );
  }
  if (rows.length === 0) {
    lines.push('no shard moves in this trace');
    return lines.join('\n');
  }
  const t0 = Math.min(...rows.map((r) => r.start), plan?.startUs ?? Infinity);
  const t1 = Math.max(...rows.map((r) => r.end), plan ? plan.startUs + plan.durationUs : -Infinity);
  const span = Math.max(1, t1 - t0);
  const col = (t: number) => Math.min(width - 1, Math.floor(((t - t0) / span) * width));
  const shardWidth = Math.min(24, Math.max(5, ...rows.map((r) => r.shard.length)));
  const routeWidth = Math.min(28, Math.max(5, ...rows.map((r) => r.route.length)));
  const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

  lines.push(`${'shard'.padEnd(shardWidth)}  ${'from → to'.padEnd(routeWidth)}  ${axis(width, span)}  drain / handoff / verify`);
  for (const row of rows) {
    const bar = Array.from({ length: width }, () => ' ');
    for (const p of row.phases) {
      for (let c = col(p.start); c <= col(p.end); c++) bar[c] = PHASE_GLYPH[p.phase];
    }
    if (row.failed) bar[col(row.end)] = '✗';
    const durations = MOVE_PHASES.map((phase) => {
      const p = row.phases.find((x) => x.phase === phase);
      return p ? formatDuration(p.end - p.start) : '-';
    }).join(' / ');
    const mark = row.failed ? `  ✗ ${row.failed}` : row.outcome === 'completed' ? '' : `  ${row.outcome}`;
    lines.push(`${pad(row.shard, shardWidth)}  ${pad(row.route, routeWidth)} |${bar.join('')}| ${durations}${mark}`);
  }
  lines.push(`${''.padEnd(shardWidth + routeWidth + 4)}${PHASE_GLYPH.drain} drain  ${PHASE_GLYPH.handoff} handoff  ${PHASE_GLYPH.verify} verify  ✗ failed`);
  return lines.join('\n');
}

function axis(width: number, spanUs: number): string {
  const left = '0';
  const right = formatDuration(spanUs);
  return `|${left}${' '.repeat(Math.max(1, width - left.length - right.length))}${right}|`;
}
