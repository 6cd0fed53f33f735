/**
 * docs/observability/<dashboard>-dashboard.md: each dashboard panel by panel — row, id, type, unit,
 * description, queries, trace links and the alerts that open it — read from the same Grafana JSON
 * as dashboards/*.json.
 */
import { ALERT_NAMES, ALERT_PANELS, type AlertName } from '../alerting';
import { DASHBOARD_FILES, dashboards } from '../dashboards/render';
import { code, slug } from './markdown';

type DashboardKey = 'exec' | 'oncall';

export const DASHBOARD_DOCS: Readonly<Record<DashboardKey, string>> = {
  exec: 'docs/observability/exec-dashboard.md',
  oncall: 'docs/observability/oncall-dashboard.md',
};

/** Screenshots of each dashboard, rendered from simulator histories (`docs/screenshots/`). */
export const SCREENSHOTS: Readonly<Record<DashboardKey, { healthy: string; failing: string }>> = {
  exec: { healthy: 'docs/screenshots/exec-healthy.png', failing: 'docs/screenshots/exec-failing.png' },
  oncall: { healthy: 'docs/screenshots/oncall-healthy.png', failing: 'docs/screenshots/oncall-failing.png' },
};

const PANEL_TYPES: Record<string, string> = {
  timeseries: 'time series',
  'state-timeline': 'state timeline',
  stat: 'stat',
  table: 'table',
  heatmap: 'heatmap',
};

interface JsonPanel {
  type: string;
  id: number;
  title: string;
  description?: string;
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr: string; legendFormat?: string; instant?: boolean; format?: string; exemplar?: boolean }[];
}

const panelHeading = (panel: { title: string; id: number }) => `${panel.title} (panel ${panel.id})`;

/** The anchor of a panel's section in its dashboard's document. */
export function dashboardPanelAnchor(dashboard: DashboardKey, panelId: number): string {
  const panel = (dashboards()[dashboard].panels as JsonPanel[]).find((p) => p.id === panelId && p.type !== 'row');
  if (!panel) throw new Error(`no panel ${panelId} on the ${dashboard} dashboard`);
  return slug(panelHeading(panel));
}

/** Titles of the data links anywhere in a panel (field defaults and overrides). */
function linkTitles(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => linkTitles(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.title === 'string' && o.internal && typeof o.internal === 'object') out.push(o.title);
    else Object.values(o).forEach((v) => linkTitles(v, out));
  }
  return out;
}

const fromDocs = (path: string) => `../${path.replace(/^docs\//, '')}`;

export function renderDashboardReference(key: DashboardKey): string {
  const d = dashboards()[key];
  const other: DashboardKey = key === 'exec' ? 'oncall' : 'exec';
  const alertsOf = (panelId: number): AlertName[] => (key === 'oncall' ? ALERT_NAMES.filter((a) => ALERT_PANELS[a] === panelId) : []);
  const lines: string[] = [
    `<!-- Generated from src/dashboards by \`npm run generate\`; do not edit. -->`,
    `# ${d.title}`,
    '',
    `${d.description ?? ''}`,
    '',
    `Grafana uid ${code(d.uid ?? '')}, file [${DASHBOARD_FILES[key].replace(/^dashboards\//, '')}](../../${DASHBOARD_FILES[key]}); the other view: [${dashboards()[other].title}](${other}-dashboard.md).`,
    '',
    `![${d.title}, healthy run](${fromDocs(SCREENSHOTS[key].healthy)})`,
    '',
    `![${d.title}, failing run](${fromDocs(SCREENSHOTS[key].failing)})`,
    '',
    '## Variables and annotations',
    '',
    ...(d.templating?.list ?? []).map((v) => `- ${code(`$${v.name}`)}: ${v.type === 'datasource' ? 'the Prometheus data source' : code(String(v.query ?? ''))}${v.description ? ` — ${v.description}` : ''}`),
    ...(d.annotations?.list ?? []).filter((a) => (a as { expr?: string }).expr).map((a) => `- annotation “${a.name}”: ${code((a as { expr?: string }).expr!)}`),
    '',
  ];
  for (const panel of d.panels as JsonPanel[]) {
    if (panel.type === 'row') {
      lines.push(`## ${panel.title}`, '');
      continue;
    }
    const targets = panel.targets ?? [];
    const shape = targets.some((t) => t.format === 'heatmap') ? 'range, heatmap buckets' : targets.some((t) => t.instant) ? 'instant' : 'range';
    const exemplars = targets.some((t) => t.exemplar) ? ' with exemplars' : '';
    lines.push(
      `### ${panelHeading(panel)}`,
      '',
      `${PANEL_TYPES[panel.type] ?? panel.type} · unit ${code(panel.fieldConfig?.defaults?.unit ?? 'none')} · ${shape} ${targets.length === 1 ? 'query' : 'queries'}${exemplars}`,
      '',
      panel.description ?? '',
      '',
    );
    const alerts = alertsOf(panel.id);
    if (alerts.length) lines.push(`Opened by: ${alerts.map((a) => `[${a}](../runbooks/${a}.md)`).join(', ')}.`, '');
    const links = [...new Set(linkTitles(panel.fieldConfig))];
    if (links.length) lines.push(`Trace links: ${links.map((t) => code(t)).join(', ')}.`, '');
    for (const t of targets) {
      if (t.legendFormat) lines.push(`Legend ${code(t.legendFormat)}:`, '');
      lines.push('```promql', t.expr, '```', '');
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
