/** Grafana's grid and panel chrome: boxes, canvases, the header, the time axis. */
import type { Panel, PreviewConfig } from './model';
import type { Window } from './query';
import { THEME } from './theme';

export const ROW_HEIGHT = 30;
export const GAP = 8;
export const HEADER = 32;
export const PAD = 8;

/** A canvas filling a panel's body below its header: the drawing surface of stat, heatmap and timeline. */
export function panelCanvas(body: HTMLElement, box: { width: number; height: number }, className: string) {
  const width = box.width - 2 * PAD;
  const height = box.height - HEADER - PAD;
  const canvas = el('canvas', className);
  canvas.width = width;
  canvas.height = height;
  body.append(canvas);
  return { ctx: canvas.getContext('2d')!, width, height };
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function header(config: PreviewConfig): HTMLElement {
  const d = config.dashboard;
  const top = el('div', 'topbar');
  const crumbs = el('div', 'crumbs');
  crumbs.append(el('span', 'crumb', 'Home'), el('span', 'sep', '›'), el('span', 'crumb', 'Dashboards'), el('span', 'sep', '›'), el('span', 'crumb current', d.title));
  const time = el('div', 'timepicker', `${iso(config.fromMs)} to ${iso(config.toMs)}`);
  const tz = el('div', 'timezone', 'UTC');
  const right = el('div', 'right');
  right.append(time, tz);
  top.append(crumbs, right);

  const controls = el('div', 'controls');
  for (const v of d.templating?.list ?? []) {
    const box = el('div', 'variable');
    const current = v.current?.text;
    box.append(el('span', 'label', v.label ?? v.name), el('span', 'value', Array.isArray(current) ? current.join(' + ') : current ?? ''));
    controls.append(box);
  }
  for (const a of d.annotations?.list ?? []) {
    if (!a.expr) continue;
    const toggle = el('div', 'annotation-toggle');
    const sw = el('span', `switch${a.enable ? ' on' : ''}`);
    toggle.append(el('span', 'label', a.name), sw);
    controls.append(toggle);
  }
  const spacer = el('div', 'spacer');
  controls.append(spacer);
  for (const link of d.links ?? []) controls.append(el('div', 'dashlink', `▦ ${link.title}`));

  const wrap = el('div', 'header');
  wrap.append(top, controls, el('div', 'caption', config.caption));
  return wrap;
}

export const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function gridBox(panel: Panel, containerWidth: number): Box {
  const col = (containerWidth - GAP * 23) / 24;
  const { x, y, w, h } = panel.gridPos;
  return {
    left: Math.round(x * (col + GAP)),
    top: y * (ROW_HEIGHT + GAP),
    width: Math.round(w * col + (w - 1) * GAP),
    height: h * ROW_HEIGHT + (h - 1) * GAP,
  };
}


export function timeAxis(ctx: CanvasRenderingContext2D, plot: { left: number; top: number; width: number; height: number }, w: Window): void {
  const span = w.toMs - w.fromMs;
  const candidates = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);
  const tick = candidates.find((c) => (plot.width / span) * c >= 80) ?? candidates[candidates.length - 1]!;
  ctx.fillStyle = THEME.textSecondary;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.strokeStyle = THEME.grid;
  for (let t = Math.ceil(w.fromMs / tick) * tick; t <= w.toMs; t += tick) {
    const x = Math.round(plot.left + ((t - w.fromMs) / span) * plot.width) + 0.5;
    if (x + ctx.measureText('00:00').width / 2 > ctx.canvas.width) continue;
    ctx.fillText(new Date(t).toISOString().slice(11, 16), x, plot.top + plot.height + 6);
  }
}
