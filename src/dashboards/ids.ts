/**
 * Stable identifiers of the dashboards: uids, data source uids and panel ids. Alerts link to
 * `/d/<uid>?viewPanel=<id>`, so a panel keeps its id for life; a new panel takes a new id.
 * The on-call uid and the ids of the panels alerts open come from the alerting config.
 */
import { ALERT_PANELS, ONCALL_DASHBOARD_UID } from '../alerting/config';

export const DASHBOARD_UIDS = {
  exec: 'meshkit-rebalance-exec',
  oncall: ONCALL_DASHBOARD_UID,
} as const;

/** Data sources as provisioned by `dashboards/provisioning/datasources/`; the uids are fixed. */
export const DATASOURCES = {
  prometheus: { uid: 'meshkit-prometheus', type: 'prometheus', name: 'MeshKit Prometheus' },
  jaeger: { uid: 'meshkit-jaeger', type: 'jaeger', name: 'MeshKit Jaeger' },
} as const;

/** Executive view. Rows take multiples of 100, their panels the numbers after. */
export const EXEC_PANEL_IDS = {
  rowHealth: 100,
  successRate: 101,
  shardsMoved: 102,
  approvalBacklog: 103,
  approvalOldestWait: 104,
  alertsFiring: 105,
  clusters: 106,
  rowPlans: 200,
  plansByState: 201,
  plansByOutcome: 202,
  successRateByCluster: 203,
  movesByOutcome: 204,
  inFlight: 205,
  plansCreated: 206,
  planDuration: 207,
} as const;

/**
 * On-call view. The panels an alert opens take the alert's id from `ALERT_PANELS`; rows take
 * multiples of 100 and the other panels the numbers after their row's.
 */
export const ONCALL_PANEL_IDS = {
  rowNow: 100,
  planQueue: ALERT_PANELS.MeshKitRebalancePlanStuck,
  inFlight: ALERT_PANELS.MeshKitRebalanceExcessiveConcurrentMoves,
  forecastMargin: ALERT_PANELS.MeshKitRebalancePlanOverrun,
  aboveLimit: ALERT_PANELS.MeshKitRebalanceMovesAboveLoweredLimit,
  controllerState: 101,
  rowDrain: 200,
  moveHeatmap: 201,
  moveQuantiles: 202,
  phaseQuantiles: 203,
  drainHeatmap: 204,
  drainRemaining: 205,
  rowNodes: 300,
  shardsPerNode: 301,
  shardsByStatus: 302,
  shardFlaps: ALERT_PANELS.MeshKitRebalanceShardFlapping,
  rowApprovals: 400,
  approvalBacklog: ALERT_PANELS.MeshKitRebalanceApprovalBacklog,
  approvalWait: 401,
  rowFailures: 500,
  moveFailures: ALERT_PANELS.MeshKitRebalanceRepeatedFailures,
  planFailures: ALERT_PANELS.MeshKitRebalancePlanFailed,
  policyViolations: ALERT_PANELS.MeshKitRebalancePolicyViolation,
  skippedCandidates: 501,
  rowController: 600,
  heartbeatAge: ALERT_PANELS.MeshKitRebalanceControllerHeartbeatMissing,
  controllers: ALERT_PANELS.MeshKitRebalanceStandbyHeartbeatMissing,
  leader: ALERT_PANELS.MeshKitRebalanceNoLeader,
  loopChanges: 601,
  rowSdk: 700,
  sdkRejections: ALERT_PANELS.MeshKitRebalanceTelemetryRejected,
  sdkOrphans: 701,
} as const;

/** The link an alert carries to one panel of a dashboard. */
export function viewPanelPath(uid: string, panelId: number): string {
  return `/d/${uid}?viewPanel=${panelId}`;
}
