/**
 * Kubernetes delivery for the Prometheus Operator: PrometheusRule, PodMonitor and a ServiceMonitor
 * variant, AlertmanagerConfig (its receivers carry the notification templates inline), the
 * dashboards as ConfigMaps the Grafana sidecar picks up, and the Collector config as a ConfigMap.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Severity } from '../alerting/config';
import { CLUSTER, NS } from '../alerting/promql';
import { SCRAPE_INTERVAL } from '../dashboards/provisioning';
import { siteAlertmanagerConfig, siteAlertmanagerTemplates } from './alertmanager';
import { siteDashboardFiles } from './dashboards';
import { inlineTemplates, templateDefinitions } from './inline-templates';
import { packageRoot } from '../stack/paths';
import { relabelList } from './relabel';
import { labelRenames } from './resolve';
import { siteRuleGroups } from './rules';
import type { SiteConfig } from './types';

export const OBJECT_NAME = 'meshkit-rebalance';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** `severity="page"` → the AlertmanagerConfig matcher form. */
function matcher(text: string): { name: string; value: string; matchType: string } {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"(.*)"$/.exec(text);
  if (!m) throw new Error(`unexpected matcher ${text}`);
  return { name: m[1], matchType: m[2], value: m[3] };
}

/** The receivers' template calls with the templates' bodies in their place: nothing to mount. */
function inlined<T>(site: SiteConfig, value: T): T {
  const defs = new Map(Object.values(siteAlertmanagerTemplates(site)).flatMap((text) => [...templateDefinitions(text)]));
  return JSON.parse(JSON.stringify(value), (_, v: unknown) => (typeof v === 'string' ? inlineTemplates(v, defs) : v)) as T;
}

function alertmanagerConfigSpec(site: SiteConfig): object {
  const am = siteAlertmanagerConfig(site);
  const secrets: Record<Severity, { name: string; key: string }> = {
    page: site.kubernetes?.pagerdutySecret ?? { name: 'meshkit-rebalance-pagerduty', key: 'routing-key' },
    ticket: site.kubernetes?.msteamsSecret ?? { name: 'meshkit-rebalance-msteams', key: 'webhook-url' },
  };
  const [pd] = am.receivers[0].pagerduty_configs!;
  const [teams] = am.receivers[1].msteamsv2_configs!;
  return {
    route: {
      receiver: am.route.receiver,
      groupBy: am.route.group_by,
      groupWait: am.route.group_wait,
      groupInterval: am.route.group_interval,
      repeatInterval: am.route.repeat_interval,
      routes: am.route.routes.map((r) => ({ receiver: r.receiver, matchers: r.matchers.map(matcher), repeatInterval: r.repeat_interval })),
    },
    inhibitRules: am.inhibit_rules.map((r) => ({ sourceMatch: r.source_matchers.map(matcher), targetMatch: r.target_matchers.map(matcher), equal: r.equal })),
    receivers: inlined(site, [
      {
        name: am.receivers[0].name,
        pagerdutyConfigs: [
          {
            routingKey: secrets.page,
            ...(pd.url ? { url: pd.url } : {}),
            severity: pd.severity,
            description: pd.description,
            client: pd.client,
            clientURL: pd.client_url,
            pagerDutyLinkConfigs: pd.links.map((l) => ({ href: l.href, alt: l.text })),
            details: Object.entries(pd.details).map(([key, value]) => ({ key, value })),
          },
        ],
      },
      { name: am.receivers[1].name, msteamsv2Configs: [{ webhookURL: secrets.ticket, title: teams.title, text: teams.text }] },
    ]),
  };
}

/** The Collector config with the site's label names for the namespace/cluster resource attributes. */
function collectorConfig(site: SiteConfig): string {
  const renames = labelRenames(site);
  const text = readFileSync(path.join(packageRoot(), 'otel-collector', 'config.yaml'), 'utf8');
  return text.replace(new RegExp(`(- key: )(${NS}|${CLUSTER})(\\s+from_attribute: )`, 'g'), (_, a: string, label: string, b: string) => `${a}${relabelList([label], renames)[0]}${b}`);
}

/** Every object, in apply order. */
export function siteManifests(site: SiteConfig): Manifest[] {
  const k = site.kubernetes ?? {};
  const namespace = k.namespace ?? 'monitoring';
  const labels = { 'app.kubernetes.io/part-of': 'meshkit-rebalance-observability', ...k.labels };
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace, labels: { ...labels, ...extra } });
  const selector = { matchLabels: k.selector ?? { 'app.kubernetes.io/name': 'meshkit-rebalancer' } };
  const endpoint = { port: k.metricsPort ?? 'metrics', path: '/metrics', interval: site.dashboards?.scrapeInterval ?? SCRAPE_INTERVAL };
  const { dashboards } = siteDashboardFiles(site);
  const dashboardLabel = k.dashboardLabel ?? { grafana_dashboard: '1' };
  return [
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: meta(OBJECT_NAME), spec: siteRuleGroups(site) },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: meta(OBJECT_NAME), spec: { selector, podMetricsEndpoints: [endpoint] } },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta(OBJECT_NAME), spec: { selector, endpoints: [endpoint] } },
    { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', metadata: meta(OBJECT_NAME), spec: alertmanagerConfigSpec(site) },
    ...Object.entries(dashboards).map(([file, dashboard]) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${OBJECT_NAME}-dashboard-${file.replace(/^meshkit-rebalance-/, '').replace(/\.json$/, '')}`, dashboardLabel),
      data: { [file]: `${JSON.stringify(dashboard, null, 2)}\n` },
    })),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${OBJECT_NAME}-collector`), data: { 'config.yaml': collectorConfig(site) } },
  ];
}

/** File name of each manifest: `prometheusrule.yaml`, `configmap-meshkit-rebalance-collector.yaml`. */
export function manifestFile(m: Manifest): string {
  return m.kind === 'ConfigMap' ? `configmap-${m.metadata.name}.yaml` : `${m.kind.toLowerCase()}.yaml`;
}

export const renderManifest = (m: Manifest): string => `# Generated by \`meshkit-rebalance-obs generate --format kubernetes\`; do not edit.\n${stringify(m, { lineWidth: 0 })}`;
