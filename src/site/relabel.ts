/**
 * Renaming the namespace and cluster labels (a fleet Prometheus often takes `cluster` as an external
 * label): label names in PromQL, found with Prometheus's own grammar, and in alert and notification
 * templates (`$labels.x`, `.CommonLabels.x`, `x=%q` in a templated query).
 */
import { parser } from '@prometheus-io/lezer-promql';

export type LabelRenames = Readonly<Record<string, string>>;

const active = (renames: LabelRenames) => Object.entries(renames).filter(([from, to]) => from !== to);

/** Same-length stand-ins for Grafana's `$__rate_interval`-style variables, so the grammar sees a duration. */
const padGrafanaVariables = (expr: string) => expr.replace(/\$\{?__\w+\}?/g, (m) => `1${'0'.repeat(m.length - 2)}s`);

/** `expr` with every label name in `renames` renamed: matchers, `by`/`without`/`on`/`ignoring`/`group_left` lists. */
export function relabelPromql(expr: string, renames: LabelRenames): string {
  if (active(renames).length === 0) return expr;
  const edits: { from: number; to: number; name: string }[] = [];
  parser.parse(padGrafanaVariables(expr)).iterate({
    enter: (node) => {
      if (node.type.name !== 'LabelName') return;
      const name = expr.slice(node.from, node.to);
      if (Object.hasOwn(renames, name)) edits.push({ from: node.from, to: node.to, name: renames[name] });
    },
  });
  return edits.reduceRight((out, e) => out.slice(0, e.from) + e.name + out.slice(e.to), expr);
}

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
