/** Assembles a dashboard definition (rows of panel definitions) into Grafana dashboard JSON. */
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
  type Dashboard,
  type QueryVariableBuilder,
  type DatasourceVariableBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { planAnnotations } from './annotations';
import type { PanelDef } from './panels';

export interface RowDef {
  id: number;
  title: string;
  panels: readonly PanelDef[];
}

export interface DashboardDef {
  uid: string;
  title: string;
  description: string;
  variables: readonly (QueryVariableBuilder | DatasourceVariableBuilder)[];
  rows: readonly RowDef[];
  /** Other dashboards to link to, by uid and title; the link keeps variables and time range. */
  links: readonly { uid: string; title: string }[];
}

export const DASHBOARD_TAGS = ['meshkit', 'rebalance'];

/** Fields the SDK puts on every variable that only interval variables have. */
const INTERVAL_ONLY = ['auto', 'auto_min', 'auto_count'] as const;

/**
 * Drops SDK defaults that change nothing or hide things: interval-only fields on other variables,
 * and `placement: inControlsMenu` on links and annotation toggles (Grafana 12 would fold them into
 * the controls menu; we want them on the dashboard).
 */
function tidy(dashboard: Dashboard): Dashboard {
  const drop = (o: object, keys: readonly string[]) => keys.forEach((k) => delete (o as Record<string, unknown>)[k]);
  for (const variable of dashboard.templating?.list ?? []) if (variable.type !== 'interval') drop(variable, INTERVAL_ONLY);
  for (const link of dashboard.links ?? []) drop(link, ['placement']);
  for (const annotation of dashboard.annotations?.list ?? []) drop(annotation, ['placement']);
  return dashboard;
}

export function buildDashboard(def: DashboardDef): Dashboard {
  const b = new DashboardBuilder(def.title)
    .uid(def.uid)
    .description(def.description)
    .tags(DASHBOARD_TAGS)
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .variables([...def.variables])
    .annotations(planAnnotations());
  for (const link of def.links) {
    b.link(new DashboardLinkBuilder(link.title).type(DashboardLinkType.Link).url(`/d/${link.uid}`).icon('dashboard').tooltip(link.title).includeVars(true).keepTime(true).asDropdown(false).targetBlank(false).tags([]));
  }
  for (const row of def.rows) {
    b.withRow(new RowBuilder(row.title).id(row.id));
    for (const panel of row.panels) b.withPanel(panel.builder);
  }
  return tidy(b.build());
}

/** The dashboard's panels (rows excluded) with their specs, in layout order. */
export function panelDefs(def: DashboardDef): PanelDef[] {
  return def.rows.flatMap((r) => r.panels);
}
