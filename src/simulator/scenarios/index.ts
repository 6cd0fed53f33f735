import { approvalBacklog } from './approval-backlog';
import { excessiveConcurrency } from './excessive-concurrency';
import { flapping } from './flapping';
import { healthyRebalance } from './healthy-rebalance';
import { heartbeatLoss } from './heartbeat-loss';
import { hyperscale } from './hyperscale';
import { limitLowered } from './limit-lowered';
import { mixed } from './mixed';
import { nodeDrain } from './node-drain';
import { policyViolation } from './policy-violation';
import { repeatedFailures } from './repeated-failures';
import { slowDrain } from './slow-drain';
import { steady } from './steady';
import { stuckPlan } from './stuck-plan';
import type { Scenario } from './types';

export { ALERT_SIGNALS, type AlertSignal, type Scenario } from './types';

/** Every scenario, in the order `simulate --list` shows them. */
export const SCENARIOS: readonly Scenario[] = [
  steady,
  healthyRebalance,
  stuckPlan,
  excessiveConcurrency,
  limitLowered,
  slowDrain,
  repeatedFailures,
  heartbeatLoss,
  policyViolation,
  approvalBacklog,
  nodeDrain,
  flapping,
  hyperscale,
  mixed,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
