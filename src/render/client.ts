/**
 * The preview page: draws a Grafana dashboard JSON the way Grafana lays it out (24-column grid,
 * 30 px rows, 8 px gaps, dark theme), querying Prometheus through the preview server. Timeseries
 * are drawn with uPlot (Grafana's own chart library); stat, table, heatmap, state timeline and
 * bar gauges are drawn directly. Bundled for the browser by server.ts; imports nothing from Node.
 *
 * The page reads its configuration from <script id="config" type="application/json"> and sets
 * `document.body.dataset.state` to `done` (or `failed`, with the reason in data-error) once every
 * panel has drawn.
 */
import uPlot from 'uplot';
import { formatTicks, formatted, formatValue } from './format';
import { panelInterval, substituteVariables, type QueryTime } from './variables';

// ---------------------------------------------------------------------------------------------
// The dashboard JSON, as far as the preview reads it

export interface Threshold {
  value: number | null;
  color: string;
}
export interface Mapping {
  type: string;
  options: Record<string, { text?: string; color?: string }>;
}
export interface FieldConfig {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  noValue?: string;
  thresholds?: { steps: Threshold[] };
  mappings?: Mapping[];
  custom?: Record<string, unknown>;
}
export interface Override {
  matcher: { id: string; options: string };
  properties: { id: string; value: unknown }[];
}
export interface Target {
  expr: string;
  refId: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: string;
}
export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  fieldConfig?: { defaults?: FieldConfig; overrides?: Override[] };
  options?: Record<string, unknown>;
  transformations?: { id: string; options: Record<string, unknown> }[];
  maxDataPoints?: number;
  interval?: string;
}
export interface Annotation {
  name: string;
  enable: boolean;
  iconColor: string;
  expr?: string;
  step?: string;
}
export interface Dashboard {
  title: string;
  uid: string;
  panels: Panel[];
  templating?: { list: { name: string; label?: string; type: string; current?: { text?: string | string[] } }[] };
  annotations?: { list: Annotation[] };
  links?: { title: string }[];
}

export interface PreviewConfig {
  dashboard: Dashboard;
  fromMs: number;
  toMs: number;
  scrapeIntervalMs: number;
  /** Template variable values (All → `.*`). */
  variables: Record<string, string>;
  /** Page width in CSS pixels. */
  width: number;
  /** A line under the header saying what is shown. */
  caption: string;
}

// ---------------------------------------------------------------------------------------------
// Grafana's dark theme

const THEME = {
  canvas: '#111217',
  panel: '#181b1f',
  secondary: '#22252b',
  border: 'rgba(204, 204, 220, 0.12)',
  borderMedium: 'rgba(204, 204, 220, 0.2)',
  text: 'rgb(204, 204, 220)',
  textSecondary: 'rgba(204, 204, 220, 0.65)',
  grid: 'rgba(240, 250, 255, 0.09)',
  link: '#6E9FFF',
  font: '"DejaVu Sans"',
};

const HUES: Record<string, string> = {
  'super-light-red': '#FFA6B0', 'light-red': '#FF7383', red: '#F2495C', 'semi-dark-red': '#E02F44', 'dark-red': '#C4162A',
  'super-light-orange': '#FFCB7D', 'light-orange': '#FFB357', orange: '#FF9830', 'semi-dark-orange': '#FF780A', 'dark-orange': '#FA6400',
  'super-light-yellow': '#FFF899', 'light-yellow': '#FFEE52', yellow: '#FADE2A', 'semi-dark-yellow': '#F2CC0C', 'dark-yellow': '#E0B400',
  'super-light-green': '#C8F2C2', 'light-green': '#96D98D', green: '#73BF69', 'semi-dark-green': '#56A64B', 'dark-green': '#37872D',
  'super-light-blue': '#C0D8FF', 'light-blue': '#8AB8FF', blue: '#5794F2', 'semi-dark-blue': '#3274D9', 'dark-blue': '#1F60C4',
  'super-light-purple': '#DEB6F2', 'light-purple': '#CA95E5', purple: '#B877D9', 'semi-dark-purple': '#A352CC', 'dark-purple': '#8F3BB8',
  transparent: 'rgba(0,0,0,0)',
  text: THEME.text,
};

