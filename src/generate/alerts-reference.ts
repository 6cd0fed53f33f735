/**
 * docs/runbooks/README.md: every alert of the generated rules, with its severity, receiver, `for`,
 * on-call panel, summary and expression, and a link to its runbook. Built from the same rule
 * objects as alerting/rules/meshkit-rebalance.rules.yml.
 */
import { ALERT_NAMES, ALERT_PANELS, DEFAULT_ALERTING_CONFIG, RECEIVERS, RULES_FILE, ruleGroups, type AlertName, type RenderedAlertRule } from '../alerting';
import { dashboardPanelAnchor, DASHBOARD_DOCS } from './dashboards-reference';
import { cell, code, table } from './markdown';

export const ALERTS_REFERENCE_FILE = 'docs/runbooks/README.md';

/** The sections every runbook has, in this order (the doc tests check them). */
export const RUNBOOK_SECTIONS = ['Meaning', 'Impact', 'Panels to open', 'Trace to open', 'Diagnosis', 'Remediation', 'Escalation'] as const;

/** The rendered alerting rules grouped by alert name, in ALERT_NAMES order. */
export function alertRulesByName(): Map<AlertName, RenderedAlertRule[]> {
  const rules = ruleGroups().groups[1].rules;
  return new Map(ALERT_NAMES.map((name) => [name, rules.filter((r) => r.alert === name)]));
}

const relativeToRunbooks = (docPath: string) => `../${docPath.replace(/^docs\//, '')}`;

export function renderAlertsReference(): string {
  const byName = alertRulesByName();
  const oncallDoc = relativeToRunbooks(DASHBOARD_DOCS.oncall);
  const rows = [...byName].map(([name, rules]) => {
    const first = rules[0]!;
    const severity = first.labels.severity as keyof typeof RECEIVERS;
    const fors = [...new Set(rules.map((r) => r.for ?? '0s'))].join(', ');
    const panel = `[${ALERT_PANELS[name]}](${oncallDoc}#${dashboardPanelAnchor('oncall', ALERT_PANELS[name])})`;
    return [`[${name}](${name}.md)`, severity, code(RECEIVERS[severity]), fors, panel, cell(rules.map((r) => r.annotations.summary).join(' / '))];
  });
  const sections = [...byName].flatMap(([name, rules]) => [
    `## ${name}`,
    '',
    `Runbook: [${name}.md](${name}.md).`,
    '',
    ...rules.flatMap((rule) => [
      ...(rules.length > 1 ? [`Rule with ${Object.entries(rule.labels).filter(([k]) => k !== 'severity').map(([k, v]) => code(`${k}="${v}"`)).join(', ')}:`, ''] : []),
      '```promql',
      rule.expr,
      '```',
      '',
      'Description (a Prometheus template):',
      '',
      '```text',
      rule.annotations.description,
      '```',
      '',
    ]),
  ]);
  return [
    '<!-- Generated from src/alerting by `npm run generate`; do not edit. -->',
    '# Alerts and runbooks',
    '',
    `Every alert of ${code(RULES_FILE)}, with the default thresholds of ${code('src/alerting/config.ts')}`,
    '(tune them with the [threshold table](../operator-guide/alert-thresholds.md)). `page` alerts go to',
    'PagerDuty, `ticket` alerts to Microsoft Teams. Each alert carries a `runbook_url` annotation',
    `(${code(`${DEFAULT_ALERTING_CONFIG.runbookBaseUrl}/<alertname>.md`)}) that opens its runbook below, and a`,
    '`dashboard_url` that opens its panel on the on-call dashboard.',
    '',
    ...table(['alert (runbook)', 'severity', 'receiver', 'for', 'on-call panel', 'summary'], rows),
    '',
    'Summaries and descriptions are Prometheus templates: `{{ $labels.x }}` is a label of the alert,',
    '`{{ $value }}` the value of its expression.',
    '',
    ...sections,
  ].join('\n');
}
