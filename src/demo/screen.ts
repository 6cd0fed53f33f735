/**
 * The demo's terminal output: a frame redrawn in place on a terminal (table per namespace/cluster,
 * what to watch for, alert events), or, when stdout is not a terminal, one line per alert event and
 * a summary line now and then.
 */
import type { Cue } from './tour';
import type { ActiveAlert, ScopeStatus, Snapshot } from './status';

export type AlertChange = 'pending' | 'firing' | 'resolved';

export interface AlertEvent {
  /** Demo time, ms after the start. */
  atMs: number;
  change: AlertChange;
  alert: ActiveAlert;
}

/** Turns successive alert lists into events: pending, firing, resolved (gone from the list). */
export class AlertTracker {
  private readonly active = new Map<string, ActiveAlert>();
  /** Alerts active before the tour began, ignored until they are gone once. */
  private readonly earlier = new Set<string>();
  readonly events: AlertEvent[] = [];

  /** Alerts active before the tour began (a reused stack's earlier data): they make no events. */
  baseline(alerts: readonly ActiveAlert[]): void {
    for (const alert of alerts) this.earlier.add(alert.key);
  }

  /** How many alerts from before the tour are still active. */
  get earlierActive(): number {
    return this.earlier.size;
  }

  update(alerts: readonly ActiveAlert[], atMs: number): AlertEvent[] {
    const fresh: AlertEvent[] = [];
    const seen = new Set<string>();
    for (const alert of alerts) {
      seen.add(alert.key);
      if (this.earlier.has(alert.key)) continue;
      const before = this.active.get(alert.key);
      if (!before || before.state !== alert.state) fresh.push({ atMs, change: alert.state, alert });
      this.active.set(alert.key, alert);
    }
    for (const key of this.earlier) if (!seen.has(key)) this.earlier.delete(key);
    for (const [key, alert] of this.active) {
      if (seen.has(key)) continue;
      this.active.delete(key);
      fresh.push({ atMs, change: 'resolved', alert });
    }
    this.events.push(...fresh);
    return fresh;
  }

  /** When the cue was seen: its alert in its scope changed as the cue says (a firing alert also counts as pending). */
  seenAt(cue: Cue): number | undefined {
    const match = this.events.find(
      (e) => e.alert.alertname === cue.alert && e.alert.scope === cue.scope && (e.change === cue.change || (cue.change === 'pending' && e.change === 'firing')),
    );
    return match?.atMs;
  }

  counts(): Record<AlertChange, number> {
    const counts: Record<AlertChange, number> = { pending: 0, firing: 0, resolved: 0 };
    for (const e of this.events) counts[e.change]++;
    return counts;
  }
}

export interface FrameModel {
  elapsedMs: number;
  durationMs: number;
  /** One line under the title: where the figures come from. */
  source: string;
  scopes: readonly string[];
  snapshot: Snapshot | undefined;
  /** How long ago the snapshot was taken. */
  snapshotAgeMs: number;
  cues: readonly Cue[];
  tracker: AlertTracker;
  /** Shown instead of alert events when nothing evaluates rules. */
  noAlertsReason?: string;
  /** A line about a part of the stack that is not up yet (the trace backend still building). */
  stackNote?: string;
}

const SHORT = (alertname: string) => alertname.replace(/^MeshKitRebalance/, '');

export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Plan states in few letters, for a narrow terminal. */
const SHORT_STATES: Readonly<Record<string, string>> = { pending_approval: 'awaiting', executing: 'exec' };

function plansText(status: ScopeStatus, short = false): string {
  const parts = Object.entries(status.plans)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, n]) => `${short ? (SHORT_STATES[state] ?? state) : state} ${n}`);
  return parts.length > 0 ? parts.join(', ') : status.leader ? 'none live' : '';
}

