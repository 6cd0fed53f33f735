/** `generate`: everything a site deploys, from its configuration, into one directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { renderSiteAlertmanagerConfig, siteAlertmanagerTemplates } from './alertmanager';
import { siteDashboardFiles } from './dashboards';
import { manifestFile, renderManifest, siteManifests } from './kubernetes';
import { renderSiteRuleTests, SITE_TESTS_FILE } from './promtool-tests';
import { renderSiteRules } from './rules';
import { THRESHOLD_TABLE_FILE, renderThresholdTable } from './threshold-table';
import type { SiteConfig } from './types';

export type OutputFormat = 'files' | 'kubernetes';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['files', 'kubernetes'];

/** Where each output lives under the generated directory. */
export const SITE_LAYOUT = {
  rules: 'prometheus/rules/meshkit-rebalance.rules.yml',
  tests: `prometheus/tests/${SITE_TESTS_FILE}`,
  alertmanager: 'alertmanager/alertmanager.yml',
  templates: 'alertmanager/templates',
  dashboards: 'grafana/dashboards',
  provisioning: 'grafana/provisioning',
  kubernetes: 'kubernetes',
  thresholds: THRESHOLD_TABLE_FILE,
} as const;

/**
 * The generated files, path relative to the output directory → content. `kubernetes` adds the
 * manifests to the plain files, which stay as what promtool and amtool check.
 */
export function siteFiles(site: SiteConfig, format: OutputFormat = 'files'): Record<string, string> {
  const files: Record<string, string> = {};
  files[SITE_LAYOUT.rules] = renderSiteRules(site);
  files[SITE_LAYOUT.tests] = renderSiteRuleTests(site, path.posix.relative(path.posix.dirname(SITE_LAYOUT.tests), SITE_LAYOUT.rules));
  files[SITE_LAYOUT.thresholds] = renderThresholdTable(site);
  files[SITE_LAYOUT.alertmanager] = renderSiteAlertmanagerConfig(site);
  for (const [name, text] of Object.entries(siteAlertmanagerTemplates(site))) files[`${SITE_LAYOUT.templates}/${name}`] = text;
  const { dashboards, provisioning } = siteDashboardFiles(site);
  for (const [name, dashboard] of Object.entries(dashboards)) files[`${SITE_LAYOUT.dashboards}/${name}`] = `${JSON.stringify(dashboard, null, 2)}\n`;
  for (const [name, doc] of Object.entries(provisioning)) files[`${SITE_LAYOUT.provisioning}/${name}`] = stringify(doc, { lineWidth: 0 });
  if (format === 'kubernetes') {
    for (const manifest of siteManifests(site)) files[`${SITE_LAYOUT.kubernetes}/${manifestFile(manifest)}`] = renderManifest(manifest);
  }
  return files;
}

/** Writes `siteFiles` under `outDir`; returns the paths written, relative to it. */
export function generateSite(site: SiteConfig, outDir: string, format: OutputFormat = 'files'): string[] {
  const files = siteFiles(site, format);
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(outDir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return Object.keys(files);
}
