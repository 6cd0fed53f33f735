/** Dashboards as code: definitions, generation, validation helpers and the panel → scenario table. */
export { DASHBOARD_UIDS, DATASOURCES, EXEC_PANEL_IDS, ONCALL_PANEL_IDS, viewPanelPath } from './ids';
export { SCENARIOS, type Scenario } from './scenarios';
export { dashboardPanels, dashboardDefinitions, panelScenarios, type DashboardPanel } from './panel-scenarios';
export { dashboards, renderDashboardFiles, DASHBOARD_FILES } from './render';
export { lintDashboard, LINT_RULES, type LintDashboard, type LintProblem, type LintRuleName } from './lint';
export { checkPromql, checkVariableQuery, seriesCatalog, substituteGrafanaVariables, type Catalog } from './promql-check';
export { Q, type QueryKey } from './queries';
export { traceCommand, planTraceLink, jaegerSearch, type JaegerSearch } from './traces';
export { PROVISIONING_ENV } from './provisioning';
