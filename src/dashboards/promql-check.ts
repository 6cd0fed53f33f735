/**
 * Static checks of the dashboards' PromQL: each expression parses with Prometheus's own Lezer
 * grammar (`@prometheus-io/lezer-promql`, the one the Prometheus UI uses) after Grafana's built-in
 * variables are substituted, and refers only to known series — the schema's metrics (histograms
 * with their `_bucket`, `_sum` and `_count` series), the recorded series of src/alerting, and
 * `ALERTS` — and only to the labels and enum values those series have.
 *
 * What the grammar does not check and this module does: range functions get a range vector;
 * `histogram_quantile` reads `_bucket` series aggregated by `le`; grouping labels (`by`, `on`,
 * `ignoring`, `group_left/right`) exist on a series the expression reads. What neither checks:
 * the full type system of the Prometheus parser (e.g. a scalar where a vector is expected).
 */
import { parser } from '@prometheus-io/lezer-promql';
import { recordingRules } from '../alerting/recording-rules';
import { DEFAULT_ALERTING_CONFIG } from '../alerting/config';
import { RuleContext } from '../alerting/promql';
import { METRIC_LIST, type MetricSpec } from '../schema/metrics';
import { SPAN_METRIC_LIST } from '../schema/span-metrics';
import { ALERTS } from './alerts';

type Node = ReturnType<typeof parser.parse>['topNode'];

/** Label name → its enum values, or null when any value is allowed. */
export type LabelDomains = ReadonlyMap<string, readonly string[] | null>;
/** Series name → its labels. */
export type Catalog = ReadonlyMap<string, LabelDomains>;

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Selector {
  metric: string | undefined;
  matchers: Matcher[];
}

export interface PromqlReport {
  errors: string[];
  selectors: Selector[];
}

function domains(spec: MetricSpec): Map<string, readonly string[] | null> {
  return new Map(spec.labels.map((l) => [l.name, l.domain.kind === 'enum' ? l.domain.values : null]));
}

/** Grafana's built-in variables that stand outside string literals, with a value of the right type. */
const BUILTINS: readonly [RegExp, string][] = [
  [/\$__rate_interval\b|\$\{__rate_interval\}/g, '60s'],
  [/\$__interval_ms\b|\$\{__interval_ms\}/g, '15000'],
  [/\$__interval\b|\$\{__interval\}/g, '15s'],
  [/\$__range_ms\b|\$\{__range_ms\}/g, '3600000'],
  [/\$__range_s\b|\$\{__range_s\}/g, '3600'],
  [/\$__range\b|\$\{__range\}/g, '1h'],
];

/**
 * Replaces Grafana's built-in interval and range variables with durations. Dashboard variables
 * (`$namespace`) are left alone: inside a string literal they are plain text to the parser, and
 * outside one they fail to parse, as they should.
 */
export function substituteGrafanaVariables(expr: string): string {
  return BUILTINS.reduce((e, [pattern, value]) => e.replace(pattern, value), expr);
}

const RANGE_FUNCTIONS = new Set([
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'predict_linear', 'holt_winters', 'double_exponential_smoothing',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'quantile_over_time', 'stddev_over_time',
  'stdvar_over_time', 'last_over_time', 'present_over_time', 'absent_over_time', 'mad_over_time', 'ts_of_max_over_time', 'ts_of_min_over_time',
  'ts_of_last_over_time', 'first_over_time', 'ts_of_first_over_time',
]);

function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  if (quote === '"') return JSON.parse(literal) as string;
  return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
}

const children = (node: Node): Node[] => {
  const out: Node[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

const child = (node: Node, name: string): Node | null => node.getChild(name);

/** Walks every node under `node`, itself included. */
function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const c of children(node)) walk(c, visit);
}

/** Aggregations that keep their input's labels. */
const KEEP_LABELS = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

