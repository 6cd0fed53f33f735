/** State timeline panels: runs of one value as coloured bars, one row per series. */
import { mapped, rangeFields, thresholdColor } from '../fields';
import { panelCanvas, PAD, timeAxis } from '../layout';
import { queryWindow } from '../query';
import { alpha, color, THEME } from '../theme';
import { noData, type Drawer } from './drawer';

export const stateTimeline: Drawer = async (config, panel, body, box) => {
  const w = queryWindow(config, Math.max(1, box.width - 2 * PAD));
  const { xs, fields } = await rangeFields(config, panel, w);
  if (fields.length === 0) return noData(body);
  const { ctx, width, height } = panelCanvas(body, box, 'timeline');
  ctx.font = `12px ${THEME.font}`;
  const showLegend = (panel.options?.legend as { showLegend?: boolean } | undefined)?.showLegend !== false;
  const legendHeight = showLegend ? 22 : 0;
  const rowsHeight = height - 4 - 26 - legendHeight;
  ctx.font = `${Math.min(12, Math.max(7, Math.floor((rowsHeight / fields.length) * 0.95)))}px ${THEME.font}`;
  const axisLeft = Math.ceil(Math.max(...fields.map((f) => ctx.measureText(f.name).width))) + 12;
  ctx.font = `12px ${THEME.font}`;
  const plot = { left: axisLeft, top: 4, width: width - axisLeft - 8, height: height - 4 - 26 - legendHeight };
  const rowH = plot.height / fields.length;
  const rowHeightFactor = Number(panel.options?.rowHeight ?? 0.9);
  const fill = Number(((panel.fieldConfig?.defaults?.custom ?? {}) as { fillOpacity?: number }).fillOpacity ?? 70) / 100;
  const xOf = (tS: number) => plot.left + ((tS * 1000 - w.fromMs) / (w.toMs - w.fromMs)) * plot.width;
  const seen = new Map<string, string>();
  fields.forEach((f, i) => {
    const y = plot.top + i * rowH + (rowH * (1 - rowHeightFactor)) / 2;
    const h = rowH * rowHeightFactor;
    let k = 0;
    while (k < xs.length) {
      const v = f.values[k] ?? null;
      let j = k + 1;
      while (j < xs.length && (f.values[j] ?? null) === v) j++;
      if (v !== null) {
        const m = mapped(f.props.mappings, v);
        const c = color(m?.color ?? thresholdColor(f.props.thresholds, v));
        seen.set(m?.text ?? String(v), c);
        const x0 = Math.max(plot.left, xOf(xs[k]!));
        const x1 = Math.min(plot.left + plot.width, j < xs.length ? xOf(xs[j]!) : xOf(xs[j - 1]!) + (w.stepMs / (w.toMs - w.fromMs)) * plot.width);
        ctx.fillStyle = alpha(c, fill);
        ctx.fillRect(x0, y, Math.max(1, x1 - x0 - 1), h);
        ctx.strokeStyle = c;
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y + 0.5, Math.max(1, x1 - x0 - 2), h - 1);
      }
      k = j;
    }
    ctx.fillStyle = THEME.textSecondary;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.font = `${Math.min(12, Math.max(7, Math.floor(rowH * 0.95)))}px ${THEME.font}`;
    ctx.fillText(f.name, plot.left - 8, y + h / 2);
    ctx.font = `12px ${THEME.font}`;
  });
  timeAxis(ctx, plot, w);
  if (!showLegend) return;
  let lx = plot.left;
  const ly = plot.top + plot.height + 26 + 8;
  ctx.textAlign = 'left';
  for (const [text, c] of seen) {
    ctx.fillStyle = c;
    ctx.fillRect(lx, ly - 5, 14, 10);
    ctx.fillStyle = THEME.text;
    ctx.fillText(text, lx + 20, ly);
    lx += 20 + ctx.measureText(text).width + 16;
  }
};

/** Gauges and bar gauges as horizontal bars, one per series, coloured by threshold. */
