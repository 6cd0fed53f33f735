/**
 * The scenario table the on-data test reads: for each panel, the simulator scenarios in which it
 * shows its signal (a non-empty, non-zero result somewhere in the history). Built from the same
 * definitions as the dashboards. A design-time claim from the scenarios' descriptions: the on-data
 * phase verifies it against the simulator's histories.
 */
import type { DashboardDef } from './dashboard';
import { panelDefs } from './dashboard';
import { execDefinition } from './exec';
import { oncallDefinition } from './oncall';
import type { PanelSpec } from './panels';
import type { Scenario } from './scenarios';

export interface DashboardPanel extends PanelSpec {
  dashboard: string;
}

export function dashboardDefinitions(): DashboardDef[] {
  return [execDefinition(), oncallDefinition()];
}

/** Every panel of both dashboards (rows excluded), with its dashboard uid. */
export function dashboardPanels(): DashboardPanel[] {
  return dashboardDefinitions().flatMap((d) => panelDefs(d).map((p) => ({ dashboard: d.uid, ...p.spec })));
}

/** Panel title → scenarios in which it shows its signal. Titles are unique across both dashboards. */
export const panelScenarios: Readonly<Record<string, readonly Scenario[]>> = Object.fromEntries(
  dashboardPanels().map((p) => [p.title, p.scenarios]),
);