const EXPR_NODES = new Set([
  'AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral', 'OffsetExpr', 'ParenExpr', 'StringLiteral',
  'SubqueryExpr', 'UnaryExpr', 'VectorSelector', 'StepInvariantExpr',
]);
const exprChildren = (node: Node) => children(node).filter((c) => EXPR_NODES.has(c.type.name));

class Checker {
  readonly errors: string[] = [];
  readonly selectors: Selector[] = [];

  constructor(
    private readonly text: string,
    private readonly catalog: Catalog,
  ) {}

  private src(node: Node): string {
    return this.text.slice(node.from, node.to);
  }

  private labelName(node: Node): string {
    return node.type.name === 'QuotedLabelName' ? unquote(this.src(node)) : this.src(node);
  }

  run(root: Node): void {
    walk(root, (n) => {
      if (n.type.isError) this.errors.push(`does not parse at ${n.from}: ${JSON.stringify(this.text.slice(Math.max(0, n.from - 20), n.to + 20))}`);
    });
    if (this.errors.length) return;
    walk(root, (n) => {
      if (n.type.name === 'VectorSelector') this.selector(n);
      else if (n.type.name === 'FunctionCall') this.functionCall(n);
    });
    this.groupingLabels(root);
  }

  private selector(node: Node): void {
    const id = child(node, 'Identifier');
    const matchers: Matcher[] = [];
    let metric = id ? this.src(id) : undefined;
    const list = child(node, 'LabelMatchers');
    for (const m of list ? children(list) : []) {
      if (m.type.name === 'QuotedLabelName') {
        metric = unquote(this.src(m));
        continue;
      }
      const nameNode = child(m, 'LabelName') ?? child(m, 'QuotedLabelName');
      const op = child(m, 'MatchOp');
      const value = child(m, 'StringLiteral');
      if (!nameNode || !op || !value) continue;
      const matcher: Matcher = { label: this.labelName(nameNode), op: this.src(op) as Matcher['op'], value: unquote(this.src(value)) };
      if (matcher.label === '__name__' && matcher.op === '=') metric = matcher.value;
      else matchers.push(matcher);
    }
    this.selectors.push({ metric, matchers });
    if (metric === undefined) return void this.errors.push(`selector without a metric name: ${this.src(node)}`);
    const labels = this.catalog.get(metric);
    if (!labels) return void this.errors.push(`unknown series "${metric}"`);
    for (const m of matchers) {
      if (!labels.has(m.label)) {
        this.errors.push(`"${metric}" has no label "${m.label}"`);
        continue;
      }
      const values = labels.get(m.label);
      if (!values || m.value.includes('$')) continue;
      // Equality, or a regex that is a plain list of alternatives, must name enum values.
      const named = m.op === '=' || m.op === '!=' ? [m.value] : /^[A-Za-z0-9_]+(\|[A-Za-z0-9_]+)*$/.test(m.value) ? m.value.split('|') : [];
      for (const v of named) if (!values.includes(v)) this.errors.push(`"${v}" is not a value of "${m.label}" on "${metric}" (${values.join(', ')})`);
    }
  }

  private functionCall(node: Node): void {
    const fn = child(node, 'FunctionIdentifier');
    const body = child(node, 'FunctionCallBody');
    if (!fn || !body) return;
    const name = this.src(fn);
    const args = exprChildren(body);
    if (RANGE_FUNCTIONS.has(name)) {
      const first = args[0];
      if (!first || (first.type.name !== 'MatrixSelector' && first.type.name !== 'SubqueryExpr')) {
        this.errors.push(`${name}() needs a range vector: ${this.src(node)}`);
      }
    }
    if (name === 'histogram_quantile') {
      const inner = args[1];
      let buckets = false;
      let byLe = true;
      if (inner) {
        walk(inner, (n) => {
          if (n.type.name === 'VectorSelector') {
            const id = child(n, 'Identifier');
            if (id && this.src(id).endsWith('_bucket')) buckets = true;
          }
          if (n.type.name === 'AggregateExpr' && !KEEP_LABELS.has(this.src(child(n, 'AggregateOp')!))) {
            const mod = child(n, 'AggregateModifier');
            const labels = (mod && child(mod, 'GroupingLabels') ? children(child(mod, 'GroupingLabels')!) : []).map((l) => this.labelName(l));
            if (!mod || (child(mod, 'By') && !labels.includes('le')) || (child(mod, 'Without') && labels.includes('le'))) byLe = false;
          }
        });
      }
      if (!buckets) this.errors.push(`histogram_quantile() reads no _bucket series: ${this.src(node)}`);
      if (!byLe) this.errors.push(`histogram_quantile() over an aggregation that drops "le": ${this.src(node)}`);
    }
  }