/** Grafana's classic palette, the default colour of series by their index in the panel. */
const CLASSIC = [
  'green', 'yellow', 'blue', 'orange', 'red', 'purple', 'dark-green', 'dark-yellow', 'dark-blue', 'dark-orange', 'dark-red', 'dark-purple',
  'super-light-green', 'super-light-yellow', 'super-light-blue', 'super-light-orange', 'super-light-red', 'super-light-purple',
  '#447EBC', '#C15C17', '#890F02', '#0A437C', '#6D1F62', '#584477', '#B7DBAB', '#F4D598', '#70DBED', '#F9BA8F', '#F29191', '#82B5D8',
];

const color = (name: string | undefined): string => (name ? HUES[name] ?? name : THEME.text);
const paletteColor = (i: number) => color(CLASSIC[i % CLASSIC.length]);

/** A colour (`#rrggbb` or `rgb(...)`) with an alpha. */
function alpha(c: string, a: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${a})`;
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(c);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${a})`;
  return c;
}

/** ColorBrewer Oranges, light to dark; Grafana reverses it in the dark theme (high counts bright). */
const ORANGES = ['#fff5eb', '#fee6ce', '#fdd0a2', '#fdae6b', '#fd8d3c', '#f16913', '#d94801', '#a63603', '#7f2704'];

function schemeColor(t: number): string {
  const stops = [...ORANGES].reverse();
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  const mix = (k: number) => Math.round(parseInt(a.slice(k, k + 2), 16) * (1 - f) + parseInt(b.slice(k, k + 2), 16) * f);
  return `rgb(${mix(1)}, ${mix(3)}, ${mix(5)})`;
}

// ---------------------------------------------------------------------------------------------
// Queries

interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

class QueryError extends Error {}

async function prom(path: string, params: Record<string, string>): Promise<PromSeries[]> {
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

interface Window {
  fromMs: number;
  toMs: number;
  stepMs: number;
  /** Aligned range-query start and end (multiples of the step). */
  startMs: number;
  endMs: number;
}

function queryWindow(config: PreviewConfig, maxDataPoints: number): Window {
  const stepMs = panelInterval(config.fromMs, config.toMs, maxDataPoints, config.scrapeIntervalMs);
  return {
    fromMs: config.fromMs,
    toMs: config.toMs,
    stepMs,
    startMs: Math.floor(config.fromMs / stepMs) * stepMs,
    endMs: Math.floor(config.toMs / stepMs) * stepMs,
  };
}

function concrete(config: PreviewConfig, expr: string, w: Window): string {
  const time: QueryTime = { fromMs: w.fromMs, toMs: w.toMs, intervalMs: w.stepMs, scrapeIntervalMs: config.scrapeIntervalMs };
  return substituteVariables(expr, config.variables, time);
}

function runTarget(config: PreviewConfig, target: Target, w: Window): Promise<PromSeries[]> {
  const query = concrete(config, target.expr, w);
  if (target.instant && !target.range) return prom('api/v1/query', { query, time: String(w.toMs / 1000) });
  return prom('api/v1/query_range', { query, start: String(w.startMs / 1000), end: String(w.endMs / 1000), step: String(w.stepMs / 1000) });
}

/** Grafana's legend format: `{{label}}` replaced by the series' label value. */
function displayName(target: Target, metric: Record<string, string>): string {
  if (target.legendFormat) return target.legendFormat.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, label: string) => metric[label] ?? '');
  const { __name__: name, ...labels } = metric;
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  if (!name && !body) return target.expr;
  return `${name ?? ''}${body ? `{${body}}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Layout

const ROW_HEIGHT = 30;
const GAP = 8;
const HEADER = 32;
const PAD = 8;

