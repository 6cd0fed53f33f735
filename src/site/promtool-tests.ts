/**
 * promtool unit tests of the site's thresholds, generated beside its rules: for every scope (the
 * default and each override) an alert stays quiet at its threshold and fires once past it and its
 * `for:` — exactly one alert, with the scope's own limit in its description, so an overridden
 * namespace firing at the default too fails the test.
 */
import { stringify } from 'yaml';
import { type AlertingConfig, thresholdSection } from '../alerting/config';
import { CLUSTER, NS, parseDuration } from '../alerting/promql';
import { LABELS, METRICS } from '../schema';
import { relabelList, relabelPromql } from './relabel';
import { labelRenames, siteAlertingConfig, withThresholds } from './resolve';
import { siteRuleGroups } from './rules';
import type { SiteConfig, SiteOverride } from './types';

export const SITE_TESTS_FILE = 'site-thresholds.test.yml';

/** Prometheus's `humanizeDuration` for the values these tests produce. */
function humanizeDuration(v: number): string {
  if (Math.abs(v) < 1) return `${v}s`;
  const s = Math.trunc(v);
  const [d, h, m, sec] = [Math.trunc(s / 86400), Math.trunc(s / 3600) % 24, Math.trunc(s / 60) % 60, s % 60];
  if (d) return `${d}d ${h}h ${m}m ${sec}s`;
  if (h) return `${h}h ${m}m ${sec}s`;
  if (m) return `${m}m ${sec}s`;
  return `${Number(v.toPrecision(4))}s`;
}

/** The few template forms the tested alerts use; anything else is a generator bug. */
function expand(template: string, labels: Record<string, string>, value: number): string {
  const out = template
    .replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, name: string) => labels[name] ?? '')
    .replace(/\{\{ \$value \| humanizeDuration \}\}/g, humanizeDuration(value))
    .replace(/\{\{ printf "%\.0f" \$value \}\}/g, value.toFixed(0));
  if (out.includes('{{')) throw new Error(`cannot expand the template ${JSON.stringify(template)}`);
  return out;
}

interface Scope {
  name: string;
  namespace: string;
  cluster: string;
  config: AlertingConfig;
  override?: SiteOverride;
}

const OTHER = 'site-test-default';

function scopes(site: SiteConfig): Scope[] {
  const base = siteAlertingConfig(site);
  const free = (taken: string[]) => [OTHER, ...taken.map((t) => `${OTHER}-${t.length}`)].find((n) => !taken.includes(n))!;
  const namespaces = (site.overrides ?? []).flatMap((o) => (o.namespace ? [o.namespace] : []));
  const clusters = (site.overrides ?? []).flatMap((o) => (o.cluster ? [o.cluster] : []));
  const defaultNs = free(namespaces);
  const defaultCluster = free(clusters);
  // in the order siteRuleGroups renders an alert's rules: default, namespace overrides, cluster overrides
  const overrides = [...(site.overrides ?? []).filter((o) => o.namespace), ...(site.overrides ?? []).filter((o) => o.cluster)];
  return [
    { name: 'the default thresholds', namespace: defaultNs, cluster: defaultCluster, config: base },
    ...overrides.map((o) => ({
      name: o.namespace ? `namespace ${o.namespace}` : `cluster ${o.cluster}`,
      namespace: o.namespace ?? defaultNs,
      cluster: o.cluster ?? defaultCluster,
      config: withThresholds(base, o.thresholds),
      override: o,
    })),
  ];
}

const minutes = (seconds: number) => Math.ceil(seconds / 60);
const at = (m: number) => `${m}m`;

interface AlertCase {
  alert: string;
  /** Input series for the scope, and the evaluation times: quiet (may be none) and firing, with `$value` then. */
  build(scope: Scope, series: (metric: string, extra?: Record<string, string>) => string): {
    input: { series: string; values: string }[];
    quietAt?: number;
    fireAt: number;
    value: number;
    labels: Record<string, string>;
  };
}

