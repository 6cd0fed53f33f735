/**
 * Panel factories over the Grafana Foundation SDK. Each takes a `PanelSpec` (id, title, description,
 * unit, queries and the scenarios the panel is for) and returns the spec with its builder, so the
 * scenario table and the lint read the same definitions the JSON is built from.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  MappingType,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DynamicConfigValue,
  type Panel,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BigValueGraphMode,
  GraphDrawStyle,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as HeatmapBuilder, HeatmapColorMode, HeatmapColorOptionsBuilder, YAxisConfigBuilder } from '@grafana/grafana-foundation-sdk/heatmap';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import type { Scenario } from './scenarios';
import type { InternalDataLink } from './traces';
import { PROMETHEUS } from './variables';

export interface TargetSpec {
  expr: string;
  /** Legend template, e.g. `{{namespace}}/{{cluster}}`. */
  legend?: string;
  /** Ask for the expression's exemplars too (trace ids, linked by the data source to the trace view). */
  exemplars?: boolean;
}

export interface PanelSpec {
  id: number;
  title: string;
  description: string;
  /** Grafana unit id (`short`, `s`, `percentunit`, `none`, ...). */
  unit: string;
  targets: readonly TargetSpec[];
  /**
   * Scenarios in which the panel shows the signal it is for: a non-empty, non-zero result somewhere
   * in the scenario's history (the on-data test checks it). Empty for a signal no scenario stages.
   */
  scenarios: readonly Scenario[];
  width?: number;
  height?: number;
}

export interface PanelDef {
  spec: PanelSpec;
  builder: cog.Builder<Panel>;
}

/** `[value, color]` steps; the first value is the base (null). */
export type Steps = readonly (readonly [number | null, string])[];

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

type QueryShape = 'range' | 'instant' | 'instant-table' | 'heatmap';

function queries(spec: PanelSpec, shape: QueryShape): DataqueryBuilder[] {
  return spec.targets.map((t, i) => {
    const q = new DataqueryBuilder().datasource(PROMETHEUS).refId(REF_IDS[i]!).expr(t.expr);
    if (t.legend) q.legendFormat(t.legend);
    if (t.exemplars) q.exemplar(true);
    if (shape === 'instant') q.instant();
    else if (shape === 'instant-table') q.instant().format(PromQueryFormat.Table);
    else if (shape === 'heatmap') q.range().format(PromQueryFormat.Heatmap);
    else q.range();
    return q;
  });
}

const thresholds = (steps: Steps) =>
  new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map(([value, color]) => ({ value, color })));

/** Fields every panel shares. The builders have the same methods but no common type, hence the structural one. */
interface Common<B> {
  id(id: number): B;
  title(title: string): B;
  description(description: string): B;
  datasource(ref: typeof PROMETHEUS): B;
  unit(unit: string): B;
  span(w: number): B;
  height(h: number): B;
  targets(targets: DataqueryBuilder[]): B;
}

function common<B extends Common<B>>(builder: B, spec: PanelSpec, shape: QueryShape): B {
  return builder
    .id(spec.id)
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .targets(queries(spec, shape));
}

/** Adds data links to the built panel (the SDK's `dataLinks` types them as dashboard links). */
function withLinks(builder: cog.Builder<Panel>, links: readonly InternalDataLink[]): cog.Builder<Panel> {
  if (!links.length) return builder;
  return {
    build: () => {
      const panel = builder.build();
      panel.fieldConfig = panel.fieldConfig ?? { defaults: {}, overrides: [] };
      // Grafana's schema types field links loosely (`links?: unknown[]`); the SDK types them as dashboard links.
      (panel.fieldConfig.defaults as { links?: unknown[] }).links = [...links];
      return panel;
    },
  };
}

export interface TimeseriesOptions {
  style?: 'lines' | 'stacked' | 'bars';
  thresholds?: Steps;
  /** Per-series overrides: a regex on the display name → field properties. */
  overrides?: readonly { match: string; properties: DynamicConfigValue[] }[];
  links?: readonly InternalDataLink[];
  min?: number;
}

