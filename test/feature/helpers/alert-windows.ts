/**
 * Evaluates the generated alert rules over a time range through Prometheus's HTTP API: each rule's
 * `expr` as a range query (`time()` is evaluated at every step, so the expressions work over the
 * past), then its `for` applied to the runs of consecutive steps where the expression returned a
 * series. The result is, per rule, the label sets that would have fired and when.
 */
import { ruleGroups, type RenderedAlertRule } from '../../../src/alerting';
import { parseDuration } from '../../../src/alerting';

export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** A range query; throws unless Prometheus answers `status: success`. */
export async function promQueryRange(prometheus: string, query: string, startS: number, endS: number, stepS: number): Promise<RangeSeries[]> {
  const params = new URLSearchParams({ query, start: String(startS), end: String(endS), step: `${stepS}s` });
  const response = await fetch(`${prometheus}/api/v1/query_range`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params,
  });
  const body = (await response.json()) as { status: string; data: { result: RangeSeries[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

/** One label set of one rule, and the intervals (unix seconds) in which it fired. */
export interface Firing {
  alert: string;
  /** `cause` of the rule when an alert has several rules. */
  cause: string | undefined;
  labels: Record<string, string>;
  /** [first, last] step of each run that lasted at least the rule's `for`. */
  runs: [number, number][];
}

export interface RuleWindows {
  rule: RenderedAlertRule;
  /** Label sets for which the expression returned a value at some step, whatever the `for`. */
  raw: number;
  firing: Firing[];
}

/** The alerting rules exactly as generated (the default configuration of src/alerting). */
export function alertingRules(): RenderedAlertRule[] {
  return ruleGroups().groups[1].rules;
}

/**
 * Every alerting rule evaluated from `startS` to `endS` every `stepS`: a label set fires when the
 * expression returns it at consecutive steps spanning at least the rule's `for`.
 */
export async function evaluateRules(prometheus: string, startS: number, endS: number, stepS = 60): Promise<RuleWindows[]> {
  return Promise.all(
    alertingRules().map(async (rule) => {
      const series = await promQueryRange(prometheus, rule.expr, startS, endS, stepS);
      const forS = rule.for ? parseDuration(rule.for) : 0;
      const firing: Firing[] = [];
      for (const s of series) {
        const runs: [number, number][] = [];
        let first: number | undefined;
        let last: number | undefined;
        const close = () => {
          if (first !== undefined && last !== undefined && last - first >= forS) runs.push([first, last]);
        };
        for (const [ts] of s.values) {
          if (last !== undefined && ts - last > stepS * 1.5) {
            close();
            first = undefined;
          }
          first ??= ts;
          last = ts;
        }
        close();
        if (runs.length > 0) firing.push({ alert: rule.alert, cause: rule.labels.cause, labels: s.metric, runs });
      }
      return { rule, raw: series.length, firing };
    }),
  );
}

/** `alert` → the `cluster/namespace` scopes (or other identifying labels) it fired for. */
export function firedAlerts(windows: readonly RuleWindows[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const w of windows) {
    for (const f of w.firing) {
      const where = f.labels.namespace ? `${f.labels.cluster}/${f.labels.namespace}` : `${f.labels.job}/${f.labels.instance}`;
      if (!out.has(f.alert)) out.set(f.alert, new Set());
      out.get(f.alert)!.add(where);
    }
  }
  return out;
}
