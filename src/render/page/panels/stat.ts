/** Stat panels: the last value coloured by threshold, with its sparkline when the panel asks. */
import { formatted } from '../../format';
import { fieldProps, thresholdColor } from '../fields';
import { panelCanvas, PAD } from '../layout';
import { queryWindow, runTarget } from '../query';
import { alpha, THEME } from '../theme';
import type { Drawer } from './drawer';

export const stat: Drawer = async (config, panel, body, box) => {
  const target = panel.targets?.[0];
  const props = fieldProps(panel, '');
  const maxDataPoints = Math.max(1, box.width - 2 * PAD);
  const w = queryWindow(config, maxDataPoints);
  const series = target ? await runTarget(config, target, w) : [];
  const first = series[0];
  let value: number | null = null;
  for (const [, v] of first?.values ?? []) if (Number.isFinite(Number(v))) value = Number(v);
  const fg = thresholdColor(props.thresholds, value);
  const text = value === null ? props.noValue ?? 'No data' : formatted(value, props.unit, props.decimals);
  const { ctx, width, height } = panelCanvas(body, box, 'stat');
  const graph = (panel.options?.graphMode as string) === 'area' && first && first.values.length > 1;
  if (graph) {
    const values = first.values.map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v));
    const lo = Math.min(0, ...values.map(([, v]) => v));
    const hi = Math.max(...values.map(([, v]) => v), lo + 1e-9);
    const top = height * 0.55;
    const x = (t: number) => ((t * 1000 - config.fromMs) / (config.toMs - config.fromMs)) * width;
    const y = (v: number) => height - ((v - lo) / (hi - lo)) * (height - top);
    ctx.beginPath();
    values.forEach(([t, v], i) => (i ? ctx.lineTo(x(t), y(v)) : ctx.moveTo(x(t), y(v))));
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.lineTo(x(values[values.length - 1]![0]), height);
    ctx.lineTo(x(values[0]![0]), height);
    ctx.closePath();
    const gradient = ctx.createLinearGradient(0, top, 0, height);
    gradient.addColorStop(0, alpha(fg, 0.35));
    gradient.addColorStop(1, alpha(fg, 0.05));
    ctx.fillStyle = gradient;
    ctx.fill();
  }
  const size = Math.floor(Math.min(height * (graph ? 0.42 : 0.6), (width * 0.9) / Math.max(1, text.length * 0.62), 72));
  ctx.font = `500 ${size}px ${THEME.font}`;
  ctx.fillStyle = fg;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, width / 2, graph ? height * 0.3 : height / 2);
};
