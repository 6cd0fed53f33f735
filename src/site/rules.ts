/**
 * The site's rule file: the shipped rules with the site's thresholds, one rule per alert for every
 * namespace or cluster with its own thresholds (the default rule excludes those scopes, so a scope
 * never fires at two thresholds), disabled alerts left out, severities and static labels applied,
 * and the namespace/cluster labels renamed.
 */
import { stringify } from 'yaml';
import { thresholdSection, type AlertingConfig } from '../alerting/config';
import { alertRules, type AlertRule } from '../alerting/alerts';
import { CLUSTER, NS, RuleContext } from '../alerting/promql';
import { ALERTING_GROUP, RECORDING_GROUP, renderedAlertRule, ruleGroups, type RenderedAlertRule, type RuleGroups } from '../alerting/render';
import { ATTR, LABELS, SERVICE_NAME } from '../schema';
import { relabelPromql, relabelTemplate, renameMetrics } from './relabel';
import { labelRenames, recordedRenames, siteAlertingConfig, withThresholds } from './resolve';
import type { SiteConfig, SiteOverride } from './types';

export interface SiteRuleOptions {
  /** As `renderRules`: multiplies every duration. @default 1 */
  timeScale?: number;
  /** As `renderRules`: multiplies only `for:`. @default 1 */
  forScale?: number;
  /** Evaluation interval of both groups. */
  interval?: string;
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const notIn = (label: string, values: string[]) => (values.length === 0 ? [] : [`${label}!~${JSON.stringify(values.map(escapeRegex).join('|'))}`]);
const equals = (label: string, value: string) => `${label}=${JSON.stringify(value)}`;

/** The namespace or cluster an override's rule is confined to; neither for the default rule. */
export interface RuleScope {
  namespace?: string;
  cluster?: string;
}

/** One scope's rules for one alert: its config, and the matchers that confine it. */
interface Scoped {
  config: AlertingConfig;
  scope: RuleScope;
  matchers: string[];
  /** `thresholds` label of an override's rule: tells the rule apart from the default (promtool lints same-labelled rules) and tells on-call whose limit fired. */
  label?: string;
}

/** Label on the alerts of an override's rules: `namespace=payments`, `cluster=eu-west-1`. */
export const THRESHOLDS_LABEL = 'thresholds';

/** The scopes an alert is rendered for: the default (minus overridden scopes), each namespace override, each cluster override. */
function scopesOf(alert: string, base: AlertingConfig, overrides: readonly SiteOverride[]): Scoped[] {
  const section = thresholdSection(alert);
  const touching = section === undefined ? [] : overrides.filter((o) => o.thresholds[section] !== undefined);
  const namespaces = touching.filter((o) => o.namespace !== undefined);
  const clusters = touching.filter((o) => o.cluster !== undefined);
  const nsNames = namespaces.map((o) => o.namespace!);
  return [
    { config: base, scope: {}, matchers: [...notIn(NS, nsNames), ...notIn(CLUSTER, clusters.map((o) => o.cluster!))] },
    ...namespaces.map((o) => ({
      config: withThresholds(base, o.thresholds),
      scope: { namespace: o.namespace },
      matchers: [equals(NS, o.namespace!)],
      label: `namespace=${o.namespace}`,
    })),
    // a namespace override wins where both match
    ...clusters.map((o) => ({
      config: withThresholds(base, o.thresholds),
      scope: { cluster: o.cluster },
      matchers: [equals(CLUSTER, o.cluster!), ...notIn(NS, nsNames)],
      label: `cluster=${o.cluster}`,
    })),
  ];
}

function alertsInOrder(config: AlertingConfig): string[] {
  return [...new Set(alertRules(new RuleContext(config)).map((r) => r.alert))];
}

/** The site's alert rules before rendering, scope by scope, with the thresholds each was built from. */
export function siteAlertRules(site: SiteConfig, timeScale = 1): { config: AlertingConfig; scope: RuleScope; rule: AlertRule }[] {
  const base = siteAlertingConfig(site);
  const disabled = new Set<string>(site.alerts?.disabled ?? []);
  return alertsInOrder(base)
    .filter((alert) => !disabled.has(alert))
    .flatMap((alert) =>
      scopesOf(alert, base, site.overrides ?? []).flatMap(({ config, scope, matchers, label }) =>
        alertRules(new RuleContext(config, timeScale, matchers))
          .filter((r) => r.alert === alert)
          .map((rule) => ({ config, scope, rule: label ? { ...rule, labels: { ...rule.labels, [THRESHOLDS_LABEL]: label } } : rule })),
      ),
    );
}

/** `trace_url` of an alert about one plan: the trace view's search for the plan's trace. */
function traceUrl(site: SiteConfig, rendered: RenderedAlertRule): Record<string, string> {
  const base = site.links?.traceBaseUrl;
  const planId = `{{ $labels.${LABELS.planId.name} }}`;
  if (!base || !rendered.annotations.summary.includes(planId)) return {};
  const tags = `${encodeURIComponent(`{"${ATTR.planId}":"`)}${planId}${encodeURIComponent('"}')}`;
  return { trace_url: `${base.replace(/\/+$/, '')}/search?service=${SERVICE_NAME}&tags=${tags}` };
}

function finish(site: SiteConfig, rendered: RenderedAlertRule): RenderedAlertRule {
  const renames = labelRenames(site);
  const severity = site.alerts?.severity?.[rendered.alert as keyof NonNullable<NonNullable<SiteConfig['alerts']>['severity']>];
  const annotations = Object.fromEntries(Object.entries({ ...rendered.annotations, ...traceUrl(site, rendered) }).map(([k, v]) => [k, relabelTemplate(v, renames)])) as RenderedAlertRule['annotations'];
  return {
    ...rendered,
    expr: relabelPromql(rendered.expr, renames),
    labels: { ...rendered.labels, ...(severity ? { severity } : {}), ...site.labels },
    annotations,
  };
}

/** The site's alert rules as rendered, each with its scope and the thresholds it was built from. */
export function siteRenderedAlertRules(site: SiteConfig, options: SiteRuleOptions = {}): { config: AlertingConfig; scope: RuleScope; rendered: RenderedAlertRule }[] {
  return siteAlertRules(site, options.timeScale).map(({ config, scope, rule }) => ({ config, scope, rendered: finish(site, renderedAlertRule(config, rule, options.forScale)) }));
}

/** The site's rule groups: the recording group, then the alerting group. */
export function siteRuleGroups(site: SiteConfig, options: SiteRuleOptions = {}): RuleGroups {
  const base = siteAlertingConfig(site);
  const renames = labelRenames(site);
  const recorded = recordedRenames(site);
  const [recording] = ruleGroups({ config: base, timeScale: options.timeScale, interval: options.interval }).groups;
  const interval = options.interval ? { interval: options.interval } : {};
  return {
    groups: [
      { name: RECORDING_GROUP, ...interval, rules: recording.rules.map((r) => ({ record: recorded[r.record] ?? r.record, expr: renameMetrics(relabelPromql(r.expr, renames), recorded) })) },
      {
        name: ALERTING_GROUP,
        ...interval,
        rules: siteRenderedAlertRules(site, options).map((r) => r.rendered),
      },
    ],
  };
}

export function renderSiteRules(site: SiteConfig, options: SiteRuleOptions = {}): string {
  return [
    '# Generated by `meshkit-rebalance-obs generate` from the site configuration; do not edit.',
    stringify(siteRuleGroups(site, options), { lineWidth: 0 }),
  ].join('\n');
}
