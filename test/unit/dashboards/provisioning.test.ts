import { parse } from 'yaml';
import { ALERT_PANELS, ONCALL_DASHBOARD_UID } from '../../../src/alerting/config';
import { DASHBOARD_UIDS, DATASOURCES, viewPanelPath } from '../../../src/dashboards/ids';
import { dashboardProvider, datasourceProvider, PROVISIONING_ENV } from '../../../src/dashboards/provisioning';
import { dashboards, DASHBOARD_FILES, renderDashboardFiles } from '../../../src/dashboards/render';

const files = renderDashboardFiles();
const generated = dashboards();

describe('dashboard provisioning', () => {
  it('writes both dashboards named by their uid, and the provisioning files', () => {
    expect(Object.keys(files).sort()).toEqual(Object.values(DASHBOARD_FILES).sort());
    expect(generated.exec.uid).toBe(DASHBOARD_UIDS.exec);
    expect(generated.oncall.uid).toBe(ONCALL_DASHBOARD_UID);
    expect(JSON.parse(files[DASHBOARD_FILES.oncall]!)).toEqual(JSON.parse(JSON.stringify(generated.oncall)));
  });

  it('provisions the dashboards with a file provider reading the dashboards folder', () => {
    const parsed = parse(files[DASHBOARD_FILES.dashboardProvider]!);
    expect(parsed).toEqual(dashboardProvider());
    expect(parsed.providers[0]).toMatchObject({ type: 'file', options: { path: `\${${PROVISIONING_ENV.dashboardsDir}}` } });
  });

  it('provisions Prometheus and Jaeger with the fixed uids the dashboards use', () => {
    const parsed = parse(files[DASHBOARD_FILES.datasourceProvider]!);
    expect(parsed).toEqual(datasourceProvider());
    const byUid = new Map(parsed.datasources.map((d: { uid: string }) => [d.uid, d]));
    expect(byUid.get(DATASOURCES.prometheus.uid)).toMatchObject({ type: 'prometheus', isDefault: true });
    expect(byUid.get(DATASOURCES.jaeger.uid)).toMatchObject({ type: 'jaeger' });
    for (const d of Object.values(generated)) {
      const variable = d.templating!.list!.find((v) => v.name === 'datasource')!;
      expect(variable.current).toMatchObject({ value: DATASOURCES.prometheus.uid });
    }
  });

  it('links traces to the provisioned Jaeger uid', () => {
    const text = files[DASHBOARD_FILES.oncall]!;
    const uids = [...text.matchAll(/"datasourceUid": "([^"]+)"/g)].map((m) => m[1]);
    expect(uids.length).toBeGreaterThan(0);
    expect(new Set(uids)).toEqual(new Set([DATASOURCES.jaeger.uid]));
  });

  it('has a panel on the on-call view for every alert link', () => {
    const panels = new Map((generated.oncall.panels ?? []).filter((p) => p.type !== 'row').map((p) => [p.id, p.title]));
    for (const [alert, id] of Object.entries(ALERT_PANELS)) expect([alert, panels.has(id)]).toEqual([alert, true]);
    expect(viewPanelPath(ONCALL_DASHBOARD_UID, ALERT_PANELS.MeshKitRebalancePlanStuck)).toBe(`/d/${ONCALL_DASHBOARD_UID}?viewPanel=${ALERT_PANELS.MeshKitRebalancePlanStuck}`);
    expect(panels.get(ALERT_PANELS.MeshKitRebalancePlanStuck)).toBe('Plan queue');
  });
});
