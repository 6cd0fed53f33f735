/**
 * Renders the Prometheus rule file: a recording group and an alerting group, with the cross-cutting
 * fields (severity label, runbook and dashboard links) added here, in one place.
 */
import { stringify } from 'yaml';
import { alertRules, type AlertRule } from './alerts';
import { alertingConfig, dashboardUrl, runbookUrl, type AlertingConfig, type AlertingOverrides } from './config';
import { RuleContext } from './promql';
import { recordingRules, type RecordingRule } from './recording-rules';

export const RULES_FILE = 'alerting/rules/meshkit-rebalance.rules.yml';
export const RECORDING_GROUP = 'meshkit-rebalance.recording';
export const ALERTING_GROUP = 'meshkit-rebalance.alerts';

export interface RenderRulesOptions {
  /** Overrides of `DEFAULT_ALERTING_CONFIG`, section by section. */
  config?: AlertingOverrides;
  /**
   * Multiplies every duration — `for`, range windows, offsets, age thresholds, the heartbeat
   * interval — so an end-to-end test can run the same rules at compressed time (`1/60`: a minute
   * becomes a second). Recorded-series names keep their unscaled windows.
   * @default 1
   */
  timeScale?: number;
  /** Evaluation interval of both groups; the Prometheus global one when unset. */
  interval?: string;
}

/** Alert rules as Prometheus loads them: labels and annotations filled in. */
export interface RenderedAlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string; dashboard_url: string };
}

export function renderedAlertRule(config: AlertingConfig, rule: AlertRule): RenderedAlertRule {
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(rule.for === '0s' ? {} : { for: rule.for }),
    labels: { severity: rule.severity, ...rule.labels },
    annotations: {
      summary: rule.summary,
      description: rule.description,
      runbook_url: runbookUrl(config, rule.alert),
      dashboard_url: dashboardUrl(config, rule.alert, rule.dashboardVars),
    },
  };
}

export interface RuleGroups {
  groups: [
    { name: string; interval?: string; rules: RecordingRule[] },
    { name: string; interval?: string; rules: RenderedAlertRule[] },
  ];
}

/** The rule groups as a plain object: the recording group, then the alerting group. */
export function ruleGroups(options: RenderRulesOptions = {}): RuleGroups {
  const config = alertingConfig(options.config);
  const ctx = new RuleContext(config, options.timeScale ?? 1);
  const interval = options.interval ? { interval: options.interval } : {};
  return {
    groups: [
      { name: RECORDING_GROUP, ...interval, rules: recordingRules(ctx) },
      { name: ALERTING_GROUP, ...interval, rules: alertRules(ctx).map((rule) => renderedAlertRule(config, rule)) },
    ],
  };
}

/** The rule file as YAML (what `alerting/rules/meshkit-rebalance.rules.yml` holds with the defaults). */
export function renderRules(options: RenderRulesOptions = {}): string {
  const scaled = options.timeScale !== undefined && options.timeScale !== 1 ? ` with timeScale ${options.timeScale}` : '';
  return [
    `# Generated from src/alerting by \`npm run generate\`${scaled}; do not edit.`,
    '# Thresholds and their tuning guidance: src/alerting/config.ts.',
    stringify(ruleGroups(options), { lineWidth: 0 }),
  ].join('\n');
}
