import path from 'node:path';
import { ALERTMANAGER_FILE, renderAlertmanagerConfig } from '../alerting/alertmanager';
import { RULES_FILE, renderRules } from '../alerting/render';
import { renderDashboardFiles } from '../dashboards/render';
import { SITE_SCHEMA_FILE, renderSiteConfigSchema } from '../site/schema';
import { ALERTS_REFERENCE_FILE, renderAlertsReference } from './alerts-reference';
import { DASHBOARD_DOCS, renderDashboardReference } from './dashboards-reference';
import { renderMetricsReference } from './metrics-reference';
import { STACK_REFERENCE_FILE, renderStackReference } from './stack-reference';
import { DRAFT_ALIASES_FILE, renderDraftAliasRules } from '../alerting/draft-aliases';
import { currentVersion } from '../versioning/changelog';
import { renderLocks } from '../versioning/lock';
import { renderChangelogs } from '../versioning/render-changelog';
import { DRAFT_ALIASES_REFERENCE_FILE, renderDraftAliasesReference } from './draft-aliases-reference';
import { TUNING_REFERENCE_FILE, configFieldDocs, renderTuningReference } from './tuning-reference';

/** Every generated file: path relative to the repository root → its content. */
export function generatedArtifacts(): Record<string, string> {
  const root = path.join(__dirname, '..', '..');
  return {
    'docs/reference/metrics.md': renderMetricsReference(),
    [RULES_FILE]: renderRules(),
    [ALERTMANAGER_FILE]: renderAlertmanagerConfig(),
    ...renderDashboardFiles(),
    [ALERTS_REFERENCE_FILE]: renderAlertsReference(),
    [TUNING_REFERENCE_FILE]: renderTuningReference(root),
    [DASHBOARD_DOCS.exec]: renderDashboardReference('exec'),
    [DASHBOARD_DOCS.oncall]: renderDashboardReference('oncall'),
    [STACK_REFERENCE_FILE]: renderStackReference(),
    [DRAFT_ALIASES_FILE]: renderDraftAliasRules(currentVersion('draftAliases')),
    [DRAFT_ALIASES_REFERENCE_FILE]: renderDraftAliasesReference(),
    ...renderChangelogs(),
    ...renderLocks(root),
    [SITE_SCHEMA_FILE]: renderSiteConfigSchema(configFieldDocs(root)),
  };
}