function movesText(status: ScopeStatus, withBar: boolean): string {
  if (status.inFlight === undefined) return '';
  const limit = status.limit;
  const figures = `${String(Math.round(status.inFlight)).padStart(3)} / ${limit === undefined ? '?' : String(limit).padEnd(3)}`;
  if (!limit) return figures;
  if (!withBar) return `${figures}${status.inFlight > limit ? ' OVER LIMIT' : ''}`;
  const width = 10;
  const filled = Math.min(width, Math.round((status.inFlight / limit) * width));
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  return `${figures} ${bar}${status.inFlight > limit ? ' OVER LIMIT' : ''}`;
}

function alertsText(scope: string, alerts: readonly ActiveAlert[] | undefined): string {
  if (!alerts) return '';
  const names = new Map<string, 'pending' | 'firing'>();
  for (const a of alerts) {
    if (a.scope !== scope) continue;
    const name = SHORT(a.alertname);
    if (names.get(name) !== 'firing') names.set(name, a.state);
  }
  return [...names].map(([name, state]) => (state === 'firing' ? `FIRING ${name}` : `pending ${name}`)).join(', ');
}

function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

export interface Frame {
  lines: string[];
  /** Indices of the heading lines. */
  headings: Set<number>;
}

/** The frame's lines, each at most `width` columns, at most `height` lines. */
export function renderFrame(model: FrameModel, width: number, height: number): Frame {
  const { snapshot, tracker } = model;
  const title =
    `MeshKit rebalancer demo  ${clock(model.elapsedMs)} / ${clock(model.durationMs)}` +
    `   ${model.scopes.length} namespaces in ${new Set(model.scopes.map((s) => s.split('/')[0])).size} clusters   Ctrl-C ends it early`;
  const head = [title, model.source];
  if (model.stackNote) head.push(model.stackNote);
  if (snapshot?.error) head.push(`!! ${snapshot.error}`);
  else if (!snapshot) head.push('waiting for the first figures…');
  else if (model.snapshotAgeMs > 5000) head.push(`figures from ${Math.round(model.snapshotAgeMs / 1000)} s ago`);

  // On a narrow terminal, drop detail until the table fits: the heartbeat age, the moves done, the
  // bar, the leader, then the long state names.
  let grid: string[] = [];
  for (let compact = 0; compact <= 5; compact++) {
    const rows = model.scopes.map((scope) => {
      const s = snapshot?.scopes.get(scope);
      const beat = compact < 1 && s?.heartbeatAge !== undefined ? ` (beat ${Math.round(s.heartbeatAge)}s ago)` : '';
      const leader = s?.leader ? `${s.leader.slice(s.leader.lastIndexOf('.') + 1)}${beat}` : snapshot ? 'no data' : '';
      const done = s?.completed5m !== undefined ? `${s.completed5m} / ${s.failed5m ?? 0}` : '';
      return [
        scope,
        ...(compact < 4 ? [leader] : []),
        plansText(s ?? emptyStatus(scope), compact >= 5),
        s ? movesText(s, compact < 3) : '',
        ...(compact < 2 ? [done] : []),
        alertsText(scope, snapshot?.alerts),
      ];
    });
    const headers = [
      'NAMESPACE',
      ...(compact < 4 ? ['LEADER'] : []),
      compact < 5 ? 'LIVE PLANS BY STATE' : 'LIVE PLANS',
      compact < 3 ? 'MOVES IN FLIGHT / LIMIT' : 'MOVES / LIMIT',
      ...(compact < 2 ? ['DONE / FAILED (5m)'] : []),
      'ALERTS',
    ];
    grid = table(headers, rows);
    if (Math.max(...grid.map((l) => [...l].length)) <= width) break;
  }

  const cues = model.cues.map((cue) => {
    const seen = tracker.seenAt(cue);
    const mark = seen !== undefined ? `✓ ${clock(seen)}` : model.elapsedMs > cue.atMs + 60_000 ? `✗ ${clock(cue.atMs)}` : `  ${clock(cue.atMs)}`;
    const what = `${SHORT(cue.alert)} ${cue.change === 'firing' ? 'fires' : cue.change === 'resolved' ? 'resolves' : 'pending'}`;
    return ` ${mark.padEnd(7)} ${cue.scope.padEnd(20)} ${what.padEnd(36)} ${cue.text}`;
  });

  const events = tracker.events.map((e) => {
    const change = e.change === 'firing' ? 'FIRING' : e.change === 'resolved' ? 'RESOLVED' : 'PENDING';
    return ` ${clock(e.atMs).padStart(5)}  ${change.padEnd(8)}  ${SHORT(e.alert.alertname).padEnd(26)} ${(e.alert.scope ?? '').padEnd(20)} ${[e.alert.detail, e.alert.severity].filter(Boolean).join('  ')}`;
  });

  const headings = new Set<number>([0]);
  const lines = [...head, ''];
  headings.add(lines.length);
  lines.push(...grid, '');
  if (cues.length > 0) {
    headings.add(lines.length);
    lines.push(`WHAT TO WATCH FOR (time after the start; ✓ and the time Prometheus showed it)`, ...cues, '');
  }
  headings.add(lines.length);
  if (model.noAlertsReason) {
    lines.push('ALERTS', ` ${model.noAlertsReason}`);
  } else {
    const room = Math.max(1, height - lines.length - 1);
    const shown = events.length > room ? events.slice(events.length - room) : events;
    const earlier = tracker.earlierActive > 0 ? `; ${tracker.earlierActive} active from before the tour not shown` : '';
    lines.push(`ALERT EVENTS (Prometheus /api/v1/alerts${earlier})${events.length > shown.length ? `, the last ${shown.length} of ${events.length}` : ''}`);
    lines.push(...(shown.length > 0 ? shown : [' none yet']));
  }
  return { lines: lines.slice(0, Math.max(1, height)).map((line) => fit(line, width)), headings };
}

