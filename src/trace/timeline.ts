/** The per-shard drain timeline of one plan as text: what `meshkit-rebalance-obs trace` prints. */
import type { TimelineSpan } from './model';
import { buildPlanView, inFlight, IN_FLIGHT, type MoveRow, type Phase, type PlanView } from './plan-view';

const PHASE_GLYPH: Record<Phase, string> = { drain: '█', handoff: '▓', verify: '░' };
const OPEN_GLYPH = '·';

export interface TimelineOptions {
  /** Columns of the bar area. */
  width?: number;
  /** Where the bars of what still runs end, in µs. @default now */
  nowUs?: number;
}

export function formatDuration(us: number): string {
  const s = us / 1e6;
  if (s < 1) return `${Math.round(s * 1000)}ms`;
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `last drain progress 2m05s ago: 120 left (60 % drained)`, or `no drain progress reported yet`. */
export function describeProgress(move: MoveRow, nowUs: number): string {
  const p = move.lastProgress;
  if (!p) return 'no drain progress reported yet';
  const ratio = p.ratio === undefined ? '' : ` (${Math.round(p.ratio * 100)} % drained)`;
  return `last drain progress ${formatDuration(Math.max(0, nowUs - p.atUs))} ago: ${p.remaining} left${ratio}`;
}

function headline(view: PlanView, ended: number): string {
  const scope = `${view.namespace}/${view.cluster}`;
  if (view.endUs === undefined) {
    const flying = view.moves.length - ended;
    return `plan ${view.planId}  trigger ${view.trigger}  ${scope}  ${ended} moves ended so far, ${flying} in flight  still running`;
  }
  return (
    `plan ${view.planId}  trigger ${view.trigger}  ${scope}  ${view.moves.length} moves  ${formatDuration(view.endUs - view.startUs)}  ` +
    `${view.outcome}${view.reason ? ` (${view.reason})` : ''}`
  );
}

/** A per-shard drain timeline: one row per move, a bar per phase on one time axis, moves in flight listed under it. */
export function renderTimeline(spans: TimelineSpan[], options: TimelineOptions = {}): string {
  const nowUs = options.nowUs ?? Date.now() * 1000;
  return renderPlanView(buildPlanView(spans, nowUs), options.width);
}

export function renderPlanView(view: PlanView, widthOption = 60): string {
  const width = Math.max(20, widthOption);
  const rows = view.moves;
  const flying = inFlight(view);
  const lines = [headline(view, rows.length - flying.length)];
  if (rows.length === 0) {
    lines.push('no shard moves in this trace');
    return lines.join('\n');
  }
  const t0 = Math.min(view.startUs, ...rows.map((r) => r.startUs));
  const t1 = Math.max(view.endUs ?? -Infinity, ...rows.map((r) => r.endUs ?? view.nowUs));
  const span = Math.max(1, t1 - t0);
  const col = (t: number) => Math.max(0, Math.min(width - 1, Math.floor(((t - t0) / span) * width)));
  const shardWidth = Math.min(24, Math.max(5, ...rows.map((r) => r.shard.length)));
  const routeWidth = Math.min(28, Math.max(5, ...rows.map((r) => `${r.from} → ${r.to}`.length)));
  const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

  lines.push(`${'shard'.padEnd(shardWidth)}  ${'from → to'.padEnd(routeWidth)}  ${axis(width, span)}  drain / handoff / verify`);
  for (const row of rows) {
    const bar = Array.from({ length: width }, () => ' ');
    for (const p of row.phases) {
      const glyph = p.endUs === undefined ? OPEN_GLYPH : PHASE_GLYPH[p.phase];
      for (let c = col(p.startUs); c <= col(p.endUs ?? view.nowUs); c++) bar[c] = glyph;
    }
    if (row.failed) bar[col(row.endUs ?? view.nowUs)] = '✗';
    const durations = (['drain', 'handoff', 'verify'] as const)
      .map((phase) => {
        const p = row.phases.find((x) => x.phase === phase);
        return p ? `${formatDuration((p.endUs ?? view.nowUs) - p.startUs)}${p.endUs === undefined ? '…' : ''}` : '-';
      })
      .join(' / ');
    const mark = row.failed ? `  ✗ ${row.failed}` : row.outcome === 'completed' ? '' : `  ${row.outcome}`;
    lines.push(`${pad(row.shard, shardWidth)}  ${pad(`${row.from} → ${row.to}`, routeWidth)} |${bar.join('')}| ${durations}${mark}`);
  }
  lines.push(`${''.padEnd(shardWidth + routeWidth + 4)}${PHASE_GLYPH.drain} drain  ${PHASE_GLYPH.handoff} handoff  ${PHASE_GLYPH.verify} verify  ${OPEN_GLYPH} under way  ✗ failed`);
  if (flying.length > 0) {
    lines.push('', `${flying.length} ${flying.length === 1 ? 'move' : 'moves'} ${IN_FLIGHT}:`);
    const fromWidth = Math.min(28, Math.max(...flying.map((m) => m.from.length)));
    for (const m of flying) {
      const phase = m.phases[m.phases.length - 1]?.phase ?? 'drain';
      lines.push(
        `  ${pad(m.shard, shardWidth)}  from ${pad(m.from, fromWidth)}  started ${formatDuration(Math.max(0, view.nowUs - m.startUs))} ago  ${phase}  ${describeProgress(m, view.nowUs)}`,
      );
    }
  }
  return lines.join('\n');
}

function axis(width: number, spanUs: number): string {
  const left = '0';
  const right = formatDuration(spanUs);
  return `|${left}${' '.repeat(Math.max(1, width - left.length - right.length))}${right}|`;
}
