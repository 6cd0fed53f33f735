/**
 * Dashboard lint, in the spirit of Grafana's dashboard-linter: rules over the generated JSON, each
 * returning the problems it finds. `LINT_RULES` lists them by name; `lintDashboard` runs them all.
 */
import { L } from '../schema/labels';
import { checkPromql, checkVariableQuery, type Catalog } from './promql-check';
import { INTERVAL, RANGE, RATE_WINDOW, VARS } from './promql';
import { ALL_VALUE } from './variables';

/** The parts of Grafana dashboard JSON the rules read; loose, so a test can feed broken input. */
export interface LintDatasource {
  type?: string;
  uid?: string;
}
export interface LintTarget {
  refId?: string;
  expr?: string;
  datasource?: LintDatasource | null;
}
export interface LintPanel {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: LintDatasource | null;
  targets?: LintTarget[];
  fieldConfig?: { defaults?: { unit?: string } };
  gridPos?: { x: number; y: number; w: number; h: number };
  panels?: LintPanel[];
}
export interface LintVariable {
  type: string;
  name: string;
  query?: unknown;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  refresh?: number;
  datasource?: LintDatasource | null;
}
export interface LintAnnotation {
  name: string;
  datasource?: LintDatasource | null;
  expr?: string;
}
export interface LintDashboard {
  uid?: string;
  panels?: LintPanel[];
  templating?: { list?: LintVariable[] };
  annotations?: { list?: LintAnnotation[] };
}

export interface LintProblem {
  rule: LintRuleName;
  where: string;
  message: string;
}

type Rule = (d: LintDashboard, catalog: Catalog) => Omit<LintProblem, 'rule'>[];

const SCOPE_VARIABLES = [VARS.namespace, VARS.cluster] as const;
const isTemplated = (ds: LintDatasource | null | undefined) =>
  !!ds && ds.type === 'prometheus' && (ds.uid === `\${${VARS.datasource}}` || ds.uid === `$${VARS.datasource}`);

