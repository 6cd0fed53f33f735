/** Running every dashboard query against a Prometheus that serves a backfilled simulated history. */
import { backfillRules, historyWindow, type HistoryWindow } from '../../src/render/history';
import { substituteVariables } from '../../src/render/variables';
import { stackBinaries } from '../../src/stack/install';
import { findScenario } from '../../src/simulator/scenarios';
import { dashboardPanels, type DashboardPanel } from '../../src/dashboards/panel-scenarios';
import { startHistoryStack, type HistoryStack } from '../helpers/history-stack';

/** Dashboard variables with "All" selected. */
export const ALL_VARIABLES = { namespace: '.*', cluster: '.*', plan_id: '.*', datasource: 'meshkit-prometheus' } as const;

/** The step of the range queries and `$__interval`; `$__rate_interval` is then 1m at a 15 s scrape interval. */
export const STEP_MS = 30_000;

export interface LoadedHistory {
  scenario: string;
  window: HistoryWindow;
  prometheus: string;
  stack: HistoryStack;
  stop(): Promise<void>;
}

/**
 * startHistoryStack on the scenario's deterministic window (seed 1, from the simulator's fixed start),
 * then the shipped rules backfilled over it so recorded series and ALERTS exist from the first sample.
 */
export async function loadHistory(scenario: string, options: { hours?: number; scrapeIntervalMs?: number } = {}): Promise<LoadedHistory> {
  const hours = options.hours ?? findScenario(scenario)!.hours;
  const window = historyWindow(hours, options.scrapeIntervalMs);
  const stack = await startHistoryStack({ scenario, seed: '1', hours, endMs: window.endMs, scrapeIntervalMs: window.scrapeIntervalMs });
  try {
    await backfillRules({
      promtool: stackBinaries().promtool,
      prometheusUrl: stack.stack.urls.prometheus,
      window,
      restart: () => stack.stack.restart('prometheus'),
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return { scenario, window, prometheus: stack.stack.urls.prometheus, stack, stop: () => stack.stop() };
}

export interface Series {
  metric: Record<string, string>;
  values: [number, string][];
}

/** A range query over the window; throws unless Prometheus answers `success`. */
export async function queryRange(prometheus: string, expr: string, window: HistoryWindow, stepMs = STEP_MS): Promise<Series[]> {
  const body = new URLSearchParams({ query: expr, start: String(window.startMs / 1000), end: String(window.endMs / 1000), step: String(stepMs / 1000) });
  const response = await fetch(`${prometheus}/api/v1/query_range`, { method: 'POST', body });
  const json = (await response.json()) as { status: string; error?: string; data?: { result: Series[] } };
  if (json.status !== 'success') throw new Error(`${expr}: ${json.error ?? response.status}`);
  return json.data!.result;
}

/** A panel target's PromQL with every variable substituted for a query over the whole window. */
export function concreteExpr(expr: string, window: HistoryWindow, stepMs = STEP_MS): string {
  return substituteVariables(expr, ALL_VARIABLES, { fromMs: window.startMs, toMs: window.endMs, intervalMs: stepMs, scrapeIntervalMs: window.scrapeIntervalMs });
}

export interface TargetResult {
  expr: string;
  series: number;
  /** Some sample is a number other than 0. */
  nonZero: boolean;
  ms: number;
}

export interface PanelResult {
  panel: DashboardPanel;
  targets: TargetResult[];
}

/** Runs every target of every panel of both dashboards over the window. */
export async function runPanels(prometheus: string, window: HistoryWindow, stepMs = STEP_MS): Promise<PanelResult[]> {
  const results: PanelResult[] = [];
  for (const panel of dashboardPanels()) {
    const targets: TargetResult[] = [];
    for (const t of panel.targets) {
      const expr = concreteExpr(t.expr, window, stepMs);
      const started = process.hrtime.bigint();
      const series = await queryRange(prometheus, expr, window, stepMs);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const nonZero = series.some((s) => s.values.some(([, v]) => Number(v) !== 0 && !Number.isNaN(Number(v))));
      targets.push({ expr, series: series.length, nonZero, ms });
    }
    results.push({ panel, targets });
  }
  return results;
}

