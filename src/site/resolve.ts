/** From a site configuration to what the renderers take: the alerting config, the label renames, the overrides. */
import { DEFAULT_ALERTING_CONFIG, alertingConfig, type AlertingConfig, type ThresholdSection } from '../alerting/config';
import { CLUSTER, NS } from '../alerting/promql';
import { recordedNames } from '../alerting/recording-rules';
import type { LabelRenames } from './relabel';
import type { SiteConfig, SiteThresholds } from './types';

/** `config` with `thresholds` merged in, section by section. */
export function withThresholds(config: AlertingConfig, thresholds: SiteThresholds = {}): AlertingConfig {
  const out = { ...config } as Record<string, unknown>;
  for (const [section, values] of Object.entries(thresholds)) out[section] = { ...(config[section as ThresholdSection] as object), ...values };
  return out as unknown as AlertingConfig;
}

/** The alerting configuration of the site's default scope (every namespace and cluster without an override). */
export function siteAlertingConfig(site: SiteConfig): AlertingConfig {
  const { groupBy: _groupBy, receivers: _receivers, pagerdutyUrl: _url, ...am } = site.alertmanager ?? {};
  const base = alertingConfig({
    selector: site.selector ?? DEFAULT_ALERTING_CONFIG.selector,
    jobLabel: site.labelNames?.job ?? DEFAULT_ALERTING_CONFIG.jobLabel,
    instanceLabel: site.labelNames?.instance ?? DEFAULT_ALERTING_CONFIG.instanceLabel,
    ...(site.links?.runbookBaseUrl ? { runbookBaseUrl: site.links.runbookBaseUrl } : {}),
    ...(site.links?.dashboardBaseUrl ? { dashboardBaseUrl: site.links.dashboardBaseUrl } : {}),
    ...(site.links?.dashboardSlug ? { dashboardSlug: site.links.dashboardSlug } : {}),
    recording: site.recording ?? {},
    alertmanager: am,
  });
  return withThresholds(base, site.thresholds);
}

/** Schema label name → the site's: only namespace and cluster are renamed this way (job/instance are config). */
export function labelRenames(site: SiteConfig): LabelRenames {
  return { [NS]: site.labelNames?.namespace ?? NS, [CLUSTER]: site.labelNames?.cluster ?? CLUSTER };
}

/**
 * Recorded-series name as the shipped rules spell it → the site's: the level part of a name spells
 * the labels the series keeps (`namespace_cluster:`), so renamed labels rename it (`namespace_k8s_cluster:`).
 */
export function recordedRenames(site: SiteConfig): Readonly<Record<string, string>> {
  const renames = labelRenames(site);
  const config = siteAlertingConfig(site);
  const shipped = recordedNames(config);
  const own = recordedNames(config, [renames[NS], renames[CLUSTER]]);
  return Object.fromEntries(Object.entries(shipped).filter(([key, name]) => own[key as keyof typeof own] !== name).map(([key, name]) => [name, own[key as keyof typeof own]]));
}
