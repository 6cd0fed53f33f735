/** The executive view: is rebalancing healthy, everywhere, at a glance. */
import { parseDuration } from '../alerting/promql';
import { DEFAULT_ALERTING_CONFIG } from '../alerting/config';
import { L } from '../schema/labels';
import { buildDashboard, type DashboardDef } from './dashboard';
import { DASHBOARD_UIDS, EXEC_PANEL_IDS as ID } from './ids';
import { legend } from './promql';
import { stat, table, timeseries } from './panels';
import { Q } from './queries';
import { ALERTING, ALL_SCENARIOS, APPROVAL_WAITS, LIVE_PLANS, MOVING, PLANS_COMPLETE, PLANS_END } from './scenarios';
import { clusterVariable, datasourceVariable, namespaceVariable } from './variables';

const scope = legend(L.namespace, L.cluster);
const heartbeatLimit = parseDuration(DEFAULT_ALERTING_CONFIG.heartbeat.interval) * DEFAULT_ALERTING_CONFIG.heartbeat.missed;
const oldestWaitLimit = parseDuration(DEFAULT_ALERTING_CONFIG.approvalBacklog.oldestPendingOver);

export function execDefinition(): DashboardDef {
  return {
    uid: DASHBOARD_UIDS.exec,
    title: 'MeshKit Rebalance — Overview',
    description: 'Shard rebalancing across namespaces and clusters: plan outcomes, moves, approvals, alerts.',
    variables: [datasourceVariable(), namespaceVariable(), clusterVariable()],
    links: [{ uid: DASHBOARD_UIDS.oncall, title: 'On-call view' }],
    rows: [
      {
        id: ID.rowHealth,
        title: 'Health',
        panels: [
          stat(
            {
              id: ID.successRate,
              title: 'Plan success rate',
              description: 'Completed plans among the plans that completed, failed, rolled back or were orphaned in the time range. Cancelled and rejected plans are decisions and do not count.',
              unit: 'percentunit',
              targets: [{ expr: Q.successRate }],
              scenarios: PLANS_END,
              width: 4,
              height: 5,
            },
            { thresholds: [[null, 'red'], [0.9, 'orange'], [0.99, 'green']], noValue: 'no plan ended', decimals: 1 },
          ),
          stat(
            {
              id: ID.shardsMoved,
              title: 'Shards moved',
              description: 'Shard moves that completed in the time range.',
              unit: 'short',
              targets: [{ expr: Q.shardsMoved }],
              scenarios: MOVING,
              width: 4,
              height: 5,
            },
            { decimals: 0, noValue: '0' },
          ),
          stat(
            {
              id: ID.approvalBacklog,
              title: 'Approval backlog',
              description: 'Plans submitted and waiting for an approval decision, now (recorded series).',
              unit: 'short',
              targets: [{ expr: Q.approvalBacklog }],
              scenarios: APPROVAL_WAITS,
              width: 4,
              height: 5,
            },
            { sparkline: true, thresholds: [[null, 'green'], [1, 'orange']], decimals: 0, noValue: '0' },
          ),
          stat(
            {
              id: ID.approvalOldestWait,
              title: 'Oldest approval wait',
              description: `How long the oldest plan still waiting for approval has waited. The approval-backlog alert fires past ${DEFAULT_ALERTING_CONFIG.approvalBacklog.oldestPendingOver}.`,
              unit: 's',
              targets: [{ expr: Q.approvalOldestWait }],
              scenarios: APPROVAL_WAITS,
              width: 4,
              height: 5,
            },
            { sparkline: true, thresholds: [[null, 'green'], [oldestWaitLimit, 'red']], noValue: 'none waiting' },
          ),
          table(
            {
              id: ID.alertsFiring,
              title: 'Rebalance alerts firing',
              description: 'MeshKitRebalance* alerts firing now, per namespace/cluster. The on-call view has a panel per alert.',
              unit: 'short',
              targets: [{ expr: Q.alertsFiring }],
              // hyperscale too: its rare move failures fail a plan now and then (MeshKitRebalancePlanFailed, a ticket).
              scenarios: [...ALERTING, 'hyperscale'],
              width: 8,
              height: 5,
            },
            {
              columns: [
                { field: 'alertname', title: 'alert' },
                { field: 'severity', title: 'severity' },
                { field: L.namespace.name, title: 'namespace' },
                { field: L.cluster.name, title: 'cluster' },
              ],
            },
          ),
          table(
            {
              id: ID.clusters,
              title: 'Clusters at a glance',
              description: 'One row per namespace/cluster: controller state, live plans, shard moves in flight, failed moves and plans in the time range, and the age of the newest controller heartbeat.',
              unit: 'short',
              targets: [
                { expr: Q.clusterState },
                { expr: Q.clusterLivePlans },
                { expr: Q.clusterInFlight },
                { expr: Q.clusterMoveFailures },
                { expr: Q.clusterPlanFailures },
                { expr: Q.clusterHeartbeatAge },
              ],
              scenarios: ALL_SCENARIOS,
              width: 24,
              height: 8,
            },
            {
              columns: [
                { field: L.namespace.name, title: 'namespace' },
                { field: L.cluster.name, title: 'cluster' },
                { field: L.controllerState.name, title: 'state' },
                { field: 'Value #B', title: 'live plans' },
                { field: 'Value #C', title: 'in flight' },
                { field: 'Value #D', title: 'failed moves', thresholds: [[null, 'transparent'], [1, 'orange']] },
                { field: 'Value #E', title: 'failed plans', thresholds: [[null, 'transparent'], [1, 'red']] },
                { field: 'Value #F', title: 'heartbeat age', unit: 's', thresholds: [[null, 'transparent'], [heartbeatLimit, 'red']] },
              ],
              sortBy: { title: 'heartbeat age', desc: true },
            },
          ),
        ],
      },
      {
        id: ID.rowPlans,
        title: 'Plans and moves',
        panels: [
          timeseries(
            {
              id: ID.plansByState,
              title: 'Live plans by state',
              description: 'Plans not yet ended, by state (recorded series).',
              unit: 'short',
              targets: [{ expr: Q.plansByState, legend: `{{${L.planState.name}}}` }],
              scenarios: LIVE_PLANS,
            },
            { style: 'stacked', min: 0 },
          ),
          timeseries(
            {
              id: ID.plansByOutcome,
              title: 'Plans ended per hour, by outcome',
              description: 'Plans reaching a terminal state, per hour over the last hour (recorded rate).',
              unit: 'short',
              targets: [{ expr: Q.plansEndedPerHour, legend: `{{${L.planOutcome.name}}}` }],
              scenarios: PLANS_END,
            },
            { style: 'stacked', min: 0 },
          ),
          timeseries(
            {
              id: ID.successRateByCluster,
              title: 'Plan success ratio by cluster',
              description: 'Per namespace/cluster, completed plans among those that ended in success or failure over the last hour (recorded ratio); absent while none ended.',
              unit: 'percentunit',
              targets: [{ expr: Q.successRatioByCluster, legend: scope }],
              scenarios: PLANS_END,
            },
            { min: 0 },
          ),
          timeseries(
            {
              id: ID.movesByOutcome,
              title: 'Shard moves per minute, by outcome',
              description: 'Shard moves ending per minute, by outcome (recorded rate over 5 minutes).',
              unit: 'short',
              targets: [{ expr: Q.movesPerMinute, legend: `{{${L.moveOutcome.name}}}` }],
              scenarios: MOVING,
            },
            { style: 'stacked', min: 0 },
          ),
          timeseries(
            {
              id: ID.inFlight,
              title: 'Moves in flight vs limit, by cluster',
              description: 'Shard moves in flight and the policy limit on concurrent moves, per namespace/cluster (recorded series).',
              unit: 'short',
              targets: [
                { expr: Q.inFlightRecorded, legend: `${scope} in flight` },
                { expr: Q.inFlightLimitRecorded, legend: `${scope} limit` },
              ],
              scenarios: MOVING,
            },
            { min: 0, overrides: [{ match: '.* limit$', properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'custom.fillOpacity', value: 0 }] }] },
          ),
          timeseries(
            {
              id: ID.plansCreated,
              title: 'Plans created, by trigger',
              description: 'Executed plans created (dry-run previews excluded), by what triggered them.',
              unit: 'short',
              targets: [{ expr: Q.plansCreatedByTrigger, legend: `{{${L.trigger.name}}}` }],
              scenarios: LIVE_PLANS,
            },
            { style: 'bars', min: 0 },
          ),
          timeseries(
            {
              id: ID.planDuration,
              title: 'Plan duration (completed plans)',
              description: 'Median and 90th percentile execution time of completed plans, from start to completion.',
              unit: 's',
              targets: [
                { expr: Q.planDurationP50, legend: 'p50' },
                { expr: Q.planDurationP90, legend: 'p90' },
              ],
              scenarios: PLANS_COMPLETE,
              width: 24,
            },
            { min: 0 },
          ),
        ],
      },
    ],
  };
}

export const execDashboard = () => buildDashboard(execDefinition());
