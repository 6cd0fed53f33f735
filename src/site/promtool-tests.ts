/**
 * promtool unit tests of the site's thresholds, generated beside its rules from the same scoped
 * configurations the rules are built from: for every enabled alert and every scope (the default
 * rule and each override's), the alert stays quiet just under the scope's thresholds and fires just
 * past them with its full labels and annotations; an override's scope, past its own and the default
 * thresholds at once, gets exactly its own alert, never the default rule's too. The recorded series
 * the dashboards read are checked under the site's names and labels.
 */
import { stringify } from 'yaml';
import type { AlertingConfig } from '../alerting/config';
import { CLUSTER, NS, formatDuration } from '../alerting/promql';
import { recordedNames } from '../alerting/recording-rules';
import { LABELS, METRICS } from '../schema';
import type { RenderedAlertRule } from '../alerting/render';
import { scenariosOf, valueOf, type Scenario, type ScenarioSeries } from './alert-scenarios';
import { relabelList, relabelPromql } from './relabel';
import { labelRenames, siteAlertingConfig } from './resolve';
import { siteRenderedAlertRules, type RuleScope } from './rules';
import { expandTemplate } from './template-expand';
import type { SiteConfig } from './types';

export const SITE_TESTS_FILE = 'site-thresholds.test.yml';

const JOB = 'meshkit-rebalancer';
const INSTANCE = '10.0.0.1:9464';
const OTHER = 'site-test-default';
/** Evaluation step unless a window is shorter than two of them. */
const MINUTE = 60;

/** A namespace or cluster name no override uses. */
const free = (taken: readonly string[]) => [OTHER, ...taken.map((_, i) => `${OTHER}-${i + 1}`)].find((n) => !taken.includes(n))!;

const scopeName = (scope: RuleScope) => (scope.namespace ? `namespace ${scope.namespace}` : scope.cluster ? `cluster ${scope.cluster}` : 'the default thresholds');

interface Rule {
  config: AlertingConfig;
  scope: RuleScope;
  rendered: RenderedAlertRule;
}

/** The tested rules, each with its scenarios; an enabled alert without scenarios is a generator bug. */
function testedRules(site: SiteConfig) {
  return siteRenderedAlertRules(site).map((rule) => {
    const scenarios = scenariosOf(rule.rendered.alert, rule.rendered.labels.cause);
    if (!scenarios) throw new Error(`no promtool scenarios for ${rule.rendered.alert}${rule.rendered.labels.cause ? ` (${rule.rendered.labels.cause})` : ''}: add them to alert-scenarios.ts`);
    return { ...rule, scenarios };
  });
}

/** One step for the whole file: a minute, or less when a window would hold fewer than two. */
function stepOf(rules: ReturnType<typeof testedRules>): number {
  const shortest = Math.min(Infinity, ...rules.flatMap((r) => r.scenarios.windows(r.config)));
  return shortest >= 2 * MINUTE ? MINUTE : Math.max(1, Math.floor(shortest / 2));
}

/** promtool input series of one process of `where`, under the site's label names and selector. */
function seriesOf(site: SiteConfig, where: { namespace: string; cluster: string }) {
  const base = siteAlertingConfig(site);
  const process = { [NS]: where.namespace, [CLUSTER]: where.cluster, [base.jobLabel]: JOB, [base.instanceLabel]: INSTANCE, ...base.selector };
  return ({ metric, labels = {}, values }: ScenarioSeries) => ({
    series: relabelPromql(`${metric.name}{${Object.entries({ ...process, ...labels }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`, labelRenames(site)),
    values,
  });
}

/**
 * The recorded series the dashboards read, under the site's names (the level part spells the
 * renamed labels) and with the site's label names: a gauge each, and the ratio of two.
 */
function recordingGroup(site: SiteConfig, where: { namespace: string; cluster: string }, step: number) {
  const [ns, cluster] = relabelList([NS, CLUSTER], labelRenames(site));
  const names = recordedNames(siteAlertingConfig(site), [ns, cluster]);
  const state = { [LABELS.planState.name]: valueOf(LABELS.planState, 'executing') };
  const input: (ScenarioSeries & { record: string; value: number })[] = [
    { metric: METRICS.shardsInFlight, values: '3x2', record: names.shardsInFlight, value: 3 },
    { metric: METRICS.maxConcurrentMoves, values: '4x2', record: names.maxConcurrentMoves, value: 4 },
    { metric: METRICS.approvalBacklog, values: '2x2', record: names.approvalBacklog, value: 2 },
    { metric: METRICS.plans, labels: state, values: '5x2', record: names.plansByState, value: 5 },
  ];
  const scope = `${ns}=${JSON.stringify(where.namespace)}, ${cluster}=${JSON.stringify(where.cluster)}`;
  const sample = (record: string, value: number, extra = '') => ({ expr: record, eval_time: formatDuration(step), exp_samples: [{ labels: `${record}{${scope}${extra}}`, value }] });
  return {
    name: `recorded series under the site's names (${where.namespace}/${where.cluster})`,
    interval: formatDuration(step),
    input_series: input.map(seriesOf(site, where)),
    promql_expr_test: [
      ...input.map((i) => sample(i.record, i.value, Object.entries(i.labels ?? {}).map(([k, v]) => `, ${k}=${JSON.stringify(v)}`).join(''))),
      sample(names.shardsInFlightRatio, 0.75),
    ],
  };
}

