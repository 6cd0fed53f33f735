/** The generated dashboard files: the two dashboards and their provisioning. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { execDashboard } from './exec';
import { DASHBOARD_UIDS } from './ids';
import { oncallDashboard } from './oncall';
import { dashboardProvider, datasourceProvider, renderYaml } from './provisioning';
import { currentVersion } from '../versioning/changelog';
import { stampDashboard } from '../versioning/stamp';

export const DASHBOARD_FILES = {
  exec: `dashboards/${DASHBOARD_UIDS.exec}.json`,
  oncall: `dashboards/${DASHBOARD_UIDS.oncall}.json`,
  dashboardProvider: 'dashboards/provisioning/dashboards/meshkit-rebalance.yaml',
  datasourceProvider: 'dashboards/provisioning/datasources/meshkit-rebalance.yaml',
} as const;

/** Both dashboards as Grafana JSON objects, stamped with their version (src/versioning/changelog.ts). */
export function dashboards(): Record<'exec' | 'oncall', Dashboard> {
  return { exec: stampDashboard(execDashboard(), currentVersion('exec')), oncall: stampDashboard(oncallDashboard(), currentVersion('oncall')) };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function renderDashboardFiles(): Record<string, string> {
  const d = dashboards();
  return {
    [DASHBOARD_FILES.exec]: json(d.exec),
    [DASHBOARD_FILES.oncall]: json(d.oncall),
    [DASHBOARD_FILES.dashboardProvider]: renderYaml(dashboardProvider()),
    [DASHBOARD_FILES.datasourceProvider]: renderYaml(datasourceProvider()),
  };
}
