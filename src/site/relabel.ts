/**
 * Renaming the namespace and cluster labels (a fleet Prometheus often takes `cluster` as an external
 * label): label names in PromQL, found with Prometheus's own grammar, and in alert and notification
 * templates (`$labels.x`, `.CommonLabels.x`, `x=%q` in a templated query); and the recorded series
 * whose names spell those labels.
 */
import { parser } from '@prometheus-io/lezer-promql';

export type LabelRenames = Readonly<Record<string, string>>;

const active = (renames: LabelRenames) => Object.entries(renames).filter(([from, to]) => from !== to);

/** Same-length stand-ins for Grafana's `$__rate_interval`-style variables, so the grammar sees a duration. */
const padGrafanaVariables = (expr: string) => expr.replace(/\$\{?__\w+\}?/g, (m) => `1${'0'.repeat(m.length - 2)}s`);

/** `expr` with every grammar node of type `nodeType` whose text is a key of `renames` renamed. */
function renameNodes(expr: string, nodeType: string, renames: LabelRenames): string {
  if (active(renames).length === 0) return expr;
  const edits: { from: number; to: number; name: string }[] = [];
  parser.parse(padGrafanaVariables(expr)).iterate({
    enter: (node) => {
      if (node.type.name !== nodeType) return;
      const name = expr.slice(node.from, node.to);
      if (Object.hasOwn(renames, name)) edits.push({ from: node.from, to: node.to, name: renames[name] });
    },
  });
  return edits.reduceRight((out, e) => out.slice(0, e.from) + e.name + out.slice(e.to), expr);
}

/** `expr` with every label name in `renames` renamed: matchers, `by`/`without`/`on`/`ignoring`/`group_left` lists. */
export const relabelPromql = (expr: string, renames: LabelRenames): string => renameNodes(expr, 'LabelName', renames);

/** `expr` with the metric (or recorded series) names in `renames` renamed. */
export const renameMetrics = (expr: string, renames: Readonly<Record<string, string>>): string => renameNodes(expr, 'Identifier', renames);

/** Label references in Go templates (Prometheus annotations, Alertmanager templates, Grafana legends). */
export function relabelTemplate(text: string, renames: LabelRenames): string {
  return active(renames).reduce(
    (out, [from, to]) =>
      out
        .replace(new RegExp(`((?:\\$labels|\\.Labels|\\.CommonLabels|\\.GroupLabels|__field\\.labels)\\.)${from}\\b`, 'g'), `$1${to}`)
        .replace(new RegExp(`([{,]\\s*)${from}(=~?%q)`, 'g'), `$1${to}$2`)
        .replace(new RegExp(`\\{\\{\\s*${from}\\s*\\}\\}`, 'g'), `{{${to}}}`),
    text,
  );
}

/** A label list (`group_by`, `equal`), renamed. */
export const relabelList = (labels: readonly string[], renames: LabelRenames): string[] => labels.map((l) => (Object.hasOwn(renames, l) ? renames[l] : l));