function emptyStatus(scope: string): ScopeStatus {
  return { scope, leader: undefined, plans: {}, inFlight: undefined, limit: undefined, heartbeatAge: undefined, completed5m: undefined, failed5m: undefined };
}

/** Cuts a line to `width` columns (every character the frame uses is one column wide). */
export function fit(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

const COLORS: [RegExp, string][] = [
  [/\bFIRING\b|OVER LIMIT|✗|!!/g, '\x1b[31;1m'],
  [/\bPENDING\b|\bpending\b/g, '\x1b[33m'],
  [/\bRESOLVED\b|✓/g, '\x1b[32m'],
];

/** ANSI colours for the words that matter; applied after `fit`, so widths stay right. */
export function colorize(line: string, index: number, headings: ReadonlySet<number>): string {
  let out = line;
  for (const [pattern, code] of COLORS) out = out.replace(pattern, (m) => `${code}${m}\x1b[0m`);
  return headings.has(index) ? `\x1b[1m${out}\x1b[0m` : out;
}

/** Redraws a frame in place: moves the cursor back over the previous frame and clears below it. */
export class LiveScreen {
  private drawn = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly color: boolean,
  ) {
    out.on('resize', this.onResize);
  }

  get width(): number {
    return Math.max(40, (this.out.columns || 120) - 1);
  }

  get height(): number {
    return Math.max(10, (this.out.rows || 50) - 1);
  }

  draw({ lines, headings }: Frame): void {
    const body = lines.map((l, i) => (this.color ? colorize(l, i, headings) : l)).join('\n');
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
    this.out.write(`${up}\x1b[J${body}\n`);
    this.drawn = lines.length;
  }

  /** Leaves the last frame on screen; later output goes below it. */
  close(): void {
    this.out.off('resize', this.onResize);
    this.drawn = 0;
  }

  private readonly onResize = () => {
    // Old lines may have wrapped: start over at the top of a clear screen.
    this.out.write('\x1b[2J\x1b[H');
    this.drawn = 0;
  };
}