/** The generated test file: every enabled alert scope by scope, and the recorded series. */
export function siteRuleTests(site: SiteConfig, ruleFile: string): object {
  const renames = labelRenames(site);
  const base = siteAlertingConfig(site);
  const rules = testedRules(site);
  const step = stepOf(rules);
  const at = (n: number) => formatDuration(n * step);
  const overrides = site.overrides ?? [];
  const defaults = {
    namespace: free(overrides.flatMap((o) => (o.namespace ? [o.namespace] : []))),
    cluster: free(overrides.flatMap((o) => (o.cluster ? [o.cluster] : []))),
  };
  const [ns, cluster] = relabelList([NS, CLUSTER], renames);

  const group = (rule: Rule, scenario: Scenario) => {
    const where = { namespace: rule.scope.namespace ?? defaults.namespace, cluster: rule.scope.cluster ?? defaults.cluster };
    const series = seriesOf(site, where);
    const scenarios = scenariosOf(rule.rendered.alert, rule.rendered.labels.cause)!;
    const output = { ...(scenarios.byTarget ? { [base.jobLabel]: JOB, [base.instanceLabel]: INSTANCE } : { [ns]: where.namespace, [cluster]: where.cluster }), ...scenario.labels };
    const data = { labels: output, value: scenario.value, queries: scenario.queries };
    const expected = {
      exp_labels: { ...rule.rendered.labels, ...output },
      exp_annotations: Object.fromEntries(Object.entries(rule.rendered.annotations).map(([k, v]) => [k, expandTemplate(v, data)])),
    };
    const checks = [...scenario.quiet.map((t) => ({ t, fires: false })), ...scenario.fires.map((t) => ({ t, fires: true }))].sort((a, b) => a.t - b.t);
    const cause = rule.rendered.labels.cause ? ` (${rule.rendered.labels.cause})` : '';
    return {
      name: `${rule.rendered.alert}${cause}, ${scopeName(rule.scope)} (${where.namespace}/${where.cluster}): ${scenario.name}`,
      interval: formatDuration(step),
      input_series: scenario.input.map(series),
      alert_rule_test: checks.map(({ t, fires }) => ({ eval_time: at(t), alertname: rule.rendered.alert, ...(fires ? { exp_alerts: [expected] } : {}) })),
    };
  };

  const tests = rules.flatMap((rule) => {
    const edge = rule.scenarios.edge(rule.config, step).map((s) => group(rule, s));
    if (!rule.scope.namespace && !rule.scope.cluster) return edge;
    const byDefault = rules.find((r) => r.rendered.alert === rule.rendered.alert && r.rendered.labels.cause === rule.rendered.labels.cause && !r.scope.namespace && !r.scope.cluster);
    const beyond = byDefault && rule.scenarios.beyond([rule.config, byDefault.config], step);
    return beyond ? [...edge, group(rule, beyond)] : edge;
  });
  return { rule_files: [ruleFile], evaluation_interval: formatDuration(step), tests: [...tests, recordingGroup(site, defaults, step)] };
}

/** What the generated tests cover: alerts and rules (alert × scope) tested, and test groups. */
export function siteRuleTestCoverage(site: SiteConfig): { alerts: number; rules: number; groups: number } {
  const tests = siteRuleTests(site, 'rules.yml') as { tests: unknown[] };
  const rules = testedRules(site);
  return { alerts: new Set(rules.map((r) => r.rendered.alert)).size, rules: rules.length, groups: tests.tests.length };
}

export function renderSiteRuleTests(site: SiteConfig, ruleFile: string): string {
  return ['# Generated by `meshkit-rebalance-obs generate`: every alert\'s thresholds, scope by scope; do not edit.', stringify(siteRuleTests(site, ruleFile), { lineWidth: 0 })].join('\n');
}
