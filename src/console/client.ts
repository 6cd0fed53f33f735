/**
 * The live console page: the exec and on-call dashboards drawn by the preview renderer against the
 * running Prometheus, redrawn on the dashboard's refresh interval, with a time picker and the
 * namespace and cluster variables. The state is in the address (`?view=oncall&from=now-1h&
 * refresh=30s&namespace=orders`), so a link shows the same thing. Sets `document.body.dataset.state`
 * to `done` (or `failed`) after each drawing and counts them in `data-draws`. The namespace and
 * cluster variables are multi-value with All, as in the dashboards (`&namespace=a&namespace=b`), and
 * exemplars on the duration heatmaps link to the trace page of their trace.
 */
import { drawDashboard } from '../render/page/dashboard';
import { el } from '../render/page/layout';
import type { Dashboard, PreviewConfig } from '../render/page/model';
import { prom } from '../render/page/query';
import { substituteVariables } from '../render/variables';
import { multiSelect, regexValue } from './variables';

export interface ConsoleView {
  key: string;
  /** The generated file the dashboard comes from (dashboards/…json). */
  file: string;
  dashboard: Dashboard & { refresh?: string; time?: { from: string; to: string } };
}

export interface ConsoleConfig {
  views: ConsoleView[];
  scrapeIntervalMs: number;
  traceLink: string;
  /** The trace page by trace id, for exemplars (`trace?traceId=`). */
  exemplarLink: string;
}

const RANGES = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '24h'];
const REFRESHES = ['off', '5s', '10s', '30s', '1m', '5m'];
/** The variables the console lets you pick (several values, or All); the others are All. */
const PICKED = ['namespace', 'cluster'];

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const durationMs = (text: string): number | undefined => {
  const m = /^(\d+)([smhd])$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
};

interface State {
  view: ConsoleView;
  /** `now-<duration>` or unix ms. */
  from: string;
  to: string;
  refresh: string;
  /** Selected values of each picked variable; none is All. */
  variables: Record<string, string[]>;
}

function readState(config: ConsoleConfig): State {
  const q = new URLSearchParams(location.search);
  const view = config.views.find((v) => v.key === q.get('view')) ?? config.views[0]!;
  const variables: Record<string, string[]> = {};
  for (const name of PICKED) variables[name] = q.getAll(name).filter(Boolean);
  return {
    view,
    from: q.get('from') ?? view.dashboard.time?.from ?? 'now-6h',
    to: q.get('to') ?? 'now',
    refresh: q.get('refresh') ?? view.dashboard.refresh ?? '30s',
    variables,
  };
}

function writeState(state: State): void {
  const q = new URLSearchParams({ view: state.view.key, from: state.from, to: state.to, refresh: state.refresh });
  for (const [k, values] of Object.entries(state.variables)) for (const v of values) q.append(k, v);
  history.replaceState(null, '', `?${q}`);
}

function resolveTime(text: string, now: number): number {
  if (text === 'now') return now;
  const rel = /^now-(.+)$/.exec(text);
  if (rel) return now - (durationMs(rel[1]!) ?? 6 * UNIT_MS.h!);
  const ms = Number(text);
  return Number.isFinite(ms) ? ms : now;
}

function previewConfig(config: ConsoleConfig, state: State, width: number): PreviewConfig {
  const now = Date.now();
  const variables: Record<string, string> = { datasource: 'meshkit-prometheus', plan_id: '.*' };
  for (const name of PICKED) variables[name] = regexValue(state.variables[name] ?? []);
  const toMs = resolveTime(state.to, now);
  return {
    dashboard: state.view.dashboard,
    fromMs: Math.min(resolveTime(state.from, now), toMs - 60_000),
    toMs,
    scrapeIntervalMs: config.scrapeIntervalMs,
    variables,
    width,
    caption: '',
    traceLink: config.traceLink,
    exemplarLink: config.exemplarLink,
  };
}

/** Values of a `label_values(expr, label)` variable over the time range, as Grafana offers them. */
async function variableOptions(view: ConsoleView, name: string, preview: PreviewConfig): Promise<string[]> {
  const variable = view.dashboard.templating?.list.find((v) => v.name === name) as { query?: string } | undefined;
  const m = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(variable?.query ?? '');
  if (!m) return [];
  const time = { fromMs: preview.fromMs, toMs: preview.toMs, intervalMs: preview.scrapeIntervalMs, scrapeIntervalMs: preview.scrapeIntervalMs };
  const expr = substituteVariables(`group by (${m[2]}) (last_over_time(${m[1]}[$__range]))`, preview.variables, time);
  const series = await prom('api/v1/query', { query: expr, time: String(preview.toMs / 1000) });
  return [...new Set(series.map((s) => s.metric[m[2]!]).filter((v): v is string => Boolean(v)))].sort();
}

