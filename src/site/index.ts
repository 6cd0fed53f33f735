// The site configuration API (`@meshkit/rebalance-observability/site`), name by name: load and validate a site.yaml, render or write what it generates, verify a generated directory.
export type { SiteConfig, SiteOverride, SiteThresholds, GroupBy } from './types';
export { SITE_SCHEMA_FILE, siteConfigSchema } from './schema';
export { SiteConfigError, loadSiteConfig, validateSiteConfig } from './load';
export { siteAlertingConfig } from './resolve';
export { siteRuleGroups, renderSiteRules, type SiteRuleOptions } from './rules';
export { siteAlertmanagerConfig, renderSiteAlertmanagerConfig, siteGroupBy, siteReceivers } from './alertmanager';
export { siteDashboard, siteDashboardFiles } from './dashboards';
export { siteRuleTests, renderSiteRuleTests, siteRuleTestCoverage } from './promtool-tests';
export { siteManifests, type Manifest } from './kubernetes';
export { SITE_LAYOUT, OUTPUT_FORMATS, siteFiles, generateSite, type OutputFormat } from './generate';
export { verifySite, validateManifests, type VerifyStep } from './verify';
export { checkTools, type CheckTools } from './tools';
