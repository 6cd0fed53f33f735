/** Timeseries panels with uPlot, Grafana's own chart library: stacking, bars, two axes, annotations. */
import uPlot from 'uplot';
import { formatTicks } from '../../format';
import { rangeFields, type Field } from '../fields';
import { el, HEADER, PAD } from '../layout';
import type { PreviewConfig } from '../model';
import { queryWindow, runTarget } from '../query';
import { alpha, color, paletteColor, THEME } from '../theme';
import { noData, type Drawer } from './drawer';

function legend(fields: Field[], colors: string[]): HTMLElement {
  const box = el('div', 'legend');
  fields.forEach((f, i) => {
    const item = el('div', 'legend-item');
    const swatch = el('span', `swatch${f.props.dash ? ' dashed' : ''}`);
    swatch.style.background = f.props.dash ? 'transparent' : colors[i]!;
    swatch.style.borderColor = colors[i]!;
    item.append(swatch, el('span', 'legend-label', f.name));
    box.append(item);
  });
  return box;
}

interface AnnotationEvent {
  startS: number;
  endS: number;
  color: string;
}

/** One query of the annotations per drawing of the dashboard (its config), shared by its panels. */
const annotationCache = new WeakMap<PreviewConfig, Promise<AnnotationEvent[]>>();

/** The dashboard's Prometheus annotations: a series' run of samples is one event (a region when it spans steps). */
function annotations(config: PreviewConfig): Promise<AnnotationEvent[]> {
  const cached = annotationCache.get(config);
  if (cached) return cached;
  const loading = (async () => {
    const w = queryWindow(config, config.width);
    const events: AnnotationEvent[] = [];
    for (const a of config.dashboard.annotations?.list ?? []) {
      if (!a.enable || !a.expr) continue;
      const series = await runTarget(config, { expr: a.expr, refId: 'Anno' }, w);
      for (const s of series) {
        let start: number | undefined;
        let last: number | undefined;
        for (const [t] of s.values) {
          if (last !== undefined && t * 1000 - last * 1000 > w.stepMs) {
            events.push({ startS: start!, endS: last, color: color(a.iconColor) });
            start = undefined;
          }
          start ??= t;
          last = t;
        }
        if (start !== undefined) events.push({ startS: start, endS: last!, color: color(a.iconColor) });
      }
    }
    return events.sort((x, y) => x.startS - y.startS);
  })();
  annotationCache.set(config, loading);
  return loading;
}

