/** The on-call view: what is moving, what is stuck, why, and the trace of a slow plan or move. */
import { DEFAULT_ALERTING_CONFIG } from '../alerting/config';
import { parseDuration } from '../alerting/promql';
import { MOVE_PHASES } from '../schema/enums';
import { L } from '../schema/labels';
import { buildDashboard, type DashboardDef } from './dashboard';
import { DASHBOARD_UIDS, ONCALL_PANEL_IDS as ID } from './ids';
import { heatmap, stateTimeline, table, timeseries, type ValueText } from './panels';
import { legend } from './promql';
import { Q } from './queries';
import { ALL_SCENARIOS, APPROVALS, APPROVAL_WAITS, DEADLINES, LIVE_PLANS, MOVING, NO_SCENARIO, SCENARIOS } from './scenarios';
import { planTraceLink, slowMoveLink, slowPhaseLink, traceCommand } from './traces';
import { clusterVariable, datasourceVariable, namespaceVariable, planIdVariable } from './variables';

const cfg = DEFAULT_ALERTING_CONFIG;
const scope = legend(L.namespace, L.cluster);
const heartbeatLimit = parseDuration(cfg.heartbeat.interval) * cfg.heartbeat.missed;
const stuckAfter = parseDuration(cfg.planStuck.noProgressFor);
const oldestWaitLimit = parseDuration(cfg.approvalBacklog.oldestPendingOver);
const drainBudget = cfg.movesAboveLoweredLimit.drainBudget;
const ROLE: readonly ValueText[] = [
  { value: 1, text: 'leader', color: 'green' },
  { value: 0, text: 'standby', color: 'text' },
];

