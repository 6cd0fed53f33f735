import { ALERT_PANELS } from '../../../src/alerting/config';
import { dashboardPanels, panelScenarios } from '../../../src/dashboards/panel-scenarios';
import { dashboards } from '../../../src/dashboards/render';
import { ALERTING, SCENARIOS } from '../../../src/dashboards/scenarios';
import { SCENARIOS as SIMULATOR_SCENARIOS } from '../../../src/simulator/scenarios';

describe('panel → scenario table', () => {
  const panels = dashboardPanels();

  it('has one entry per panel of both dashboards, by a title unique across them', () => {
    const titles = panels.map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
    const generated = Object.values(dashboards()).flatMap((d) => (d.panels ?? []).filter((p) => p.type !== 'row').map((p) => p.title));
    expect(Object.keys(panelScenarios).sort()).toEqual([...generated].sort());
  });

  it('names the simulator scenarios', () => {
    expect([...SCENARIOS]).toEqual(SIMULATOR_SCENARIOS.map((s) => s.name));
    for (const p of panels) for (const s of p.scenarios) expect(SCENARIOS).toContain(s);
  });

  it('expects alerts in exactly the scenarios the simulator builds to fire one', () => {
    expect([...ALERTING].sort()).toEqual(SIMULATOR_SCENARIOS.filter((s) => s.alerts.length > 0).map((s) => s.name).sort());
    // and hyperscale, whose rare move failures fail a plan now and then: MeshKitRebalancePlanFailed, a ticket the
    // simulator's alert signals do not track.
    expect(panelScenarios['Rebalance alerts firing']).toEqual([...ALERTING, 'hyperscale']);
  });

  it('gives every scenario a panel, and every panel a scenario except the SDK-health ones', () => {
    const covered = new Set(panels.flatMap((p) => p.scenarios));
    expect([...SCENARIOS].filter((s) => !covered.has(s))).toEqual([]);
    expect(panels.filter((p) => p.scenarios.length === 0).map((p) => p.title).sort()).toEqual(['SDK rejections (cumulative)', 'Telemetry orphans']);
  });

  it('keeps the queries with the panel, for the on-data test to run', () => {
    const queue = panels.find((p) => p.id === ALERT_PANELS.MeshKitRebalancePlanStuck && p.dashboard === 'meshkit-rebalance-oncall')!;
    expect(queue.title).toBe('Plan queue');
    expect(queue.targets.length).toBe(4);
  });
});
