import type { World } from '../world';

/** The alert signals a scenario is built to produce (the rules live in src/alerting). */
export const ALERT_SIGNALS = [
  'MeshKitRebalancePlanStuck',
  'MeshKitRebalanceApprovalBacklog',
  'MeshKitRebalanceExcessiveConcurrentMoves',
  'MeshKitRebalanceRepeatedFailures',
  'MeshKitRebalanceControllerHeartbeatMissing',
  'MeshKitRebalancePolicyViolation',
  'MeshKitRebalancePlanOverrun',
  'MeshKitRebalanceShardFlapping',
  'MeshKitRebalanceMovesAboveLoweredLimit',
] as const;
export type AlertSignal = (typeof ALERT_SIGNALS)[number];

export interface Scenario {
  readonly name: string;
  /** One line for `simulate --list`. */
  readonly description: string;
  /** Signals its history must show; every other signal must stay quiet. */
  readonly alerts: readonly AlertSignal[];
  /** Virtual hours the scenario's story takes (the default length of a history). */
  readonly hours: number;
  /** Adds domains and controllers to the world and schedules the scripted events. */
  build(world: World): void;
}
