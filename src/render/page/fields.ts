/** Field configuration (defaults and overrides), thresholds, value mappings, and range results on the grid. */
import type { Mapping, Panel, PreviewConfig, Threshold } from './model';
import { displayName, runTarget, type Window } from './query';
import { color } from './theme';

export interface FieldProps {
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

export function fieldProps(panel: Panel, name: string): FieldProps {
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

export function thresholdColor(steps: Threshold[] | undefined, value: number | null): string {
  if (!steps?.length) return color('green');
  let chosen = steps[0]!.color;
  if (value !== null && Number.isFinite(value)) for (const s of steps) if (s.value === null || value >= s.value) chosen = s.color;
  return color(chosen);
}

export function mapped(mappings: Mapping[] | undefined, value: number | null): { text: string; color?: string } | undefined {
  if (value === null) return undefined;
  for (const m of mappings ?? []) if (m.type === 'value' && m.options[String(value)]) return { text: m.options[String(value)]!.text ?? String(value), color: m.options[String(value)]!.color };
  return undefined;
}


/** Range results on the window's grid: one value (or null) per step, as Grafana inserts nulls into gaps. */
export interface Field {
  name: string;
  values: (number | null)[];
  props: FieldProps;
  index: number;
}

export async function rangeFields(config: PreviewConfig, panel: Panel, w: Window): Promise<{ xs: number[]; fields: Field[] }> {
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
