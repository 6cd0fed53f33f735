/**
 * The trace page's HTTP routes, mounted by the console server: `/trace?planId=…` or
 * `/trace?traceId=…[&spanId=…]` (the page; an exemplar names its span), `/trace-page.js` (its script) and `/api/plan-trace` (the plan's
 * view, read from the trace backend's query API and built here).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UserError } from '../cli/user-error';
import { browserBundle, escapeHtml, send } from '../render/server';
import { fetchPlanTrace, fetchTraceById } from '../trace/jaeger';
import { buildPlanView, type PlanView } from '../trace/plan-view';
import type { TracePageConfig } from './client';

export const TRACE_PAGE_WIDTH = 1600;

const CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; background: #111217; color: rgb(204, 204, 220); font-family: "DejaVu Sans", sans-serif; font-size: 13px; -webkit-font-smoothing: antialiased; }
body { padding: 0 16px 16px; }
.trace-header { margin: 0 -16px 12px; padding: 10px 16px; background: #181b1f; border-bottom: 1px solid rgba(204, 204, 220, 0.12); }
.trace-header h1 { font-size: 18px; font-weight: 500; margin: 0 0 6px; }
.outcome { font-size: 12px; padding: 2px 8px; border-radius: 2px; background: #37872D; color: #fff; vertical-align: middle; }
.outcome.running { background: #3274D9; }
.outcome.failed, .outcome.rolled_back, .outcome.orphaned { background: #C4162A; }
.outcome.cancelled, .outcome.rejected { background: #FA6400; }
.facts { color: rgb(204, 204, 220); }
.caption { color: rgba(204, 204, 220, 0.65); font-size: 12px; margin-top: 4px; }
.lists { display: flex; gap: 16px; margin-bottom: 12px; }
.move-list { flex: 1; background: #181b1f; border: 1px solid rgba(204, 204, 220, 0.12); padding: 6px 10px; max-height: 220px; overflow: auto; }
.move-list h2 { font-size: 14px; font-weight: 500; margin: 0 0 4px; }
.move-list.failed h2 { color: #F2495C; }
.move-list.in-flight h2 { color: #8AB8FF; }
.move-list ul { margin: 0; padding-left: 18px; }
.move-list li { line-height: 18px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.trace-controls { display: flex; align-items: center; justify-content: space-between; margin-bottom: 6px; }
.trace-legend { display: flex; gap: 14px; font-size: 12px; }
.trace-legend .item { display: flex; align-items: center; gap: 5px; }
.trace-legend .swatch { width: 16px; height: 10px; display: inline-block; }
.trace-legend .tick { width: 2px; height: 12px; display: inline-block; }
select { background: #111217; color: rgb(204, 204, 220); border: 1px solid rgba(204, 204, 220, 0.2); border-radius: 2px; padding: 3px 6px; font: inherit; }
.gantt-scroll { position: relative; overflow-y: auto; border: 1px solid rgba(204, 204, 220, 0.12); }
.gantt { position: sticky; top: 0; display: block; }
.gantt-tooltip { position: absolute; display: none; background: #22252b; border: 1px solid rgba(204, 204, 220, 0.2); padding: 6px 8px; font-size: 12px; pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,0.5); z-index: 10; }
.trace-error { color: #F2495C; padding: 16px; }
.exemplar-move { margin-bottom: 12px; padding: 6px 10px; background: #181b1f; border: 1px solid rgba(255, 0, 255, 0.7); border-radius: 2px; }
`;

/** The trace page for `query` (`planId=…` or `traceId=…`). */
export function tracePage(config: TracePageConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`Trace · ${config.query}`)}</title><style>${CSS}</style></head>
<body><script id="config" type="application/json">${json}</script><script src="trace-page.js"></script></body></html>`;
}

/**
 * The plan's view from the trace backend, by plan id or trace id; `now` (unix ms) reads it as of
 * that time (moves in flight end there; incident notes and screenshots use it), else as of now.
 */
export async function planViewOf(traceQueryUrl: string, params: URLSearchParams): Promise<PlanView> {
  const planId = params.get('planId');
  const traceId = params.get('traceId');
  if (!planId === !traceId) throw new UserError('give one of planId or traceId.');
  const nowMs = params.has('now') ? Number(params.get('now')) : Date.now();
  if (!Number.isFinite(nowMs) || nowMs <= 0) throw new UserError(`now must be unix milliseconds, not "${params.get('now')}".`);
  const spans = planId ? await fetchPlanTrace(traceQueryUrl, planId, 48, nowMs) : await fetchTraceById(traceQueryUrl, traceId!);
  return buildPlanView(spans, nowMs * 1000);
}

export const TRACE_CAPTION =
  'Read from the trace backend (Jaeger query API) by meshkit-rebalance-obs; moves in flight are drawn from their start and progress markers up to the time the trace was read.';

/** Serves the trace page's paths; false for any other path. */
export async function handleTraceRoutes(req: IncomingMessage, res: ServerResponse, url: URL, traceQueryUrl: string | undefined): Promise<boolean> {
  if (url.pathname === '/trace-page.js') {
    send(res, 200, 'text/javascript; charset=utf-8', browserBundle('trace-page/client.ts'));
    return true;
  }
  if (url.pathname === '/trace') {
    const query = new URLSearchParams();
    for (const key of ['planId', 'traceId', 'spanId', 'now']) if (url.searchParams.get(key)) query.set(key, url.searchParams.get(key)!);
    const config: TracePageConfig = { query: query.toString(), full: url.searchParams.get('full') === '1', caption: TRACE_CAPTION };
    send(res, 200, 'text/html; charset=utf-8', tracePage(config));
    return true;
  }
  if (url.pathname === '/api/plan-trace') {
    if (req.method !== 'GET') return false;
    if (!traceQueryUrl) {
      send(res, 503, 'application/json', JSON.stringify({ error: 'no trace backend: the console was started without one.' }));
      return true;
    }
    try {
      send(res, 200, 'application/json', JSON.stringify({ view: await planViewOf(traceQueryUrl, url.searchParams) }));
    } catch (error) {
      send(res, error instanceof UserError ? 404 : 502, 'application/json', JSON.stringify({ error: (error as Error).message }));
    }
    return true;
  }
  return false;
}
