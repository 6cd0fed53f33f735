/** The dashboard JSON, as far as the preview reads it, and what the page is told to show. */

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
  /** Grafana's "Exemplars" switch: the query's exemplars are drawn on the panel. */
  exemplar?: boolean;
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
  /**
   * Where a table cell with a trace link leads, the cell's value appended: the console's trace page
   * (`trace?planId=`). Without it the cell is only coloured as a link, as in the screenshots.
   */
  traceLink?: string;
  /**
   * Where an exemplar leads, its trace id appended: the console's trace page (`trace?traceId=`).
   * Only with it are exemplars fetched and drawn (the screenshots draw none).
   */
  exemplarLink?: string;
}
