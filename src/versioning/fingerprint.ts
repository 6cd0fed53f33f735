/**
 * What a shipped dashboard or rule file promises, reduced to the parts a reader relies on: panels by
 * id (type, title, unit, the series they read, their queries), variables, links; alerts and recorded
 * series by name. Everything else is kept as hashes, so any other edit is still seen.
 */
import { createHash } from 'node:crypto';

export interface QueryPrint {
  refId: string;
  expr: string;
  legend?: string;
}

export interface PanelPrint {
  type: string;
  title: string;
  unit: string;
  /** Series names the queries read, sorted. */
  series: string[];
  queries: QueryPrint[];
  /** Titles of the panel's data links. */
  dataLinks: string[];
  /** Hash of every other top-level field (layout, style, description, ...). */
  other: Record<string, string>;
}

export interface VariablePrint {
  type: string;
  query: string;
  other: string;
}

export interface DashboardPrint {
  kind: 'dashboard';
  uid: string;
  title: string;
  panels: Record<string, PanelPrint>;
  variables: Record<string, VariablePrint>;
  /** Dashboard links by title → url. */
  links: Record<string, string>;
  other: Record<string, string>;
}

export interface RulePrint {
  exprs: string[];
  for: string[];
  /** `name=value`, sorted. */
  labels: string[];
  annotations: string;
}

export interface RulesPrint {
  kind: 'rules';
  groups: string[];
  alerts: Record<string, RulePrint>;
  records: Record<string, RulePrint>;
}

export type Print = DashboardPrint | RulesPrint;

/** JSON with sorted keys, so a hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const hash = (value: unknown): string => createHash('sha256').update(canonical(value)).digest('hex').slice(0, 12);

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'atan2']);

/**
 * Series names a PromQL expression reads: identifiers that are not functions, aggregations,
 * keywords, label names in a grouping clause, label matchers or template variables.
 */
export function seriesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\$\{?[A-Za-z_][\w]*\}?/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.:])([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    if (m[2] || PROMQL_WORDS.has(m[1]!.toLowerCase())) continue;
    names.add(m[1]!);
  }
  return [...names].sort();
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

function others(o: Json, skip: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([k]) => !skip.includes(k))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, hash(v)]),
  );
}

function dataLinkTitles(panel: Json): string[] {
  const field = obj(panel.fieldConfig);
  const direct = arr(obj(field.defaults).links);
  const overrides = arr(field.overrides).flatMap((o) => arr(obj(o).properties).filter((p) => obj(p).id === 'links').flatMap((p) => arr(obj(p).value)));
  return [...direct, ...overrides].map((l) => str(obj(l).title)).sort();
}

function panelPrint(panel: Json): PanelPrint {
  const queries = arr(panel.targets).map((t) => {
    const q = obj(t);
    return { refId: str(q.refId), expr: str(q.expr), ...(q.legendFormat ? { legend: str(q.legendFormat) } : {}) };
  });
  return {
    type: str(panel.type),
    title: str(panel.title),
    unit: str(obj(obj(panel.fieldConfig).defaults).unit),
    series: [...new Set(queries.flatMap((q) => seriesOf(q.expr)))].sort(),
    queries,
    dataLinks: dataLinkTitles(panel),
    other: others(panel, ['id', 'type', 'title', 'targets']),
  };
}

/** Strips the version stamp (tag and description sentence) so the print compares content only. */
export type Unstamp = (dashboard: Json) => Json;

export function dashboardPrint(dashboard: unknown, unstamp: Unstamp = (d) => d): DashboardPrint {
  const d = unstamp(obj(dashboard));
  const panels = arr(d.panels).flatMap((p) => [obj(p), ...arr(obj(p).panels).map(obj)]);
  return {
    kind: 'dashboard',
    uid: str(d.uid),
    title: str(d.title),
    panels: Object.fromEntries(panels.map((p) => [String(p.id), panelPrint(p)])),
    variables: Object.fromEntries(
      arr(obj(d.templating).list).map((v) => {
        const o = obj(v);
        return [str(o.name), { type: str(o.type), query: str(o.query), other: hash({ ...o, current: undefined, options: undefined }) }];
      }),
    ),
    links: Object.fromEntries(arr(d.links).map((l) => [str(obj(l).title), str(obj(l).url)])),
    other: others(d, ['uid', 'title', 'panels', 'templating', 'links', 'version', 'id']),
  };
}

interface RawRule {
  alert?: string;
  record?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A parsed Prometheus rule file (`{ groups: [{ name, rules }] }`). */
export function rulesPrint(file: unknown): RulesPrint {
  const groups = arr(obj(file).groups).map(obj);
  const alerts: Record<string, RulePrint> = {};
  const records: Record<string, RulePrint> = {};
  for (const rule of groups.flatMap((g) => arr(g.rules)) as RawRule[]) {
    const name = rule.alert ?? rule.record ?? '';
    const into = rule.alert ? alerts : records;
    const print = (into[name] ??= { exprs: [], for: [], labels: [], annotations: '' });
    print.exprs.push(str(rule.expr).trim());
    print.for.push(rule.for ?? '0s');
    for (const [k, v] of Object.entries(rule.labels ?? {})) if (!print.labels.includes(`${k}=${v}`)) print.labels.push(`${k}=${v}`);
    print.labels.sort();
    print.annotations = hash([print.annotations, rule.annotations ?? {}]);
  }
  return { kind: 'rules', groups: groups.map((g) => `${str(g.name)}${g.interval ? ` every ${str(g.interval)}` : ''}`), alerts, records };
}
