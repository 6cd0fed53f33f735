/**
 * Simulator scenarios the dashboards are designed for, as literal types. A test keeps the list equal
 * to the simulator's (src/simulator/scenarios), which has no literal type for the names.
 */
export const SCENARIOS = [
  'steady',
  'healthy-rebalance',
  'stuck-plan',
  'excessive-concurrency',
  'repeated-failures',
  'heartbeat-loss',
  'policy-violation',
  'approval-backlog',
  'node-drain',
  'flapping',
  'hyperscale',
  'mixed',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Every scenario: for panels that show something whenever a controller runs. */
export const ALL_SCENARIOS: readonly Scenario[] = SCENARIOS;

/** Scenarios in which plans execute and shards move. */
export const MOVING: readonly Scenario[] = [
  'healthy-rebalance',
  'stuck-plan',
  'excessive-concurrency',
  'repeated-failures',
  'node-drain',
  'flapping',
  'hyperscale',
  'mixed',
];

/** Scenarios in which plans reach a terminal state counted by the success rate (completed, failed, rolled back). */
export const PLANS_END: readonly Scenario[] = ['healthy-rebalance', 'stuck-plan', 'repeated-failures', 'node-drain', 'flapping', 'hyperscale', 'mixed'];

/** Scenarios in which plans complete. */
export const PLANS_COMPLETE: readonly Scenario[] = ['healthy-rebalance', 'node-drain', 'flapping', 'hyperscale', 'mixed'];

/** Scenarios with live plans (executing, waiting for approval or blocked). */
export const LIVE_PLANS: readonly Scenario[] = [...MOVING, 'approval-backlog', 'policy-violation'];

/** Scenarios built to fire a rebalance alert (the simulator's `alerts`; a test keeps them in step). */
export const ALERTING: readonly Scenario[] = [
  'stuck-plan',
  'excessive-concurrency',
  'repeated-failures',
  'heartbeat-loss',
  'policy-violation',
  'approval-backlog',
  'mixed',
];

/** Scenarios in which plans wait for an approval decision and get one. */
export const APPROVALS: readonly Scenario[] = ['healthy-rebalance', 'approval-backlog', 'node-drain', 'policy-violation', 'mixed'];

/** Scenarios in which plans wait for approval long enough to be seen waiting. */
export const APPROVAL_WAITS: readonly Scenario[] = ['approval-backlog', 'node-drain', 'mixed'];

/** No scenario: panels for problems the simulator does not stage (SDK integration bugs). */
export const NO_SCENARIO: readonly Scenario[] = [];
