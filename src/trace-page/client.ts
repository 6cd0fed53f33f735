/**
 * The trace page of one plan: reads the plan's view from the console server (`api/plan-trace`,
 * built from the trace backend), draws its header, the moves in flight and the failed moves as
 * lists, and the Gantt (gantt.ts) with hover details. A plan still running is read again every
 * 10 s. Sets `document.body.dataset.state` to `done` or `failed` like the preview page.
 */
import { describeProgress, formatDuration } from '../trace/timeline';
import { inFlight, type MoveRow, type PlanView } from '../trace/plan-view';
import { el } from '../render/page/layout';
import { COLORS, Gantt, ROW_H } from './gantt';

export interface TracePageConfig {
  /** `planId=…` or `traceId=…`, with `spanId=…` when an exemplar opened the page. */
  query: string;
  /** Draw every row at full height (a PNG) instead of a scrolling viewport. */
  full: boolean;
  /** Caption under the header. */
  caption: string;
}

const LIVE_REFRESH_MS = 10_000;
const VIEWPORT_ROWS = 30;

const iso = (us: number) => new Date(us / 1000).toISOString().slice(0, 19).replace('T', ' ');

async function load(config: TracePageConfig): Promise<PlanView> {
  const response = await fetch(`api/plan-trace?${config.query}`);
  const body = (await response.json()) as { view?: PlanView; error?: string };
  if (!body.view) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.view;
}

function header(view: PlanView, config: TracePageConfig): HTMLElement {
  const box = el('div', 'trace-header');
  const title = el('h1', undefined, `Plan ${view.planId}`);
  const running = view.endUs === undefined;
  const outcome = el('span', `outcome ${running ? 'running' : view.outcome}`, running ? 'running' : `${view.outcome}${view.reason ? ` (${view.reason})` : ''}`);
  title.append(' ', outcome);
  const flying = inFlight(view).length;
  const failed = view.moves.filter((m) => m.failed).length;
  const facts = [
    `${view.namespace}/${view.cluster}`,
    `trigger ${view.trigger}`,
    `${view.moves.length}${view.movesPlanned === undefined ? '' : ` of ${view.movesPlanned}`} moves`,
    `${failed} failed`,
    `${flying} in flight`,
    `started ${iso(view.startUs)} UTC`,
    running ? `running for ${formatDuration(view.nowUs - view.startUs)}` : `took ${formatDuration(view.endUs! - view.startUs)}`,
  ];
  box.append(title, el('div', 'facts', facts.join('  ·  ')), el('div', 'caption', config.caption));
  return box;
}

/** The move an exemplar's span belongs to (its own span or one of its phases), said above the lists. */
function exemplarMove(view: PlanView, config: TracePageConfig): HTMLElement | undefined {
  const spanId = new URLSearchParams(config.query).get('spanId');
  if (!spanId) return undefined;
  const m = view.moves.find((row) => row.spanIds.includes(spanId));
  const box = el('div', 'exemplar-move');
  box.dataset.shard = m?.shard ?? '';
  box.textContent = m
    ? `Opened from an exemplar: move ${m.shard} from ${m.from} → ${m.to}, ${m.endUs === undefined ? `in flight for ${formatDuration(view.nowUs - m.startUs)}` : `${m.outcome} after ${formatDuration(m.endUs - m.startUs)}`}${m.failed ? ` (${m.failed})` : ''}.`
    : `Opened from an exemplar: span ${spanId} is not a move of this plan.`;
  return box;
}

function legend(): HTMLElement {
  const box = el('div', 'trace-legend');
  const item = (color: string, text: string, kind = 'swatch') => {
    const i = el('span', 'item');
    const s = el('span', kind);
    s.style.background = color;
    i.append(s, text);
    box.append(i);
  };
  item(COLORS.phases.drain, 'drain');
  item(COLORS.phases.handoff, 'handoff');
  item(COLORS.phases.verify, 'verify');
  item('repeating-linear-gradient(135deg, #5794F2 0 2px, transparent 2px 6px)', 'under way (in flight)');
  item(COLORS.failed, 'failed');
  item(COLORS.tick, 'drain report', 'tick');
  item(COLORS.event, 'plan event', 'tick');
  return box;
}

function moveList(title: string, className: string, moves: MoveRow[], line: (m: MoveRow) => string): HTMLElement | undefined {
  if (moves.length === 0) return undefined;
  const box = el('div', `move-list ${className}`);
  box.append(el('h2', undefined, `${title} (${moves.length})`));
  const list = el('ul');
  for (const m of moves.slice(0, 50)) list.append(el('li', undefined, line(m)));
  if (moves.length > 50) list.append(el('li', 'more', `… ${moves.length - 50} more`));
  box.append(list);
  return box;
}

