/**
 * Exemplars of a panel's queries (Prometheus `query_exemplars`), drawn as Grafana draws them: a
 * diamond at (time, value) in the panel's exemplar colour. On the live console each one is also a
 * link to the trace page of its trace, with its trace id, value and labels on hover.
 */
import { EXEMPLAR_LABELS } from '../../schema/span-metrics';
import { formatted } from '../format';
import { el } from './layout';
import type { Panel, PreviewConfig } from './model';
import { concrete, QueryError, type Window } from './query';

export interface Exemplar {
  timeMs: number;
  value: number;
  traceId: string;
  spanId: string;
  /** The series' labels, then the exemplar's own, without the metric name and the bucket bound. */
  labels: Record<string, string>;
}

/** Grafana's default exemplar colour on a heatmap. */
const DEFAULT_COLOR = 'rgba(255,0,255,0.7)';
const HALF = 5;

interface RawSeries {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

/** The exemplars of the panel's targets that have the switch on, over the window; none without `exemplarLink`. */
export async function panelExemplars(config: PreviewConfig, panel: Panel, w: Window): Promise<Exemplar[]> {
  if (!config.exemplarLink) return [];
  const lists = await Promise.all(
    (panel.targets ?? [])
      .filter((t) => t.exemplar)
      .map(async (t) => {
        const params = { query: concrete(config, t.expr, w), start: String(w.fromMs / 1000), end: String(w.toMs / 1000) };
        const response = await fetch('api/v1/query_exemplars', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
        const body = (await response.json()) as { status: string; error?: string; data?: RawSeries[] };
        if (body.status !== 'success') throw new QueryError(body.error ?? `HTTP ${response.status}`);
        return (body.data ?? []).flatMap((series) => {
          const { __name__: _name, le: _le, ...seriesLabels } = series.seriesLabels;
          return series.exemplars.map((e) => {
            const { [EXEMPLAR_LABELS.traceId]: traceId = '', [EXEMPLAR_LABELS.spanId]: spanId = '', ...own } = e.labels;
            return { timeMs: Math.round(e.timestamp * 1000), value: Number(e.value), traceId, spanId, labels: { ...seriesLabels, ...own } };
          });
        });
      }),
  );
  const seen = new Set<string>();
  return lists
    .flat()
    .filter((e) => e.traceId && Number.isFinite(e.value) && !seen.has(`${e.traceId}/${e.spanId}/${e.timeMs}`) && seen.add(`${e.traceId}/${e.spanId}/${e.timeMs}`))
    .sort((a, b) => a.timeMs - b.timeMs || a.value - b.value);
}

export interface PlacedExemplar {
  exemplar: Exemplar;
  x: number;
  y: number;
}

/** Draws each exemplar `place` puts inside the plot; returns where they went. */
export function drawExemplars(ctx: CanvasRenderingContext2D, panel: Panel, exemplars: readonly Exemplar[], place: (e: Exemplar) => { x: number; y: number } | undefined): PlacedExemplar[] {
  ctx.fillStyle = String((panel.options?.exemplars as { color?: string } | undefined)?.color ?? DEFAULT_COLOR);
  const placed: PlacedExemplar[] = [];
  for (const exemplar of exemplars) {
    const at = place(exemplar);
    if (!at) continue;
    ctx.beginPath();
    ctx.moveTo(at.x, at.y - HALF);
    ctx.lineTo(at.x + HALF, at.y);
    ctx.lineTo(at.x, at.y + HALF);
    ctx.lineTo(at.x - HALF, at.y);
    ctx.closePath();
    ctx.fill();
    placed.push({ exemplar, ...at });
  }
  return placed;
}

let tooltip: HTMLElement | undefined;

function tooltipLines(e: Exemplar, unit: string): string[] {
  return [
    `Exemplar · ${new Date(e.timeMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    `${EXEMPLAR_LABELS.traceId}: ${e.traceId}`,
    `value: ${formatted(e.value, unit)}`,
    ...Object.entries({ ...e.labels, ...(e.spanId ? { [EXEMPLAR_LABELS.spanId]: e.spanId } : {}) }).map(([k, v]) => `${k}: ${v}`),
  ];
}

/**
 * Lays a link over each drawn exemplar of `canvas` (inside `body`): it opens the trace page of the
 * exemplar's trace (the span id tells the page which move to point at) and shows the details on hover.
 */
export function linkExemplars(body: HTMLElement, canvas: HTMLCanvasElement, placed: readonly PlacedExemplar[], link: string, unit: string): void {
  if (tooltip) tooltip.style.display = 'none'; // its link may be gone with the drawing it was on
  for (const { exemplar, x, y } of placed) {
    const a = el('a', 'exemplar');
    a.href = `${link}${encodeURIComponent(exemplar.traceId)}${exemplar.spanId ? `&spanId=${encodeURIComponent(exemplar.spanId)}` : ''}`;
    Object.assign(a.style, { left: `${canvas.offsetLeft + x - HALF - 1}px`, top: `${canvas.offsetTop + y - HALF - 1}px`, width: `${2 * HALF + 2}px`, height: `${2 * HALF + 2}px` });
    a.dataset.traceId = exemplar.traceId;
    a.dataset.value = String(exemplar.value);
    a.addEventListener('mouseenter', (event) => {
      tooltip ??= document.body.appendChild(el('div', 'exemplar-tooltip'));
      tooltip.textContent = '';
      for (const line of tooltipLines(exemplar, unit)) tooltip.append(el('div', undefined, line));
      Object.assign(tooltip.style, { display: 'block', left: `${event.pageX + 12}px`, top: `${event.pageY + 12}px` });
    });
    a.addEventListener('mouseleave', () => tooltip && (tooltip.style.display = 'none'));
    body.append(a);
  }
}
