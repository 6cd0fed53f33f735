/**
 * Renders the Prometheus rule file: a recording group and an alerting group, with the cross-cutting
 * fields (severity label, runbook and dashboard links) added here, in one place.
 */
import { stringify } from 'yaml';
import { alertRules, type AlertRule } from './alerts';
import { alertingConfig, dashboardUrl, runbookUrl, type AlertingConfig, type AlertingOverrides } from './config';
import { RuleContext, formatDuration, parseDuration } from './promql';
import { recordingRules, type RecordingRule } from './recording-rules';
import { currentVersion } from '../versioning/changelog';

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
  /**
   * Multiplies only the alerts' `for:` durations (after `timeScale`); windows, offsets and thresholds
   * keep their scale. For an end-to-end test on a backfilled history: the history already holds the
   * full-scale condition, but a rule's pending state starts when Prometheus starts, so `for: 5m` would
   * cost five real minutes. `1/60` turns 5m into 5s and 1m into 1s.
   * @default 1
   */
  forScale?: number;
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

export function renderedAlertRule(config: AlertingConfig, rule: AlertRule, forScale = 1): RenderedAlertRule {
  if (!(forScale > 0) || !Number.isFinite(forScale)) throw new Error(`forScale must be a positive number, got ${forScale}`);
  const duration = forScale === 1 ? rule.for : formatDuration(parseDuration(rule.for) * forScale);
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(duration === '0s' ? {} : { for: duration }),
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
      { name: ALERTING_GROUP, ...interval, rules: alertRules(ctx).map((rule) => renderedAlertRule(config, rule, options.forScale)) },
    ],
  };
}

/** The rule file as YAML (what `alerting/rules/meshkit-rebalance.rules.yml` holds with the defaults). */
export function renderRules(options: RenderRulesOptions = {}): string {
  const scales = [
    options.timeScale !== undefined && options.timeScale !== 1 ? `timeScale ${options.timeScale}` : '',
    options.forScale !== undefined && options.forScale !== 1 ? `forScale ${options.forScale}` : '',
  ].filter(Boolean);
  const scaled = scales.length > 0 ? ` with ${scales.join(' and ')}` : '';
  return [
    `# Generated from src/alerting by \`npm run generate\`${scaled}; do not edit.`,
    `# Version ${currentVersion('rules')} (changelog and upgrade notes: alerting/CHANGELOG.md).`,
    '# Thresholds and their tuning guidance: src/alerting/config.ts.',
    stringify(ruleGroups(options), { lineWidth: 0 }),
  ].join('\n');
}
