import path from 'node:path';
import { ALERTMANAGER_FILE, renderAlertmanagerConfig } from '../alerting/alertmanager';
import { RULES_FILE, renderRules } from '../alerting/render';
import { renderDashboardFiles } from '../dashboards/render';
import { SITE_SCHEMA_FILE, renderSiteConfigSchema } from '../site/schema';
import { ALERTS_REFERENCE_FILE, renderAlertsReference } from './alerts-reference';
import { DASHBOARD_DOCS, renderDashboardReference } from './dashboards-reference';
import { renderMetricsReference } from './metrics-reference';
import { TUNING_REFERENCE_FILE, configFieldDocs, renderTuningReference } from './tuning-reference';

/** Every generated file: path relative to the repository root → its content. */
export function generatedArtifacts(): Record<string, string> {
  return {
    'docs/reference/metrics.md': renderMetricsReference(),
    [RULES_FILE]: renderRules(),
    [ALERTMANAGER_FILE]: renderAlertmanagerConfig(),
    ...renderDashboardFiles(),
    [ALERTS_REFERENCE_FILE]: renderAlertsReference(),
    [TUNING_REFERENCE_FILE]: renderTuningReference(path.join(__dirname, '..', '..')),
    [DASHBOARD_DOCS.exec]: renderDashboardReference('exec'),
    [DASHBOARD_DOCS.oncall]: renderDashboardReference('oncall'),
    [SITE_SCHEMA_FILE]: renderSiteConfigSchema(configFieldDocs(path.join(__dirname, '..', '..'))),
  };
}