function draw(view: PlanView, config: TracePageConfig, root: HTMLElement): void {
  root.textContent = '';
  root.append(header(view, config));
  const focus = exemplarMove(view, config);
  if (focus) root.append(focus);
  const flying = inFlight(view);
  const stuck = moveList('Moves in flight', 'in-flight', flying, (m) => {
    const phase = m.phases[m.phases.length - 1]?.phase ?? 'drain';
    return `${m.shard} from ${m.from} → ${m.to}: started ${formatDuration(view.nowUs - m.startUs)} ago, ${phase}, ${describeProgress(m, view.nowUs)}`;
  });
  const failed = moveList('Failed moves', 'failed', view.moves.filter((m) => m.failed), (m) => `${m.shard} from ${m.from} → ${m.to}: ${m.failed} after ${formatDuration((m.endUs ?? view.nowUs) - m.startUs)}`);
  const lists = el('div', 'lists');
  for (const l of [stuck, failed]) if (l) lists.append(l);
  if (lists.childElementCount) root.append(lists);

  const controls = el('div', 'trace-controls');
  const filter = el('select');
  filter.id = 'filter';
  for (const [value, text] of [['all', `all moves (${view.moves.length})`], ['flying', `in flight (${flying.length})`], ['failed', `failed (${view.moves.filter((m) => m.failed).length})`]]) {
    const o = el('option', undefined, text);
    o.value = value!;
    filter.append(o);
  }
  controls.append(legend(), filter);
  root.append(controls);

  const scroller = el('div', 'gantt-scroll');
  const spacer = el('div', 'gantt-spacer');
  const canvas = el('canvas', 'gantt');
  const tooltip = el('div', 'gantt-tooltip');
  scroller.append(canvas, spacer);
  root.append(scroller, tooltip);
  const gantt = new Gantt(canvas, view);
  const width = Math.max(900, root.clientWidth);
  let rows = view.moves;
  let first = 0;
  const viewportRows = () => (config.full ? rows.length : Math.min(rows.length, VIEWPORT_ROWS));
  const layout = () => {
    const height = gantt.axisHeight + Math.max(1, viewportRows()) * ROW_H;
    scroller.style.height = `${height}px`;
    spacer.style.height = `${Math.max(0, rows.length - viewportRows()) * ROW_H}px`;
    first = Math.min(first, Math.max(0, rows.length - viewportRows()));
    gantt.setRows(rows);
    gantt.draw(width, height, first);
  };
  filter.addEventListener('change', () => {
    rows = filter.value === 'flying' ? flying : filter.value === 'failed' ? view.moves.filter((m) => m.failed) : view.moves;
    first = 0;
    scroller.scrollTop = 0;
    layout();
  });
  scroller.addEventListener('scroll', () => {
    const next = Math.floor(scroller.scrollTop / ROW_H);
    if (next !== first) {
      first = next;
      layout();
    }
  });
  canvas.addEventListener('mousemove', (event) => {
    const r = canvas.getBoundingClientRect();
    const hit = gantt.hit(event.clientX - r.left, event.clientY - r.top, first);
    if (!hit) {
      tooltip.style.display = 'none';
      return;
    }
    const m = hit.move;
    const lines = [
      `${m.shard}: ${m.from} → ${m.to}`,
      m.endUs === undefined ? `in flight for ${formatDuration(view.nowUs - m.startUs)}; ${describeProgress(m, view.nowUs)}` : `${m.outcome} after ${formatDuration(m.endUs - m.startUs)}`,
      ...(m.failed ? [`failed: ${m.failed}`] : []),
      ...(hit.detail ? [hit.detail] : []),
    ];
    tooltip.textContent = '';
    for (const l of lines) tooltip.append(el('div', undefined, l));
    tooltip.style.display = 'block';
    tooltip.style.left = `${event.pageX + 12}px`;
    tooltip.style.top = `${event.pageY + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => (tooltip.style.display = 'none'));
  layout();
}

async function main(): Promise<void> {
  const config = JSON.parse(document.getElementById('config')!.textContent!) as TracePageConfig;
  const root = el('div', 'trace-page');
  document.body.append(root);
  const cycle = async (): Promise<void> => {
    const view = await load(config);
    draw(view, config, root);
    document.body.dataset.moves = String(view.moves.length);
    await document.fonts.ready;
    document.body.dataset.state = 'done';
    if (view.endUs === undefined && !config.full) setTimeout(() => void cycle().catch(fail), LIVE_REFRESH_MS);
  };
  await cycle();
}

function fail(error: unknown): void {
  const message = String((error as Error)?.message ?? error);
  if (!document.querySelector('.trace-error')) document.body.append(el('div', 'trace-error', `⚠ ${message}`));
  document.body.dataset.error = message;
  document.body.dataset.state = 'failed';
}

main().catch(fail);
