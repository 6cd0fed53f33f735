/** PromQL queries of the page, through the server's proxy, on Grafana's time grid. */
import type { PreviewConfig, Target } from './model';
import { panelInterval, substituteVariables, type QueryTime } from '../variables';

export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export class QueryError extends Error {}

export async function prom(path: string, params: Record<string, string>): Promise<PromSeries[]> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown[] } };
  if (body.status !== 'success' || !body.data) throw new QueryError(body.error ?? `HTTP ${response.status}`);
  if (body.data.resultType === 'vector') {
    return (body.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({ metric: r.metric, values: [r.value] }));
  }
  if (body.data.resultType === 'scalar') {
    const v = body.data.result as unknown as [number, string];
    return [{ metric: {}, values: [v] }];
  }
  return body.data.result as PromSeries[];
}

export interface Window {
  fromMs: number;
  toMs: number;
  stepMs: number;
  /** Aligned range-query start and end (multiples of the step). */
  startMs: number;
  endMs: number;
}

export function queryWindow(config: PreviewConfig, maxDataPoints: number): Window {
  const stepMs = panelInterval(config.fromMs, config.toMs, maxDataPoints, config.scrapeIntervalMs);
  return {
    fromMs: config.fromMs,
    toMs: config.toMs,
    stepMs,
    startMs: Math.floor(config.fromMs / stepMs) * stepMs,
    endMs: Math.floor(config.toMs / stepMs) * stepMs,
  };
}

export function concrete(config: PreviewConfig, expr: string, w: Window): string {
  const time: QueryTime = { fromMs: w.fromMs, toMs: w.toMs, intervalMs: w.stepMs, scrapeIntervalMs: config.scrapeIntervalMs };
  return substituteVariables(expr, config.variables, time);
}

export function runTarget(config: PreviewConfig, target: Target, w: Window): Promise<PromSeries[]> {
  const query = concrete(config, target.expr, w);
  if (target.instant && !target.range) return prom('api/v1/query', { query, time: String(w.toMs / 1000) });
  return prom('api/v1/query_range', { query, start: String(w.startMs / 1000), end: String(w.endMs / 1000), step: String(w.stepMs / 1000) });
}

/** Grafana's legend format: `{{label}}` replaced by the series' label value. */
export function displayName(target: Target, metric: Record<string, string>): string {
  if (target.legendFormat) return target.legendFormat.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, label: string) => metric[label] ?? '');
  const { __name__: name, ...labels } = metric;
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  if (!name && !body) return target.expr;
  return `${name ?? ''}${body ? `{${body}}` : ''}`;
}