export function timeseries(spec: PanelSpec, options: TimeseriesOptions = {}): PanelDef {
  const b = common(new TimeseriesBuilder(), spec, 'range')
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom))
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending))
    .fillOpacity(options.style === 'lines' || !options.style ? 10 : 70)
    .showPoints(VisibilityMode.Never);
  if (options.style === 'bars') b.drawStyle(GraphDrawStyle.Bars);
  if (options.style === 'stacked' || options.style === 'bars') b.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  if (options.thresholds) b.thresholds(thresholds(options.thresholds));
  if (options.min !== undefined) b.min(options.min);
  for (const o of options.overrides ?? []) b.overrideByRegexp(o.match, o.properties);
  return { spec, builder: withLinks(b, options.links ?? []) };
}

export interface StatOptions {
  thresholds?: Steps;
  sparkline?: boolean;
  noValue?: string;
  decimals?: number;
}

export function stat(spec: PanelSpec, options: StatOptions = {}): PanelDef {
  const b = common(new StatBuilder(), spec, options.sparkline ? 'range' : 'instant')
    .graphMode(options.sparkline ? BigValueGraphMode.Area : BigValueGraphMode.None)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  b.thresholds(thresholds(options.thresholds ?? [[null, 'green']]));
  if (options.noValue) b.noValue(options.noValue);
  if (options.decimals !== undefined) b.decimals(options.decimals);
  return { spec, builder: b };
}

export interface TableColumn {
  /** Column name after the merge: a label name, or `Value #<refId>` for a query's value. */
  field: string;
  title: string;
  unit?: string;
  links?: readonly InternalDataLink[];
  thresholds?: Steps;
  mappings?: readonly ValueText[];
}

export interface TableOptions {
  /** Columns in order; every other field is hidden. */
  columns: readonly TableColumn[];
  sortBy?: { title: string; desc: boolean };
}

/** Instant queries, one row per label set, joined on their common labels. */
export function table(spec: PanelSpec, options: TableOptions): PanelDef {
  const b = common(new TableBuilder(), spec, 'instant-table');
  b.withTransformation({ id: 'merge', options: {} });
  b.withTransformation({
    id: 'organize',
    options: {
      excludeByName: { Time: true },
      indexByName: Object.fromEntries(options.columns.map((c, i) => [c.field, i])),
      renameByName: Object.fromEntries(options.columns.map((c) => [c.field, c.title])),
    },
  });
  b.withTransformation({ id: 'filterFieldsByName', options: { include: { names: options.columns.map((c) => c.title) } } });
  for (const c of options.columns) {
    const properties: DynamicConfigValue[] = [];
    if (c.unit) properties.push({ id: 'unit', value: c.unit });
    if (c.links?.length) properties.push({ id: 'links', value: [...c.links] });
    if (c.mappings) properties.push({ id: 'mappings', value: valueMappings(c.mappings) });
    if (c.thresholds) {
      properties.push({ id: 'thresholds', value: thresholds(c.thresholds).build() });
      properties.push({ id: 'custom.cellOptions', value: { type: 'color-background' } });
    }
    if (properties.length) b.overrideByName(c.title, properties);
  }
  if (options.sortBy) b.sortBy([{ build: () => ({ displayName: options.sortBy!.title, desc: options.sortBy!.desc }) }]);
  return { spec, builder: b };
}

/** A Prometheus histogram as a heatmap: bucket increases per `le`, no recalculation. */
export function heatmap(spec: PanelSpec, yUnit: string): PanelDef {
  const b = common(new HeatmapBuilder(), spec, 'heatmap')
    .calculate(false)
    .yAxis(new YAxisConfigBuilder().unit(yUnit))
    .color(new HeatmapColorOptionsBuilder().mode(HeatmapColorMode.Scheme).scheme('Oranges').fill('dark-orange').exponent(0.5).steps(64).reverse(false))
    .showValue(VisibilityMode.Never);
  return { spec, builder: b };
}

/** A value shown as text, in a color. */
export interface ValueText {
  value: number;
  text: string;
  color: string;
}

function valueMappings(mappings: readonly ValueText[]): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(mappings.map((m, index) => [String(m.value), { text: m.text, color: m.color, index }])),
    },
  ];
}

export interface TimelineOptions {
  mappings: readonly ValueText[];
}

export function stateTimeline(spec: PanelSpec, options: TimelineOptions): PanelDef {
  const b = common(new StateTimelineBuilder(), spec, 'range').mappings(valueMappings(options.mappings)).showValue(VisibilityMode.Never).mergeValues(true);
  return { spec, builder: b };
}
