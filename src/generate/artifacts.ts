import { ALERTMANAGER_FILE, renderAlertmanagerConfig } from '../alerting/alertmanager';
import { RULES_FILE, renderRules } from '../alerting/render';
import { renderDashboardFiles } from '../dashboards/render';
import { renderMetricsReference } from './metrics-reference';

/** Every generated file: path relative to the repository root → its content. */
export function generatedArtifacts(): Record<string, string> {
  return {
    'docs/reference/metrics.md': renderMetricsReference(),
    [RULES_FILE]: renderRules(),
    [ALERTMANAGER_FILE]: renderAlertmanagerConfig(),
    ...renderDashboardFiles(),
  };
}