  /** Labels of `by`, `without`, `on`, `ignoring` and `group_left/right` must exist on a series the expression reads. */
  private groupingLabels(root: Node): void {
    const known = new Set<string>();
    for (const s of this.selectors) {
      const labels = s.metric ? this.catalog.get(s.metric) : undefined;
      for (const l of labels?.keys() ?? []) known.add(l);
      if (s.metric?.endsWith('_bucket')) known.add('le');
    }
    walk(root, (n) => {
      if (n.type.name === 'FunctionCall' && child(n, 'FunctionIdentifier') && this.src(child(n, 'FunctionIdentifier')!) === 'label_replace') {
        const dst = exprChildren(child(n, 'FunctionCallBody')!)[1];
        if (dst?.type.name === 'StringLiteral') known.add(unquote(this.src(dst)));
      }
    });
    walk(root, (n) => {
      if (n.type.name !== 'GroupingLabels') return;
      for (const l of children(n)) {
        const name = this.labelName(l);
        if (!known.has(name)) this.errors.push(`grouping label "${name}" is on no series the expression reads`);
      }
    });
  }
}

/** Parses and checks one expression (Grafana variables allowed, see `substituteGrafanaVariables`). */
export function checkPromql(expr: string, catalog: Catalog): PromqlReport {
  const text = substituteGrafanaVariables(expr);
  const checker = new Checker(text, catalog);
  checker.run(parser.parse(text).topNode);
  return { errors: checker.errors, selectors: checker.selectors };
}