function select(label: string, values: string[], current: string, onChange: (v: string) => void, texts: (v: string) => string = (v) => v): HTMLElement {
  const box = el('label');
  box.append(el('span', undefined, label));
  const s = el('select');
  s.name = label;
  for (const v of values) {
    const o = el('option', undefined, texts(v));
    o.value = v;
    if (v === current) o.selected = true;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  box.append(s);
  return box;
}

async function main(): Promise<void> {
  const config = JSON.parse(document.getElementById('config')!.textContent!) as ConsoleConfig;
  const state = readState(config);
  const bar = el('div', 'console-bar');
  const note = el('div', 'console-note');
  const stage = el('div', 'stage');
  document.body.append(bar, note, stage);
  let timer: number | undefined;
  let generation = 0;
  let draws = 0;

  const redraw = async (): Promise<void> => {
    window.clearTimeout(timer);
    const mine = ++generation;
    writeState(state);
    const width = Math.max(1000, document.documentElement.clientWidth);
    const preview = previewConfig(config, state, width);
    await drawBar(preview);
    const next = el('div', 'drawing');
    next.style.visibility = 'hidden';
    next.style.position = 'absolute';
    stage.append(next);
    const failures = await drawDashboard(preview, next);
    if (mine !== generation) return next.remove(); // a newer drawing started meanwhile
    for (const old of [...stage.children]) if (old !== next) old.remove();
    next.style.visibility = '';
    next.style.position = '';
    const drawnAt = new Date().toISOString().slice(11, 19);
    note.textContent = '';
    note.append(
      el('strong', undefined, `Live preview of ${state.view.file}`),
      ` — the same dashboard JSON Grafana loads in production, drawn by meshkit-rebalance-obs's preview renderer (not Grafana) against Prometheus. ` +
        `${state.refresh === 'off' ? 'Refresh is off.' : `Refreshes every ${state.refresh}; last drawn ${drawnAt} UTC.`} Plan ids in the plan queue open the plan's trace page; the dots on the duration heatmaps are exemplars, each opening the trace of its move.`,
    );
    await document.fonts.ready;
    document.body.dataset.error = failures.join('\n');
    document.body.dataset.state = failures.length ? 'failed' : 'done';
    document.body.dataset.draws = String(++draws);
    const every = durationMs(state.refresh);
    if (every) timer = window.setTimeout(() => void redraw(), every);
  };

  async function drawBar(preview: PreviewConfig): Promise<void> {
    const options = await Promise.all(PICKED.map((name) => variableOptions(state.view, name, preview).catch(() => [])));
    bar.textContent = '';
    bar.append(el('span', 'brand', 'MeshKit rebalance'));
    for (const v of config.views) {
      const tab = el('a', `tab${v === state.view ? ' current' : ''}`, v.dashboard.title.replace(/^MeshKit rebalance\s*[—-]?\s*/i, '') || v.key);
      tab.href = `?view=${v.key}`;
      tab.addEventListener('click', (event) => {
        event.preventDefault();
        state.view = v;
        void redraw();
      });
      bar.append(tab);
    }
    bar.append(el('div', 'spacer'));
    PICKED.forEach((name, i) => {
      const current = state.variables[name] ?? [];
      const values = [...new Set([...options[i]!, ...current])];
      bar.append(
        multiSelect(name, values, current, (picked) => {
          state.variables[name] = picked;
          void redraw();
        }),
      );
    });
    const ranges = RANGES.map((r) => `now-${r}`);
    const absolute = !ranges.includes(state.from);
    bar.append(
      select('time', absolute ? [state.from, ...ranges] : ranges, state.from, (value) => {
        state.from = value;
        state.to = 'now';
        void redraw();
      }, (v) => (v.startsWith('now-') ? `Last ${v.slice(4)}` : `${new Date(preview.fromMs).toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(preview.toMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`)),
      select('refresh', REFRESHES, state.refresh, (value) => {
        state.refresh = value;
        void redraw();
      }),
    );
    const trace = el('label');
    const input = el('input');
    input.placeholder = 'plan id → trace';
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && input.value.trim()) window.open(`${config.traceLink}${encodeURIComponent(input.value.trim())}`, '_blank');
    });
    trace.append(el('span', undefined, 'trace'), input);
    bar.append(trace);
  }

  await redraw();
}

main().catch((error: unknown) => {
  document.body.dataset.error = String((error as Error)?.message ?? error);
  document.body.dataset.state = 'failed';
});