/** A canvas filling a panel's body below its header: the drawing surface of stat, heatmap and timeline. */
function panelCanvas(body: HTMLElement, box: { width: number; height: number }, className: string) {
  const width = box.width - 2 * PAD;
  const height = box.height - HEADER - PAD;
  const canvas = el('canvas', className);
  canvas.width = width;
  canvas.height = height;
  body.append(canvas);
  return { ctx: canvas.getContext('2d')!, width, height };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function header(config: PreviewConfig): HTMLElement {
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

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function gridBox(panel: Panel, containerWidth: number): Box {
  const col = (containerWidth - GAP * 23) / 24;
  const { x, y, w, h } = panel.gridPos;
  return {
    left: Math.round(x * (col + GAP)),
    top: y * (ROW_HEIGHT + GAP),
    width: Math.round(w * col + (w - 1) * GAP),
    height: h * ROW_HEIGHT + (h - 1) * GAP,
  };
}

// ---------------------------------------------------------------------------------------------
// Field configuration

interface FieldProps {
  unit?: string;
  decimals?: number;
  min?: number;
  noValue?: string;
  thresholds?: Threshold[];
  mappings?: Mapping[];
  fillOpacity: number;
  lineWidth: number;
  dash?: number[];
  axisRight: boolean;
  drawStyle: string;
  stacking: boolean;
  cellBackground: boolean;
  links: boolean;
}

function fieldProps(panel: Panel, name: string): FieldProps {
  const d = panel.fieldConfig?.defaults ?? {};
  const custom = d.custom ?? {};
  const props: FieldProps = {
    unit: d.unit,
    decimals: d.decimals,
    min: d.min,
    noValue: d.noValue,
    thresholds: d.thresholds?.steps,
    mappings: d.mappings,
    fillOpacity: Number(custom.fillOpacity ?? 0),
    lineWidth: Number(custom.lineWidth ?? 1),
    dash: undefined,
    axisRight: custom.axisPlacement === 'right',
    drawStyle: String(custom.drawStyle ?? 'line'),
    stacking: (custom.stacking as { mode?: string } | undefined)?.mode === 'normal',
    cellBackground: (custom.cellOptions as { type?: string } | undefined)?.type === 'color-background',
    links: Array.isArray((d as { links?: unknown[] }).links) && ((d as { links?: unknown[] }).links?.length ?? 0) > 0,
  };
  for (const o of panel.fieldConfig?.overrides ?? []) {
    const matches = o.matcher.id === 'byName' ? o.matcher.options === name : o.matcher.id === 'byRegexp' ? new RegExp(`^(?:${o.matcher.options})$`).test(name) : false;
    if (!matches) continue;
    for (const p of o.properties) {
      if (p.id === 'unit') props.unit = p.value as string;
      else if (p.id === 'decimals') props.decimals = p.value as number;
      else if (p.id === 'mappings') props.mappings = p.value as Mapping[];
      else if (p.id === 'thresholds') props.thresholds = (p.value as { steps: Threshold[] }).steps;
      else if (p.id === 'links') props.links = true;
      else if (p.id === 'custom.fillOpacity') props.fillOpacity = p.value as number;
      else if (p.id === 'custom.axisPlacement') props.axisRight = p.value === 'right';
      else if (p.id === 'custom.lineStyle') {
        const style = p.value as { fill?: string; dash?: number[] };
        props.dash = style.fill === 'dash' ? style.dash ?? [10, 10] : undefined;
      } else if (p.id === 'custom.cellOptions') props.cellBackground = (p.value as { type?: string }).type === 'color-background';
    }
  }
  return props;
}

function thresholdColor(steps: Threshold[] | undefined, value: number | null): string {
  if (!steps?.length) return color('green');
  let chosen = steps[0]!.color;
  if (value !== null && Number.isFinite(value)) for (const s of steps) if (s.value === null || value >= s.value) chosen = s.color;
  return color(chosen);
}

function mapped(mappings: Mapping[] | undefined, value: number | null): { text: string; color?: string } | undefined {
  if (value === null) return undefined;
  for (const m of mappings ?? []) if (m.type === 'value' && m.options[String(value)]) return { text: m.options[String(value)]!.text ?? String(value), color: m.options[String(value)]!.color };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Panels

type Drawer = (config: PreviewConfig, panel: Panel, body: HTMLElement, box: Box) => Promise<void>;

function noData(body: HTMLElement, text = 'No data'): void {
  body.append(el('div', 'nodata', text));
}

/** Range results on the window's grid: one value (or null) per step, as Grafana inserts nulls into gaps. */
interface Field {
  name: string;
  values: (number | null)[];
  props: FieldProps;
  index: number;
}

async function rangeFields(config: PreviewConfig, panel: Panel, w: Window): Promise<{ xs: number[]; fields: Field[] }> {
  const xs: number[] = [];
  for (let t = w.startMs; t <= w.endMs; t += w.stepMs) xs.push(t / 1000);
  const results = await Promise.all((panel.targets ?? []).map((t) => runTarget(config, t, w)));
  const fields: Field[] = [];
  results.forEach((series, i) => {
    const target = panel.targets![i]!;
    for (const s of series) {
      const values: (number | null)[] = new Array(xs.length).fill(null);
      for (const [t, v] of s.values) {
        const k = Math.round((t * 1000 - w.startMs) / w.stepMs);
        const n = Number(v);
        if (k >= 0 && k < xs.length && Number.isFinite(n)) values[k] = n;
      }
      const name = displayName(target, s.metric);
      fields.push({ name, values, props: fieldProps(panel, name), index: fields.length });
    }
  });
  return { xs, fields };
}

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

let annotationCache: Promise<AnnotationEvent[]> | undefined;

/** The dashboard's Prometheus annotations: a series' run of samples is one event (a region when it spans steps). */
function annotations(config: PreviewConfig): Promise<AnnotationEvent[]> {
  annotationCache ??= (async () => {
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
  return annotationCache;
}

const timeseries: Drawer = async (config, panel, body, box) => {
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

const stat: Drawer = async (config, panel, body, box) => {
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

interface Row {
  cells: Map<string, string | number>;
}

/** Grafana's table transformations our dashboards use: merge, organize, filterFieldsByName. */
function tableRows(panel: Panel, results: PromSeries[][]): { columns: string[]; rows: Row[] } {
  let columns: string[] = [];
  let rows: Row[] = [];
  const merge = panel.transformations?.some((t) => t.id === 'merge') ?? false;
  results.forEach((series, i) => {
    const ref = panel.targets![i]!.refId;
    const valueColumn = results.length > 1 ? `Value #${ref}` : 'Value';
    for (const s of series) {
      const labels = Object.entries(s.metric).filter(([k]) => k !== '__name__');
      const value = Number(s.values[s.values.length - 1]?.[1]);
      for (const [k] of labels) if (!columns.includes(k)) columns.push(k);
      if (!columns.includes(valueColumn)) columns.push(valueColumn);
      // merge: a row joins every row of the other queries whose shared labels have the same values.
      const matches = merge ? rows.filter((r) => !r.cells.has(valueColumn) && labels.some(([k]) => r.cells.has(k)) && labels.every(([k, v]) => !r.cells.has(k) || r.cells.get(k) === v)) : [];
      if (matches.length === 0) rows.push({ cells: new Map<string, string | number>() });
      for (const row of matches.length ? matches : [rows[rows.length - 1]!]) {
        for (const [k, v] of labels) row.cells.set(k, v);
        row.cells.set(valueColumn, value);
      }
    }
  });
  for (const t of panel.transformations ?? []) {
    if (t.id === 'organize') {
      const o = t.options as { excludeByName?: Record<string, boolean>; indexByName?: Record<string, number>; renameByName?: Record<string, string> };
      columns = columns.filter((c) => !o.excludeByName?.[c]);
      const index = o.indexByName ?? {};
      columns.sort((a, b) => (index[a] ?? 1000) - (index[b] ?? 1000));
      const rename = o.renameByName ?? {};
      rows = rows.map((r) => ({ cells: new Map([...r.cells].map(([k, v]) => [rename[k] ?? k, v])) }));
      columns = columns.map((c) => rename[c] ?? c);
    } else if (t.id === 'filterFieldsByName') {
      const names = (t.options as { include?: { names?: string[] } }).include?.names;
      if (names) columns = columns.filter((c) => names.includes(c));
    }
  }
  return { columns, rows };
}

const table: Drawer = async (config, panel, body, box) => {
  const w = queryWindow(config, Math.max(1, box.width - 2 * PAD));
  const results = await Promise.all((panel.targets ?? []).map((t) => runTarget(config, t, w)));
  const { columns, rows } = tableRows(panel, results);
  if (rows.length === 0 || columns.length === 0) return noData(body);
  const sortBy = (panel.options?.sortBy as { displayName: string; desc: boolean }[] | undefined)?.[0];
  if (sortBy) {
    const key = (r: Row) => r.cells.get(sortBy.displayName);
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === undefined || y === undefined) return x === undefined ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sortBy.desc ? -c : c;
    });
  }
  const props = new Map(columns.map((c) => [c, fieldProps(panel, c)]));
  const tableEl = el('table', 'grid');
  tableEl.style.width = `${box.width - 2 * PAD}px`;
  const head = el('tr');
  for (const c of columns) {
    const th = el('th', undefined, c);
    if (sortBy?.displayName === c) th.append(el('span', 'sort', sortBy.desc ? ' ↓' : ' ↑'));
    head.append(th);
  }
  tableEl.append(head);
  for (const r of rows) {
    const tr = el('tr');
    for (const c of columns) {
      const v = r.cells.get(c);
      const p = props.get(c)!;
      const td = el('td');
      if (typeof v === 'number') {
        const m = mapped(p.mappings, v);
        td.textContent = m ? m.text : formatted(v, p.unit, p.decimals);
        td.className = 'num';
        if (p.cellBackground) {
          const bg = thresholdColor(p.thresholds, v);
          if (bg !== HUES.transparent) {
            td.style.background = bg;
            td.style.color = '#ffffff';
          }
        }
      } else {
        td.textContent = v ?? '';
        if (p.links) td.className = 'link';
      }
      tr.append(td);
    }
    tableEl.append(tr);
  }
  body.append(tableEl);
};

const heatmap: Drawer = async (config, panel, body, box) => {
  const w = queryWindow(config, Math.max(1, box.width - 2 * PAD));
  const { xs, fields } = await rangeFields(config, panel, w);
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

function timeAxis(ctx: CanvasRenderingContext2D, plot: { left: number; top: number; width: number; height: number }, w: Window): void {
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

const stateTimeline: Drawer = async (config, panel, body, box) => {
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
const barGauge: Drawer = async (config, panel, body, box) => {
  const w = queryWindow(config, Math.max(1, box.width - 2 * PAD));
  const results = await Promise.all((panel.targets ?? []).map((t) => runTarget(config, t, w)));
  const items = results.flatMap((series, i) =>
    series.map((s) => {
      let v: number | null = null;
      for (const [, x] of s.values) if (Number.isFinite(Number(x))) v = Number(x);
      return { name: displayName(panel.targets![i]!, s.metric), value: v };
    }),
  );
  if (items.length === 0) return noData(body);
  const props = fieldProps(panel, '');
  const max = props.thresholds?.length ? Math.max(100, ...items.map((x) => x.value ?? 0)) : Math.max(...items.map((x) => x.value ?? 0), 1);
  for (const item of items) {
    const row = el('div', 'bar-row');
    const label = el('div', 'bar-label', item.name);
    const track = el('div', 'bar-track');
    const bar = el('div', 'bar');
    const c = thresholdColor(props.thresholds, item.value);
    bar.style.width = `${Math.max(0, Math.min(1, (item.value ?? 0) / max)) * 100}%`;
    bar.style.background = c;
    track.append(bar);
    const value = el('div', 'bar-value', formatValue(item.value, props.unit, props.decimals).text + formatValue(item.value, props.unit, props.decimals).suffix);
    value.style.color = c;
    row.append(label, track, value);
    body.append(row);
  }
};

const DRAWERS: Record<string, Drawer> = {
  timeseries,
  stat,
  table,
  heatmap,
  'state-timeline': stateTimeline,
  gauge: barGauge,
  bargauge: barGauge,
};

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const config = JSON.parse(document.getElementById('config')!.textContent!) as PreviewConfig;
  document.body.append(header(config));
  const container = el('div', 'dashboard');
  const innerWidth = config.width - 2 * 16;
  container.style.width = `${innerWidth}px`;
  document.body.append(container);
  let bottom = 0;
  const work: Promise<void>[] = [];
  for (const panel of config.dashboard.panels) {
    const box = gridBox(panel, innerWidth);
    bottom = Math.max(bottom, box.top + box.height);
    if (panel.type === 'row') {
      const row = el('div', 'row-title');
      Object.assign(row.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
      row.append(el('span', 'chevron', '⌄'), el('span', undefined, panel.title));
      container.append(row);
      continue;
    }
    const node = el('div', 'panel');
    Object.assign(node.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
    const title = el('div', 'panel-title');
    title.append(el('span', 'title-text', panel.title));
    const body = el('div', 'panel-body');
    body.style.height = `${box.height - HEADER - PAD}px`;
    node.append(title, body);
    container.append(node);
    const draw = DRAWERS[panel.type];
    work.push(
      (draw ? draw(config, panel, body, box) : Promise.resolve(noData(body, `panel type ${panel.type} is not previewed`))).catch((error: unknown) => {
        body.textContent = '';
        const message = el('div', 'panel-error', `⚠ ${(error as Error).message}`);
        body.append(message);
        throw new Error(`${panel.title}: ${(error as Error).message}`);
      }),
    );
  }
  container.style.height = `${bottom}px`;
  const results = await Promise.allSettled(work);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String((r.reason as Error).message));
  await document.fonts.ready;
  document.body.dataset.error = failures.join('\n');
  document.body.dataset.state = failures.length ? 'failed' : 'done';
}

main().catch((error: unknown) => {
  document.body.dataset.error = String((error as Error)?.message ?? error);
  document.body.dataset.state = 'failed';
});