/** Every panel, rows and the panels of collapsed rows included. */
export function allPanels(d: LintDashboard): LintPanel[] {
  return (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}
const visualPanels = (d: LintDashboard) => allPanels(d).filter((p) => p.type !== 'row');
const where = (p: LintPanel) => `panel ${p.id ?? '?'} "${p.title ?? ''}"`;

/** Every PromQL expression: panel targets and annotation queries. */
function expressions(d: LintDashboard): { where: string; expr: string }[] {
  return [
    ...visualPanels(d).flatMap((p) => (p.targets ?? []).filter((t) => t.expr).map((t) => ({ where: `${where(p)} target ${t.refId ?? '?'}`, expr: t.expr! }))),
    ...(d.annotations?.list ?? []).filter((a) => a.expr).map((a) => ({ where: `annotation "${a.name}"`, expr: a.expr! })),
  ];
}

/** Durations allowed in a range selector or subquery: Grafana's variables, never a fixed window. */
const RANGE_VARIABLES = new Set([RATE_WINDOW, RANGE, INTERVAL]);
const stripStrings = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');

export const LINT_RULES = {
  /** A `datasource` variable of type datasource, for Prometheus. */
  'template-datasource': (d) => {
    const v = d.templating?.list?.find((x) => x.name === VARS.datasource);
    if (!v) return [{ where: 'templating', message: `no "${VARS.datasource}" variable` }];
    if (v.type !== 'datasource' || v.query !== 'prometheus') return [{ where: `variable ${v.name}`, message: 'must be a datasource variable for prometheus' }];
    return [];
  },

  /** `namespace` and `cluster`: multi-value query variables with All (`.*`), from label_values, reloaded on time change. */
  'template-scope-variables': (d) =>
    SCOPE_VARIABLES.flatMap((name) => {
      const v = d.templating?.list?.find((x) => x.name === name);
      if (!v) return [{ where: 'templating', message: `no "${name}" variable` }];
      const problems: string[] = [];
      if (v.type !== 'query') problems.push('must be a query variable');
      if (!v.multi || !v.includeAll || v.allValue !== ALL_VALUE) problems.push(`must be multi-value with All = "${ALL_VALUE}"`);
      if (typeof v.query !== 'string' || !new RegExp(`^label_values\\(.+,\\s*${name}\\)$`).test(v.query)) problems.push(`query must be label_values(<metric>, ${name})`);
      if (!isTemplated(v.datasource)) problems.push(`must query the "${VARS.datasource}" variable`);
      if (v.refresh !== 2) problems.push('must reload when the time range changes (refresh 2)');
      return problems.map((message) => ({ where: `variable ${name}`, message }));
    }),

  /** Every panel names the `datasource` variable. */
  'panel-datasource': (d) =>
    visualPanels(d)
      .filter((p) => !isTemplated(p.datasource))
      .map((p) => ({ where: where(p), message: `data source must be \${${VARS.datasource}}, is ${JSON.stringify(p.datasource)}` })),

  /** Every target names the `datasource` variable. */
  'target-datasource': (d) =>
    visualPanels(d).flatMap((p) =>
      (p.targets ?? [])
        .filter((t) => !isTemplated(t.datasource))
        .map((t) => ({ where: `${where(p)} target ${t.refId ?? '?'}`, message: `data source must be \${${VARS.datasource}}, is ${JSON.stringify(t.datasource)}` })),
    ),

  /** Every annotation names the `datasource` variable. */
  'annotation-datasource': (d) =>
    (d.annotations?.list ?? [])
      .filter((a) => !isTemplated(a.datasource))
      .map((a) => ({ where: `annotation "${a.name}"`, message: `data source must be \${${VARS.datasource}}` })),

  /** Every selector of a series with namespace/cluster labels filters them by `=~"$namespace"` and `=~"$cluster"`. */
  'target-scope': (d, catalog) =>
    expressions(d).flatMap(({ where: w, expr }) =>
      checkPromql(expr, catalog).selectors.flatMap((s) => {
        const labels = s.metric ? catalog.get(s.metric) : undefined;
        return [L.namespace.name, L.cluster.name]
          .filter((label) => labels?.has(label) && !s.matchers.some((m) => m.label === label && m.op === '=~' && m.value === `$${label}`))
          .map((label) => ({ where: w, message: `${s.metric} is not filtered by ${label}=~"$${label}"` }));
      }),
    ),

  /** Every panel has a unit. */
  'panel-unit': (d) =>
    visualPanels(d)
      .filter((p) => !p.fieldConfig?.defaults?.unit)
      .map((p) => ({ where: where(p), message: 'no unit (fieldConfig.defaults.unit)' })),

  /** Every panel has a description. */
  'panel-description': (d) =>
    visualPanels(d)
      .filter((p) => !p.description?.trim())
      .map((p) => ({ where: where(p), message: 'no description' })),

  /** Panel ids (rows included) exist and are unique: alerts link to them. */
  'panel-unique-id': (d) => {
    const seen = new Map<number, number>();
    const problems: Omit<LintProblem, 'rule'>[] = [];
    for (const p of allPanels(d)) {
      if (typeof p.id !== 'number') problems.push({ where: where(p), message: 'no id' });
      else seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
    }
    for (const [id, n] of seen) if (n > 1) problems.push({ where: `panel ${id}`, message: `id used by ${n} panels` });
    return problems;
  },

  /** Every panel has targets, each with an expression and its own refId. */
  'panel-targets': (d) =>
    visualPanels(d).flatMap((p) => {
      const targets = p.targets ?? [];
      if (!targets.length) return [{ where: where(p), message: 'no targets' }];
      const problems = targets.filter((t) => !t.expr?.trim()).map((t) => ({ where: where(p), message: `target ${t.refId ?? '?'} has no expression` }));
      const refIds = targets.map((t) => t.refId);
      if (new Set(refIds).size !== refIds.length || refIds.some((r) => !r)) problems.push({ where: where(p), message: `refIds must be set and unique: ${refIds.join(', ')}` });
      return problems;
    }),

  /** Every expression parses and reads only known series, labels and enum values; so do variable queries. */
  'promql-valid': (d, catalog) => [
    ...expressions(d).flatMap(({ where: w, expr }) => checkPromql(expr, catalog).errors.map((message) => ({ where: w, message }))),
    ...(d.templating?.list ?? [])
      .filter((v) => v.type === 'query')
      .flatMap((v) => checkVariableQuery(String(v.query), catalog).errors.map((message) => ({ where: `variable ${v.name}`, message }))),
  ],

  /** Range selectors and subqueries use `$__rate_interval`, `$__range` or `$__interval`, never a fixed window. */
  'range-variable': (d) =>
    expressions(d).flatMap(({ where: w, expr }) =>
      [...stripStrings(expr).matchAll(/\[([^\]]*)\]/g)]
        .flatMap((m) => m[1]!.split(':'))
        .filter((part) => part.trim() && !RANGE_VARIABLES.has(part.trim()))
        .map((part) => ({ where: w, message: `range "${part}" is fixed; use ${[...RANGE_VARIABLES].join(', ')}` })),
    ),

  /** Panels sit on the 24-column grid without overlapping. */
  'grid-layout': (d) => {
    const problems: Omit<LintProblem, 'rule'>[] = [];
    const placed: { p: LintPanel; g: NonNullable<LintPanel['gridPos']> }[] = [];
    for (const p of d.panels ?? []) {
      const g = p.gridPos;
      if (!g) {
        problems.push({ where: where(p), message: 'no gridPos' });
        continue;
      }
      if (g.w <= 0 || g.h <= 0 || g.x < 0 || g.y < 0 || g.x + g.w > 24) problems.push({ where: where(p), message: `outside the grid: ${JSON.stringify(g)}` });
      for (const o of placed) {
        const overlap = g.x < o.g.x + o.g.w && o.g.x < g.x + g.w && g.y < o.g.y + o.g.h && o.g.y < g.y + g.h;
        if (overlap) problems.push({ where: where(p), message: `overlaps ${where(o.p)}` });
      }
      placed.push({ p, g });
    }
    return problems;
  },
} satisfies Record<string, Rule>;

export type LintRuleName = keyof typeof LINT_RULES;

export function lintDashboard(d: LintDashboard, catalog: Catalog): LintProblem[] {
  return (Object.entries(LINT_RULES) as [LintRuleName, Rule][]).flatMap(([rule, check]) => check(d, catalog).map((p) => ({ rule, ...p })));
}