export function oncallDefinition(): DashboardDef {
  return {
    uid: DASHBOARD_UIDS.oncall,
    title: 'MeshKit Rebalance — On-call',
    description: 'Live plans, shard moves, drains, approvals, failures and controller health of the MeshKit rebalancer; links from slow plans and moves to their traces.',
    variables: [datasourceVariable(), namespaceVariable(), clusterVariable(), planIdVariable()],
    links: [{ uid: DASHBOARD_UIDS.exec, title: 'Overview' }],
    rows: [
      {
        id: ID.rowNow,
        title: 'Now',
        panels: [
          table(
            {
              id: ID.planQueue,
              title: 'Plan queue',
              description:
                `Live plans: state, moves left, time since the plan last made progress (an executing plan with no progress for ${cfg.planStuck.noProgressFor} is stuck), ` +
                'and the forecast time to finish (from the pace of its recent move ends; blank until a first move ended, and while not executing; ' +
                `deadlines: panel ${ID.forecastMargin}). Click a plan id for its trace, or run \`${traceCommand('<planId>')}\`.`,
              unit: 'short',
              targets: [
                { expr: Q.queueState },
                { expr: Q.queueMovesRemaining },
                { expr: Q.queueSinceProgress },
                { expr: Q.queueForecastLeft },
              ],
              scenarios: LIVE_PLANS,
              width: 24,
              height: 10,
            },
            {
              columns: [
                { field: L.namespace.name, title: 'namespace' },
                { field: L.cluster.name, title: 'cluster' },
                { field: L.planId.name, title: 'plan', links: [planTraceLink()] },
                { field: L.planState.name, title: 'state' },
                { field: 'Value #B', title: 'moves left' },
                { field: 'Value #C', title: 'since progress', unit: 's', thresholds: [[null, 'transparent'], [stuckAfter, 'red']] },
                { field: 'Value #D', title: 'forecast to finish', unit: 's' },
              ],
              sortBy: { title: 'since progress', desc: true },
            },
          ),
          timeseries(
            {
              id: ID.inFlight,
              title: 'Shards in flight vs limit',
              description:
                'Shard moves started and not yet ended, against the policy limit on concurrent moves (dashed), per namespace/cluster, ' +
                'and the moves the controller started while already at or above the limit (bars): any of those pages.',
              unit: 'short',
              targets: [
                { expr: Q.inFlight, legend: `${scope} in flight` },
                { expr: Q.inFlightLimit, legend: `${scope} limit` },
                { expr: Q.startedOverLimit, legend: `${scope} started over the limit` },
              ],
              scenarios: MOVING,
            },
            {
              min: 0,
              overrides: [
                { match: '.* limit$', properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'custom.fillOpacity', value: 0 }] },
                { match: '.* started over the limit$', properties: [{ id: 'custom.drawStyle', value: 'bars' }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }] },
              ],
            },
          ),
          timeseries(
            {
              id: ID.forecastMargin,
              title: 'Plan deadline margin',
              description:
                'For each executing plan with a deadline: deadline minus forecast completion (negative: forecast to finish late). ' +
                `The forecast extrapolates the pace of the plan's recent move ends; a plan forecast late for ${cfg.planOverrun.for} opens a ticket.`,
              unit: 's',
              targets: [{ expr: Q.forecastMargin, legend: `${scope} {{${L.planId.name}}}` }],
              scenarios: DEADLINES,
            },
            { thresholds: [[null, 'red'], [0, 'transparent']] },
          ),
          timeseries(
            {
              id: ID.aboveLimit,
              title: 'Moves in flight above the limit',
              description:
                'Moves in flight beyond the policy limit, per namespace/cluster. After the limit is lowered the moves already in flight drain down to it; ' +
                `still above after the drain budget (${drainBudget}) with none started over the limit opens a ticket.`,
              unit: 'short',
              targets: [{ expr: Q.inFlightAboveLimit, legend: scope }],
              scenarios: ['excessive-concurrency', 'limit-lowered'],
            },
            { min: 0 },
          ),
          stateTimeline(
            {
              id: ID.controllerState,
              title: 'Controller loop state',
              description: 'The state of each controller loop over time (steady, investigating, draining, plan_pending, executing, completed, failed).',
              unit: 'none',
              targets: [{ expr: Q.controllerState, legend: `${scope} {{${L.controllerState.name}}}` }],
              scenarios: ALL_SCENARIOS,
            },
            { mappings: [{ value: 1, text: 'in state', color: 'blue' }] },
          ),
        ],
      },
      {
        id: ID.rowDrain,
        title: 'Drain timelines',
        panels: [
          heatmap(
            {
              id: ID.moveHeatmap,
              title: 'Move duration',
              description: 'Shard moves ending per duration bucket, from move start to completion or failure. Exemplars (dots) are moves in that bucket: click one to open its plan trace.',
              unit: 'short',
              targets: [{ expr: Q.moveHeatmap, legend: '{{le}}', exemplars: true }],
              scenarios: MOVING,
            },
            's',
          ),
          timeseries(
            {
              id: ID.moveQuantiles,
              title: 'Move duration quantiles',
              description: 'Median, 90th and 99th percentile shard move time. Click a point to search the traces of moves slower than it.',
              unit: 's',
              targets: [
                { expr: Q.moveP50, legend: 'p50' },
                { expr: Q.moveP90, legend: 'p90' },
                { expr: Q.moveP99, legend: 'p99' },
              ],
              scenarios: MOVING,
            },
            { min: 0, links: [slowMoveLink()] },
          ),
          timeseries(
            {
              id: ID.phaseQuantiles,
              title: 'Move phase duration',
              description: 'Median and 90th percentile time of the drain, handoff and verify phases. Click a point to search the traces of slower phases.',
              unit: 's',
              targets: [
                { expr: Q.phaseP50, legend: `p50 {{${L.phase.name}}}` },
                { expr: Q.phaseP90, legend: `p90 {{${L.phase.name}}}` },
              ],
              scenarios: MOVING,
            },
            { min: 0, overrides: MOVE_PHASES.map((phase) => ({ match: `.* ${phase}$`, properties: [{ id: 'links', value: [slowPhaseLink(phase)] }] })) },
          ),
          heatmap(
            {
              id: ID.drainHeatmap,
              title: 'Drain phase duration',
              description: 'Drain phases ending per duration bucket: how long old owners take to finish in-flight work. Exemplars (dots) are drains in that bucket: click one to open its plan trace.',
              unit: 'short',
              targets: [{ expr: Q.drainHeatmap, legend: '{{le}}', exemplars: true }],
              scenarios: MOVING,
            },
            's',
          ),
          timeseries(
            {
              id: ID.drainRemaining,
              title: 'Items left to drain',
              description: 'In-flight items still to drain, summed over the moves in their drain phase, per namespace/cluster.',
              unit: 'short',
              targets: [{ expr: Q.drainRemaining, legend: scope }],
              scenarios: MOVING,
              width: 24,
            },
            { min: 0 },
          ),
        ],
      },
      {
        id: ID.rowNodes,
        title: 'Nodes',
        panels: [
          timeseries(
            {
              id: ID.shardsPerNode,
              title: 'Shards owned per node',
              description: 'Shards per node from the last ownership snapshot; a draining node falls to zero.',
              unit: 'short',
              targets: [{ expr: Q.shardsPerNode, legend: `{{${L.node.name}}}` }],
              scenarios: ALL_SCENARIOS,
            },
            { min: 0 },
          ),
          timeseries(
            {
              id: ID.shardsByStatus,
              title: 'Shards by status',
              description: 'Shards by status (active, draining, paused, disabled) over every node.',
              unit: 'short',
              targets: [{ expr: Q.shardsByStatus, legend: `{{${L.nodeStatus.name}}}` }],
              scenarios: ALL_SCENARIOS,
            },
            { style: 'stacked', min: 0 },
          ),
          timeseries(
            {
              id: ID.shardFlaps,
              title: 'Shard flaps',
              description:
                'Completed moves that sent a shard back to the node it had left within the flap window (rollbacks excluded), per namespace/cluster. ' +
                `${cfg.shardFlapping.threshold} within ${cfg.shardFlapping.window} open a ticket. The moves' spans carry \`meshkit.move.flap\`.`,
              unit: 'short',
              targets: [{ expr: Q.shardFlaps, legend: scope }],
              // A few flaps, under the alert's threshold, where plans move shards off a node and back: policy-violation's evacuation, hyperscale's drift.
              scenarios: ['policy-violation', 'flapping', 'hyperscale'],
              width: 24,
            },
            { style: 'bars', min: 0 },
          ),
        ],
      },
      {
        id: ID.rowApprovals,
        title: 'Approvals',
        panels: [
          timeseries(
            {
              id: ID.approvalBacklog,
              title: 'Approval backlog and oldest wait',
              description: `Plans waiting for an approval decision (left axis) and how long the oldest has waited (right axis, dashed); the alert fires past ${cfg.approvalBacklog.oldestPendingOver}.`,
              unit: 'short',
              targets: [
                { expr: Q.approvalBacklogByCluster, legend: `${scope} waiting` },
                { expr: Q.approvalOldestWaitByCluster, legend: `${scope} oldest wait` },
              ],
              scenarios: APPROVAL_WAITS,
            },
            {
              min: 0,
              thresholds: [[null, 'transparent'], [oldestWaitLimit, 'red']],
              overrides: [
                {
                  match: '.* oldest wait$',
                  properties: [
                    { id: 'unit', value: 's' },
                    { id: 'custom.axisPlacement', value: 'right' },
                    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
                  ],
                },
              ],
            },
          ),
          timeseries(
            {
              id: ID.approvalWait,
              title: 'Approval wait by decision (p90)',
              description: '90th percentile time from submission to the approval decision, by decision.',
              unit: 's',
              targets: [{ expr: Q.approvalWaitP90, legend: `{{${L.decision.name}}}` }],
              scenarios: APPROVALS,
            },
            { min: 0 },
          ),
        ],
      },
      {
        id: ID.rowFailures,
        title: 'Failures and policy',
        panels: [
          timeseries(
            {
              id: ID.moveFailures,
              title: 'Move failures by reason',
              description: 'Failed shard moves, by reason.',
              unit: 'short',
              targets: [{ expr: Q.moveFailuresByReason, legend: `{{${L.moveFailureReason.name}}}` }],
              scenarios: ['repeated-failures', 'hyperscale', 'mixed'],
            },
            { style: 'bars', min: 0 },
          ),
          timeseries(
            {
              id: ID.planFailures,
              title: 'Plan failures by reason',
              description: 'Failed plans, by reason.',
              unit: 'short',
              targets: [{ expr: Q.planFailuresByReason, legend: `{{${L.planFailureReason.name}}}` }],
              scenarios: ['stuck-plan', 'repeated-failures', 'hyperscale', 'mixed'],
            },
            { style: 'bars', min: 0 },
          ),
          timeseries(
            {
              id: ID.policyViolations,
              title: 'Policy violations',
              description: 'Policy breaches, by policy and by the action taken (block, throttle, warn).',
              unit: 'short',
              targets: [{ expr: Q.policyViolations, legend: `{{${L.policy.name}}} ({{${L.action.name}}})` }],
              // Cooldown warnings and concurrency throttles come with most plans; hyperscale's policies never trip.
              scenarios: SCENARIOS.filter((s) => s !== 'steady' && s !== 'hyperscale'),
            },
            { style: 'bars', min: 0 },
          ),
          timeseries(
            {
              id: ID.skippedCandidates,
              title: 'Skipped candidates',
              description: 'Candidate moves the planner skipped, by reason.',
              unit: 'short',
              targets: [{ expr: Q.skippedCandidates, legend: `{{${L.skipReason.name}}}` }],
              // Not where the planner finds nothing to skip: flapping's two nodes, heartbeat-loss, policy-violation's evacuation,
              // limit-lowered's one plan.
              scenarios: SCENARIOS.filter((s) => !['steady', 'flapping', 'heartbeat-loss', 'policy-violation', 'limit-lowered'].includes(s)),
            },
            { style: 'bars', min: 0 },
          ),
        ],
      },
      {
        id: ID.rowController,
        title: 'Controllers',
        panels: [
          timeseries(
            {
              id: ID.heartbeatAge,
              title: 'Heartbeat age',
              description: `Seconds since each controller's last heartbeat, when Prometheus collected it. Past ${heartbeatLimit} s (${cfg.heartbeat.missed} missed heartbeats) the controller counts as gone.`,
              unit: 's',
              targets: [{ expr: Q.heartbeatAge, legend: `${scope} {{${L.controller.name}}}` }],
              scenarios: ALL_SCENARIOS,
            },
            { min: 0, thresholds: [[null, 'transparent'], [heartbeatLimit, 'red']] },
          ),
          table(
            {
              id: ID.controllers,
              title: 'Controllers',
              description: 'Each controller: leader or standby, and the age of its last heartbeat.',
              unit: 'short',
              targets: [{ expr: Q.leader }, { expr: Q.heartbeatAge }],
              scenarios: ALL_SCENARIOS,
            },
            {
              columns: [
                { field: L.namespace.name, title: 'namespace' },
                { field: L.cluster.name, title: 'cluster' },
                { field: L.controller.name, title: 'controller' },
                { field: 'Value #A', title: 'role', mappings: ROLE },
                { field: 'Value #B', title: 'heartbeat age', unit: 's', thresholds: [[null, 'transparent'], [heartbeatLimit, 'red']] },
              ],
              sortBy: { title: 'heartbeat age', desc: true },
            },
          ),
          stateTimeline(
            {
              id: ID.leader,
              title: 'Leader',
              description: 'Which controller holds the leadership lease, over time. No leader, or two, needs attention.',
              unit: 'none',
              targets: [{ expr: Q.leader, legend: `${scope} {{${L.controller.name}}}` }],
              scenarios: ALL_SCENARIOS,
            },
            { mappings: ROLE },
          ),
          timeseries(
            {
              id: ID.loopChanges,
              title: 'Leadership and loop-state changes',
              description: 'Changes of the leader gauge and of the controller loop state, per namespace/cluster: a steady climb is flapping.',
              unit: 'short',
              targets: [
                { expr: Q.leaderChanges, legend: `${scope} leader changes` },
                { expr: Q.stateChanges, legend: `${scope} state changes` },
              ],
              // Steady's planner passes change the loop state too; hyperscale's controllers never leave `executing`.
              scenarios: SCENARIOS.filter((s) => s !== 'hyperscale'),
            },
            { style: 'bars', min: 0 },
          ),
        ],
      },
      {
        id: ID.rowSdk,
        title: 'Telemetry SDK',
        panels: [
          timeseries(
            {
              id: ID.sdkRejections,
              title: 'SDK rejections (cumulative)',
              description: 'Hook calls the telemetry SDK rejected since each controller started, by hook and reason. Filtered by the namespace and cluster variables like every other panel; a rise means an integration bug.',
              unit: 'short',
              targets: [{ expr: Q.sdkRejections, legend: `{{${L.hook.name}}}: {{${L.rejectionReason.name}}}` }],
              scenarios: NO_SCENARIO,
            },
            { min: 0 },
          ),
          timeseries(
            {
              id: ID.sdkOrphans,
              title: 'Telemetry orphans',
              description: 'Plans and moves the SDK dropped from its tables after no hook touched them for the orphan timeout.',
              unit: 'short',
              targets: [{ expr: Q.sdkOrphans, legend: `{{${L.orphanKind.name}}}` }],
              scenarios: NO_SCENARIO,
            },
            { style: 'bars', min: 0 },
          ),
        ],
      },
    ],
  };
}

export const oncallDashboard = () => buildDashboard(oncallDefinition());
