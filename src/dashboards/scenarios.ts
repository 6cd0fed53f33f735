/**
 * Simulator scenarios the dashboards are designed for, as literal types. A test keeps the list equal
 * to the simulator's (src/simulator/scenarios), which has no literal type for the names.
 */
export const SCENARIOS = [
  'steady',
  'healthy-rebalance',
  'stuck-plan',
  'excessive-concurrency',
  'limit-lowered',
  'slow-drain',
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

/** Every scenario but those named. */
const except = (...names: Scenario[]): readonly Scenario[] => SCENARIOS.filter((s) => !names.includes(s));

/*
 * The groups below are what the simulator's histories show (test/dashboards-data/on-data.test.ts runs
 * every panel on every scenario and fails when a panel's table is off). Only `steady` runs no plan:
 * in every other scenario, the failure it stages included, other plans are created, approved (or
 * auto-approved), execute, move shards and (but for limit-lowered's) end within the history.
 */

/** Scenarios in which plans execute and shards move. */
export const MOVING: readonly Scenario[] = except('steady');

/**
 * Scenarios in which plans reach a terminal state counted by the success rate (completed, failed,
 * rolled back). limit-lowered's one plan drains for longer than its history.
 */
export const PLANS_END: readonly Scenario[] = except('steady', 'limit-lowered');

/** Scenarios in which plans complete. */
export const PLANS_COMPLETE: readonly Scenario[] = except('steady', 'limit-lowered');

/** Scenarios with live plans (executing, waiting for approval or blocked). */
export const LIVE_PLANS: readonly Scenario[] = except('steady');

/** Scenarios built to fire a rebalance alert (the simulator's `alerts`; a test keeps them in step). */
export const ALERTING: readonly Scenario[] = [
  'stuck-plan',
  'excessive-concurrency',
  'limit-lowered',
  'slow-drain',
  'repeated-failures',
  'heartbeat-loss',
  'policy-violation',
  'approval-backlog',
  'flapping',
  'mixed',
];

/** Scenarios whose plans carry a deadline, so their forecast has something to be measured against. */
export const DEADLINES: readonly Scenario[] = ['healthy-rebalance', 'slow-drain', 'node-drain', 'hyperscale'];

/** Scenarios in which plans get an approval decision (an automatic one included). */
export const APPROVALS: readonly Scenario[] = except('steady');

/** Scenarios in which plans wait for a person's approval long enough to be seen waiting. */
export const APPROVAL_WAITS: readonly Scenario[] = ['healthy-rebalance', 'approval-backlog', 'node-drain', 'mixed'];

/** No scenario: panels for problems the simulator does not stage (SDK integration bugs). */
export const NO_SCENARIO: readonly Scenario[] = [];
