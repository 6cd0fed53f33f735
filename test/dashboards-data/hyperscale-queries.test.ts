/**
 * Query cost at scale: every query of both dashboards against the hyperscale history (4 namespaces,
 * 1,000 nodes, 100,000 shards, ~10,000 plans a day; 3 virtual hours scraped every 60 s), sent the
 * way Grafana would send it for a 1600 px wide dashboard showing the whole window: range queries at
 * the panel's $__interval, instant queries (stats, tables) at the window's end, with the data source's
 * scrape interval set to the history's 60 s. Prints each query's wall time; asserts only that every
 * query succeeds (no timing threshold: wall time depends on the machine).
 */
import { dashboardDefinitions, dashboardPanels } from '../../src/dashboards/panel-scenarios';
import { dashboards } from '../../src/dashboards/render';
import { panelInterval, substituteVariables } from '../../src/render/variables';
import { ALL_VARIABLES, loadHistory, type LoadedHistory } from './helpers';

const PAGE_WIDTH = 1600 - 2 * 16;
const HOURS = 3;
const SCRAPE_MS = 60_000;

interface Timing {
  panel: string;
  ref: string;
  kind: 'range' | 'instant';
  stepS: number;
  series: number;
  samples: number;
  ms: number;
  error?: string;
}

let history: LoadedHistory;
const timings: Timing[] = [];

/** The generated panel JSON (gridPos, instant flags) by dashboard uid and panel id. */
function generatedPanel(dashboard: string, id: number) {
  const d = Object.values(dashboards()).find((x) => x.uid === dashboard)!;
  return d.panels!.find((p) => 'id' in p && p.id === id)! as { gridPos?: { w: number }; targets?: { refId?: string; instant?: boolean; range?: boolean }[] };
}

beforeAll(async () => {
  history = await loadHistory('hyperscale', { hours: HOURS, scrapeIntervalMs: SCRAPE_MS });
  const { startMs, endMs } = history.window;
  for (const panel of dashboardPanels()) {
    const json = generatedPanel(panel.dashboard, panel.id);
    const widthPx = ((json.gridPos?.w ?? 12) / 24) * PAGE_WIDTH - 16;
    const intervalMs = panelInterval(startMs, endMs, widthPx, SCRAPE_MS);
    for (const [i, target] of panel.targets.entries()) {
      const t = json.targets![i]!;
      const instant = t.instant === true && t.range !== true;
      const query = substituteVariables(target.expr, ALL_VARIABLES, { fromMs: startMs, toMs: endMs, intervalMs, scrapeIntervalMs: SCRAPE_MS });
      const params: Record<string, string> = instant
        ? { query, time: String(endMs / 1000) }
        : { query, start: String(Math.floor(startMs / intervalMs) * (intervalMs / 1000)), end: String(Math.floor(endMs / intervalMs) * (intervalMs / 1000)), step: String(intervalMs / 1000) };
      const started = process.hrtime.bigint();
      const response = await fetch(`${history.prometheus}/api/v1/${instant ? 'query' : 'query_range'}`, { method: 'POST', body: new URLSearchParams(params) });
      const body = (await response.json()) as { status: string; error?: string; data?: { result: { values?: unknown[] }[] } };
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const result = body.data?.result ?? [];
      timings.push({
        panel: `${panel.dashboard.replace('meshkit-rebalance-', '')} / ${panel.title}`,
        ref: t.refId ?? String(i),
        kind: instant ? 'instant' : 'range',
        stepS: intervalMs / 1000,
        series: result.length,
        samples: result.reduce((n, s) => n + (s.values?.length ?? 1), 0),
        ms,
        ...(body.status === 'success' ? {} : { error: body.error ?? `HTTP ${response.status}` }),
      });
    }
  }
}, 300_000);

afterAll(async () => {
  await history?.stop();
  if (timings.length === 0) return;
  const width = Math.max(...timings.map((t) => t.panel.length)) + 2;
  const lines = timings.map(
    (t) =>
      `${t.panel.padEnd(width)}${t.ref.padEnd(4)}${t.kind.padEnd(9)}${String(t.stepS).padStart(5)} s${String(t.series).padStart(8)}${String(t.samples).padStart(9)}${t.ms.toFixed(1).padStart(10)} ms${t.error ? `  ERROR ${t.error}` : ''}`,
  );
  const total = timings.reduce((n, t) => n + t.ms, 0);
  const slowest = [...timings].sort((a, b) => b.ms - a.ms)[0]!;
  process.stdout.write(
    [
      '',
      `Queries of the ${dashboardDefinitions().length} dashboards on the hyperscale history (${HOURS} h scraped every ${history.window.scrapeIntervalMs / 1000} s):`,
      `${'panel'.padEnd(width)}${'ref'.padEnd(4)}${'kind'.padEnd(9)} step  series  samples   wall time`,
      ...lines,
      `${timings.length} queries, ${total.toFixed(0)} ms in all; slowest ${slowest.panel} ${slowest.ref} (${slowest.ms.toFixed(1)} ms)`,
      '',
    ].join('\n'),
  );
});

it('runs every query of both dashboards on the hyperscale history', () => {
  expect(timings.length).toBe(dashboardPanels().reduce((n, p) => n + p.targets.length, 0));
  expect(timings.filter((t) => t.error).map((t) => `${t.panel} ${t.ref}: ${t.error}`)).toEqual([]);
});

it('finds the hyperscale world in the history (the queries had data to work on)', () => {
  const nodes = timings.find((t) => t.panel.endsWith('/ Shards owned per node'))!;
  expect(nodes.series).toBe(1000);
});