export const timeseries: Drawer = async (config, panel, body, box) => {
  const maxDataPoints = panel.maxDataPoints ?? Math.max(1, box.width - 2 * PAD);
  const w = queryWindow(config, maxDataPoints);
  const [{ xs, fields }, events] = await Promise.all([rangeFields(config, panel, w), annotations(config)]);
  if (fields.length === 0) return noData(body);
  const colors = fields.map((_, i) => paletteColor(i));
  const showLegend = (panel.options?.legend as { showLegend?: boolean } | undefined)?.showLegend !== false;
  const legendBox = showLegend ? legend(fields, colors) : undefined;
  if (legendBox) body.append(legendBox);
  const chart = el('div', 'chart');
  body.prepend(chart);
  const legendHeight = legendBox ? Math.min(legendBox.offsetHeight, Math.round(box.height * 0.4)) : 0;
  if (legendBox) legendBox.style.maxHeight = `${legendHeight}px`;
  const width = box.width - 2 * PAD;
  const height = box.height - HEADER - PAD - legendHeight;

  // Stacking: each stacked series is drawn at the running sum, filled down to the one below.
  const data: (number | null)[][] = [];
  const below: number[] = [];
  const sums: number[] = new Array(xs.length).fill(0);
  let lastStacked = -1;
  fields.forEach((f, i) => {
    if (f.props.stacking) {
      data.push(f.values.map((v, k) => (v === null ? null : (sums[k] = sums[k]! + v))));
      below.push(lastStacked);
      lastStacked = i;
    } else {
      data.push(f.values);
      below.push(-1);
    }
  });

  const scaleOf = (f: Field) => `${f.props.axisRight ? 'r' : 'l'}:${f.props.unit ?? ''}`;
  const scales = [...new Set(fields.map(scaleOf))];
  const barPaths = uPlot.paths.bars!({ size: [0.6, 100], gap: 1 });
  const opts: uPlot.Options = {
    width,
    height,
    pxAlign: 1,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [8, 20, 0, 0],
    scales: {
      x: { time: true, range: [w.fromMs / 1000, w.toMs / 1000] },
      ...Object.fromEntries(
        scales.map((key) => {
          const f = fields.find((x) => scaleOf(x) === key)!;
          const min = f.props.min;
          return [
            key,
            {
              range: (_u: uPlot, dataMin: number | null, dataMax: number | null): uPlot.Range.MinMax => {
                const lo = min ?? Math.min(0, dataMin ?? 0);
                let hi = dataMax ?? 1;
                if (!(hi > lo)) hi = lo + 1;
                const [a, b] = uPlot.rangeNum(lo, hi, 0.1, true);
                return [min ?? a, b];
              },
            },
          ];
        }),
      ),
    },
    axes: [
      {
        stroke: THEME.textSecondary,
        font: `12px ${THEME.font}`,
        grid: { stroke: THEME.grid, width: 1 },
        ticks: { show: false },
        space: 80,
        size: 26,
        values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(11, 16)),
      },
      ...scales.map(
        (key, i): uPlot.Axis => ({
          scale: key,
          side: key.startsWith('r') ? 1 : 3,
          stroke: THEME.textSecondary,
          font: `12px ${THEME.font}`,
          grid: { show: i === 0, stroke: THEME.grid, width: 1 },
          ticks: { show: false },
          space: 30,
          size: (u, values) => Math.max(28, ...(values ?? []).map((v) => measure(u, String(v)) + 12)),
          values: (_u, ticks) => formatTicks(ticks, key.slice(2) || undefined),
        }),
      ),
    ],
    series: [
      {},
      ...fields.map((f, i): uPlot.Series => {
        const c = colors[i]!;
        const fill = f.props.fillOpacity > 0 ? alpha(c, f.props.fillOpacity / 100) : undefined;
        return {
          label: f.name,
          scale: scaleOf(f),
          stroke: c,
          width: f.props.drawStyle === 'bars' ? 1 : f.props.lineWidth,
          dash: f.props.dash,
          fill,
          spanGaps: false,
          points: { show: (u: uPlot, si: number) => isolatedPoints(u, si).length > 0, size: 4, fill: c, stroke: c, filter: (u: uPlot, si: number) => isolatedPoints(u, si) },
          paths: f.props.drawStyle === 'bars' ? barPaths : undefined,
        } as uPlot.Series;
      }),
    ],
    bands: fields
      .map((f, i) => (f.props.stacking && below[i]! >= 0 ? ({ series: [i + 1, below[i]! + 1], fill: alpha(colors[i]!, f.props.fillOpacity / 100) } as uPlot.Band) : undefined))
      .filter((b): b is uPlot.Band => b !== undefined),
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          for (const e of events) {
            const x0 = Math.round(u.valToPos(e.startS, 'x', true));
            const x1 = Math.round(u.valToPos(e.endS, 'x', true));
            if (x1 < u.bbox.left || x0 > u.bbox.left + u.bbox.width) continue;
            if (x1 - x0 > 2) {
              ctx.fillStyle = alpha(e.color, 0.08);
              ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
            }
            ctx.strokeStyle = alpha(e.color, 0.6);
            ctx.lineWidth = 1;
            ctx.setLineDash([3, 3]);
            ctx.beginPath();
            ctx.moveTo(x0 + 0.5, u.bbox.top);
            ctx.lineTo(x0 + 0.5, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = e.color;
            ctx.fillRect(x0 - 2, u.bbox.top + u.bbox.height - 5, 5, 5);
          }
          ctx.restore();
        },
      ],
    },
  };
  new uPlot(opts, [xs, ...data] as uPlot.AlignedData, chart);
};

/** Grafana draws a point only where a value stands between gaps, so a lone sample stays visible. */
function isolatedPoints(u: uPlot, seriesIdx: number): number[] {
  const values = u.data[seriesIdx] as (number | null | undefined)[];
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] != null && values[i - 1] == null && values[i + 1] == null) out.push(i);
  return out;
}

function measure(u: uPlot, text: string): number {
  const ctx = u.ctx;
  ctx.save();
  ctx.font = `12px ${THEME.font}`;
  const width = ctx.measureText(text).width;
  ctx.restore();
  return Math.ceil(width);
}
