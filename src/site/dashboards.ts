/**
 * The site's dashboards and their Grafana provisioning: data source uids, refresh, the Prometheus
 * data source's `timeInterval` set to the site's scrape interval (so `$__rate_interval` spans at
 * least four samples), and the renamed namespace/cluster labels in every query, legend, field and
 * column title that shows a label by its name, with the recorded series under their renamed names.
 */
import { parse } from 'yaml';
import { DASHBOARD_FILES, renderDashboardFiles } from '../dashboards/render';
import { DATASOURCES } from '../dashboards/ids';
import { SCRAPE_INTERVAL } from '../dashboards/provisioning';
import { relabelList, relabelPromql, relabelTemplate, renameMetrics, type LabelRenames } from './relabel';
import { labelRenames, recordedRenames } from './resolve';
import type { SiteConfig } from './types';

/** Transformation options keyed by field (label) name. */
const FIELD_KEYED = new Set(['indexByName', 'renameByName', 'excludeByName']);

function relabelLabelValues(query: string, renames: LabelRenames): string {
  const match = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/s.exec(query);
  if (!match) return relabelTemplate(query, renames);
  return `label_values(${relabelPromql(match[1], renames)}, ${relabelList([match[2]], renames)[0]})`;
}

function walk(value: unknown, visit: (key: string, value: unknown, parentKey: string) => unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, visit, parentKey));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(k, walk(v, visit, k), parentKey)]));
  }
  return value;
}

/** One dashboard (Grafana JSON) with the site's settings applied. */
export function siteDashboard(dashboard: Record<string, unknown>, site: SiteConfig): Record<string, unknown> {
  const renames = labelRenames(site);
  const recorded = recordedRenames(site);
  const uids: Record<string, string> = {
    [DATASOURCES.prometheus.uid]: site.dashboards?.prometheusDatasourceUid ?? DATASOURCES.prometheus.uid,
    [DATASOURCES.jaeger.uid]: site.dashboards?.tracesDatasourceUid ?? DATASOURCES.jaeger.uid,
  };
  const out = walk(dashboard, (key, value, parentKey) => {
    // a column titled by its label's name shows the site's name
    if (parentKey === 'renameByName' && value === key) return relabelList([key], renames)[0];
    if (FIELD_KEYED.has(parentKey) && value !== null) return value; // keys handled below
    if (key === 'names' && parentKey === 'include' && Array.isArray(value)) return relabelList(value as string[], renames);
    if (typeof value !== 'string') {
      if (FIELD_KEYED.has(key) && value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [relabelList([k], renames)[0], v]));
      return value;
    }
    if (Object.hasOwn(uids, value)) return uids[value];
    if (key === 'expr') return renameMetrics(relabelPromql(value, renames), recorded);
    if (key === 'query' && value.startsWith('label_values(')) return relabelLabelValues(value, renames);
    if (key === 'tagKeys') return relabelList(value.split(','), renames).join(',');
    return relabelTemplate(value, renames);
  }) as Record<string, unknown>;
  return { ...out, ...(site.dashboards?.refresh ? { refresh: site.dashboards.refresh } : {}) };
}

/** Provisioning of the data sources with the site's uids and scrape interval. */
function siteDatasources(yamlText: string, site: SiteConfig): object {
  const doc = parse(yamlText) as { datasources: { uid: string; jsonData: Record<string, unknown> }[] };
  for (const ds of doc.datasources) {
    if (ds.uid === DATASOURCES.prometheus.uid) {
      ds.uid = site.dashboards?.prometheusDatasourceUid ?? ds.uid;
      ds.jsonData.timeInterval = site.dashboards?.scrapeInterval ?? SCRAPE_INTERVAL;
      for (const d of (ds.jsonData.exemplarTraceIdDestinations as { datasourceUid: string }[] | undefined) ?? []) {
        d.datasourceUid = site.dashboards?.tracesDatasourceUid ?? d.datasourceUid;
      }
    } else if (ds.uid === DATASOURCES.jaeger.uid) ds.uid = site.dashboards?.tracesDatasourceUid ?? ds.uid;
  }
  return doc;
}

/** Dashboard files as `renderDashboardFiles()` names them: dashboards as objects, provisioning as objects. */
export function siteDashboardFiles(site: SiteConfig): { dashboards: Record<string, Record<string, unknown>>; provisioning: Record<string, object> } {
  const files = renderDashboardFiles();
  const dashboards = Object.fromEntries(
    [DASHBOARD_FILES.exec, DASHBOARD_FILES.oncall].map((f) => [f.replace(/^dashboards\//, ''), siteDashboard(JSON.parse(files[f]) as Record<string, unknown>, site)]),
  );
  return {
    dashboards,
    provisioning: {
      [DASHBOARD_FILES.dashboardProvider.replace(/^dashboards\/provisioning\//, '')]: parse(files[DASHBOARD_FILES.dashboardProvider]) as object,
      [DASHBOARD_FILES.datasourceProvider.replace(/^dashboards\/provisioning\//, '')]: siteDatasources(files[DASHBOARD_FILES.datasourceProvider], site),
    },
  };
}
