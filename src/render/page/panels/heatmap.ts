/** Heatmap panels of histogram buckets, Grafana's Oranges scheme. */
import { formatted } from '../../format';
import { drawExemplars, linkExemplars, panelExemplars, type Exemplar } from '../exemplars';
import { rangeFields, type Field } from '../fields';
import { panelCanvas, PAD, timeAxis } from '../layout';
import { queryWindow } from '../query';
import { schemeColor, THEME } from '../theme';
import { noData, type Drawer } from './drawer';

export const heatmap: Drawer = async (config, panel, body, box) => {
  const w = queryWindow(config, Math.max(1, box.width - 2 * PAD));
  let exemplarError: string | undefined;
  const [{ xs, fields }, exemplars] = await Promise.all([
    rangeFields(config, panel, w),
    // Like Grafana, a panel whose exemplars cannot be read still draws its buckets.
    panelExemplars(config, panel, w).catch((error: unknown): Exemplar[] => {
      exemplarError = String((error as Error).message);
      return [];
    }),
  ]);
  if (exemplarError) body.dataset.exemplarError = exemplarError;
  if (fields.length === 0) return noData(body);
  // Grafana's heatmap format: buckets sorted by le, cumulative counts turned into per-bucket counts.
  const le = (f: Field) => (f.name === '+Inf' ? Infinity : Number(f.name));
  const sorted = [...fields].sort((a, b) => le(a) - le(b));
  const counts = sorted.map((f, i) => f.values.map((v, k) => (v === null ? null : Math.max(0, v - (i > 0 ? sorted[i - 1]!.values[k] ?? 0 : 0)))));
  let max = 0;
  for (const row of counts) for (const v of row) if (v !== null && v > max) max = v;
  const unit = ((panel.options?.yAxis as { unit?: string } | undefined)?.unit) ?? 'short';
  const { ctx, width, height } = panelCanvas(body, box, 'heatmap');
  ctx.font = `12px ${THEME.font}`;
  const labels = sorted.map((f) => (f.name === '+Inf' ? '+Inf' : formatted(le(f), unit)));
  const axisLeft = Math.ceil(Math.max(...labels.map((l) => ctx.measureText(l).width))) + 10;
  const legendHeight = 22;
  const plot = { left: axisLeft, top: 8, width: width - axisLeft - 8, height: height - 8 - 26 - legendHeight };
  const rowH = plot.height / sorted.length;
  const colW = plot.width / Math.max(1, (w.toMs - w.fromMs) / w.stepMs);
  const xOf = (tS: number) => plot.left + ((tS * 1000 - w.fromMs) / (w.toMs - w.fromMs)) * plot.width;
  const filter = Number((panel.options?.filterValues as { le?: number } | undefined)?.le ?? 1e-9);
  counts.forEach((row, i) => {
    row.forEach((v, k) => {
      if (v === null || v <= filter || max === 0) return;
      const steps = Number((panel.options?.color as { steps?: number } | undefined)?.steps ?? 64);
      const t = Math.round((v / max) * (steps - 1)) / (steps - 1);
      ctx.fillStyle = schemeColor(t);
      const x0 = xOf(xs[k]!) - colW;
      ctx.fillRect(Math.max(plot.left, x0) + 0.5, plot.top + plot.height - (i + 1) * rowH + 0.5, Math.max(1, colW - 1), Math.max(1, rowH - 1));
    });
  });
  // An exemplar sits in the row of its bucket, as high in it as its value is between the bounds.
  const bounds = sorted.map(le);
  const placed = drawExemplars(ctx, panel, exemplars, (e) => {
    const x = xOf(e.timeMs / 1000);
    if (x < plot.left || x > plot.left + plot.width) return undefined;
    let i = bounds.findIndex((b) => e.value <= b);
    if (i < 0) i = bounds.length - 1; // above the last bound, without a +Inf row
    const lower = i > 0 ? bounds[i - 1]! : 0;
    const upper = bounds[i]!;
    const within = Number.isFinite(upper) && upper > lower ? Math.min(0.85, Math.max(0.15, (e.value - lower) / (upper - lower))) : 0.5;
    return { x, y: plot.top + plot.height - (i + within) * rowH };
  });
  if (config.exemplarLink) linkExemplars(body, ctx.canvas, placed, config.exemplarLink, unit);
  body.dataset.exemplars = String(placed.length);
  ctx.fillStyle = THEME.textSecondary;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const every = Math.max(1, Math.ceil(14 / rowH));
  labels.forEach((l, i) => {
    if (i % every === 0) ctx.fillText(l, plot.left - 6, plot.top + plot.height - (i + 0.5) * rowH);
  });
  timeAxis(ctx, plot, w);
  // Colour legend: the scheme from 0 to the largest count.
  const ly = plot.top + plot.height + 26;
  ctx.textAlign = 'left';
  ctx.fillStyle = THEME.textSecondary;
  ctx.fillText('0', plot.left, ly + 8);
  const gx = plot.left + 16;
  const gw = Math.min(200, plot.width / 3);
  for (let i = 0; i < gw; i++) {
    ctx.fillStyle = schemeColor(i / gw);
    ctx.fillRect(gx + i, ly + 3, 1, 10);
  }
  ctx.fillStyle = THEME.textSecondary;
  ctx.fillText(formatted(max, 'short'), gx + gw + 6, ly + 8);
};