/** `label_values(selector, label)` or `label_values(label)`: Grafana's Prometheus variable queries. */
export function checkVariableQuery(query: string, catalog: Catalog): PromqlReport {
  const m = /^label_values\((?:(.*),\s*)?([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query.trim());
  if (!m) return { errors: [`not a label_values() query: ${query}`], selectors: [] };
  const [, selector, label] = m;
  if (!selector) return { errors: [`label_values(${label}) reads every series; name one`], selectors: [] };
  const report = checkPromql(selector, catalog);
  for (const s of report.selectors) {
    const labels = s.metric ? catalog.get(s.metric) : undefined;
    if (labels && !labels.has(label!)) report.errors.push(`"${s.metric}" has no label "${label}"`);
  }
  return report;
}

/**
 * The labels an expression's result carries, with their domains, for the recording rules' series.
 * Null when unknown (an unknown series, or a construct this inference does not follow).
 */
export function outputLabels(expr: string, catalog: Catalog): Map<string, readonly string[] | null> | null {
  type Labels = Map<string, readonly string[] | null>;
  const text = substituteGrafanaVariables(expr);
  const src = (n: Node) => text.slice(n.from, n.to);
  const pick = (from: Labels | null, names: readonly string[]): Labels => new Map(names.map((l) => [l, from?.get(l) ?? null]));
  const infer = (node: Node): Labels | null => {
    switch (node.type.name) {
      case 'PromQL':
      case 'ParenExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'UnaryExpr':
      case 'MatrixSelector':
      case 'SubqueryExpr': {
        const inner = exprChildren(node)[0];
        return inner ? infer(inner) : null;
      }
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        return new Map();
      case 'VectorSelector': {
        const id = child(node, 'Identifier');
        const labels = id ? catalog.get(src(id)) : undefined;
        return labels ? new Map(labels) : null;
      }
      case 'AggregateExpr': {
        const mod = child(node, 'AggregateModifier');
        const args = exprChildren(child(node, 'FunctionCallBody')!);
        const inner = infer(args[args.length - 1]!);
        if (!mod) return KEEP_LABELS.has(src(child(node, 'AggregateOp')!)) ? inner : new Map();
        const listed = children(child(mod, 'GroupingLabels')!).map(src);
        if (child(mod, 'By')) return pick(inner, listed);
        return inner ? new Map([...inner].filter(([l]) => !listed.includes(l))) : null;
      }
      case 'FunctionCall': {
        const name = src(child(node, 'FunctionIdentifier')!);
        const args = exprChildren(child(node, 'FunctionCallBody')!);
        if (['time', 'vector', 'scalar', 'pi'].includes(name)) return new Map();
        if (name === 'histogram_quantile') {
          const inner = infer(args[1]!);
          return inner ? new Map([...inner].filter(([l]) => l !== 'le')) : null;
        }
        const vectorArg = args.find((a) => a.type.name !== 'NumberDurationLiteral' && a.type.name !== 'StringLiteral');
        const inner = vectorArg ? infer(vectorArg) : new Map();
        if (name === 'label_replace' && inner && args[1]) inner.set(unquote(src(args[1])), null);
        return inner;
      }
      case 'BinaryExpr': {
        const [lhs, rhs] = exprChildren(node);
        const l = infer(lhs!);
        const r = infer(rhs!);
        if (!l || !r) return null;
        const op = children(node).find((c) => !EXPR_NODES.has(c.type.name) && c.type.name !== 'MatchingModifierClause' && c.type.name !== 'BoolModifier');
        if (op && src(op) === 'or') return new Map([...r, ...l]);
        const scalar = (n: Node, labels: Labels) => labels.size === 0 && n.type.name !== 'VectorSelector' && n.type.name !== 'AggregateExpr';
        if (scalar(lhs!, l)) return r;
        const mod = child(node, 'MatchingModifierClause');
        const group = mod ? mod.getChildren('GroupingLabels') : [];
        const extra = mod && (child(mod, 'GroupLeft') || child(mod, 'GroupRight')) && group[1] ? children(group[1]).map(src) : [];
        return new Map([...l, ...pick(r, extra)]);
      }
      default:
        return null;
    }
  };
  return infer(parser.parse(text).topNode);
}

/** Recorded series from the recording rules, their labels inferred from the rule expressions. */
export function recordedCatalog(base: Catalog): Map<string, LabelDomains> {
  const out = new Map<string, LabelDomains>();
  const catalog = new Map(base);
  for (const rule of recordingRules(new RuleContext(DEFAULT_ALERTING_CONFIG))) {
    const labels = outputLabels(rule.expr, catalog);
    if (!labels) throw new Error(`cannot infer the labels of recorded series ${rule.record}: ${rule.expr}`);
    out.set(rule.record, labels);
    catalog.set(rule.record, labels);
  }
  return out;
}

/** Every series the dashboards may read, with its labels. */
/** The target labels Prometheus adds to every series it collects. */
const TARGET_LABELS = ['job', 'instance'] as const;

export function seriesCatalog(): Catalog {
  const base = new Map<string, LabelDomains>();
  for (const m of [...METRIC_LIST, ...SPAN_METRIC_LIST]) {
    // Every exported series also carries its scrape target's labels (from service.name and service.instance.id over OTLP).
    const labels = new Map([...domains(m), ...TARGET_LABELS.map((l) => [l, null] as const)]);
    if (m.kind === 'histogram') {
      base.set(`${m.name}_bucket`, new Map([...labels, ['le', null]]));
      base.set(`${m.name}_sum`, labels);
      base.set(`${m.name}_count`, labels);
    } else {
      base.set(m.name, labels);
    }
  }
  base.set(ALERTS.name, domains(ALERTS.series));
  return new Map([...base, ...recordedCatalog(base)]);
}
