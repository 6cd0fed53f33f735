// The alerting module's surface, name by name: rule and Alertmanager rendering, the configuration,
// and the names dashboards and end-to-end tests share with the rules.
export {
  ALERT_NAMES,
  ALERT_PANELS,
  ONCALL_DASHBOARD_UID,
  SEVERITIES,
  DEFAULT_ALERTING_CONFIG,
  alertingConfig,
  runbookUrl,
  dashboardUrl,
  type AlertName,
  type Severity,
  type AlertingConfig,
  type AlertingOverrides,
} from './config';
export { parseDuration, formatDuration } from './promql';
export { RECORDED, recordedNames, type RecordedNames } from './recording-rules';
export { RULES_FILE, RECORDING_GROUP, ALERTING_GROUP, renderRules, ruleGroups, type RenderRulesOptions, type RenderedAlertRule, type RuleGroups } from './render';
export { ALERTMANAGER_FILE, RECEIVERS, INHIBITING_ALERT, alertmanagerConfig, renderAlertmanagerConfig, type AlertmanagerRenderOptions } from './alertmanager';