const CASES: AlertCase[] = [
  {
    alert: 'MeshKitRebalancePlanStuck',
    build: (scope, series) => {
      const limit = parseDuration(scope.config.planStuck.noProgressFor);
      const pending = parseDuration(scope.config.planStuck.for);
      // the plan last progressed at 0, so the stall equals the evaluation time; the first evaluation past the limit starts pending
      const fireAt = Math.floor(limit / 60) + 1 + minutes(pending);
      const length = fireAt + 5;
      const planId = 'p-site-1';
      return {
        input: [
          { series: series(METRICS.leader.name, { [LABELS.controller.name]: 'rebalancer-0' }), values: `1x${length}` },
          { series: series(METRICS.planState.name, { [LABELS.planId.name]: planId, [LABELS.planState.name]: 'executing' }), values: `1x${length}` },
          { series: series(METRICS.planLastProgress.name, { [LABELS.planId.name]: planId }), values: `0x${length}` },
        ],
        quietAt: Math.floor(limit / 60),
        fireAt,
        value: fireAt * 60,
        labels: { [LABELS.planId.name]: planId },
      };
    },
  },
  {
    alert: 'MeshKitRebalanceNoLeader',
    build: (scope, series) => {
      const pending = minutes(parseDuration(scope.config.noLeader.for));
      return {
        input: [{ series: series(METRICS.leader.name, { [LABELS.controller.name]: 'rebalancer-0' }), values: `0x${pending + 5}` }],
        quietAt: pending >= 1 ? pending - 1 : undefined,
        fireAt: pending + 1,
        value: 0,
        labels: {},
      };
    },
  },
];

/** The generated test file, or undefined when every tested alert is disabled. */
export function siteRuleTests(site: SiteConfig, ruleFile: string): object | undefined {
  const renames = labelRenames(site);
  const base = siteAlertingConfig(site);
  const rules = siteRuleGroups(site).groups[1].rules;
  const tests: object[] = [];
  for (const c of CASES) {
    const candidates = rules.filter((r) => r.alert === c.alert);
    if (candidates.length === 0) continue;
    const section = thresholdSection(c.alert);
    // an override that leaves this alert's section alone has no rule of its own: the default covers it
    const own = scopes(site).filter((s) => !s.override || (section !== undefined && s.override.thresholds[section] !== undefined));
    if (own.length !== candidates.length) throw new Error(`${c.alert}: ${candidates.length} rules for ${own.length} scopes`);
    for (const [index, scope] of own.entries()) {
      const process = { [NS]: scope.namespace, [CLUSTER]: scope.cluster, [base.jobLabel]: 'meshkit-rebalancer', [base.instanceLabel]: '10.0.0.1:9464', ...base.selector };
      const series = (metric: string, extra: Record<string, string> = {}) =>
        relabelPromql(`${metric}{${Object.entries({ ...process, ...extra }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`, renames);
      const built = c.build(scope, series);
      const scopeLabels = { [relabelList([NS], renames)[0]]: scope.namespace, [relabelList([CLUSTER], renames)[0]]: scope.cluster };
      const labels = { ...scopeLabels, ...built.labels };
      // the rule that owns this scope: its description states this scope's limit
      const rule = candidates[index];
      const expanded = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expand(v, labels, built.value)]));
      tests.push({
        name: `${c.alert}: ${scope.name} (${scope.namespace}/${scope.cluster}) fires at its own threshold, once`,
        interval: '1m',
        input_series: built.input,
        alert_rule_test: [
          ...(built.quietAt !== undefined ? [{ eval_time: at(built.quietAt), alertname: c.alert }] : []),
          { eval_time: at(built.fireAt), alertname: c.alert, exp_alerts: [{ exp_labels: { ...rule.labels, ...labels }, exp_annotations: expanded }] },
        ],
      });
    }
  }
  if (tests.length === 0) return undefined;
  return { rule_files: [ruleFile], evaluation_interval: '1m', tests };
}

export function renderSiteRuleTests(site: SiteConfig, ruleFile: string): string | undefined {
  const tests = siteRuleTests(site, ruleFile);
  return tests && ['# Generated by `meshkit-rebalance-obs generate`: the site\'s thresholds, scope by scope; do not edit.', stringify(tests, { lineWidth: 0 })].join('\n');
}
