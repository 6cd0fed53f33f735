import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type MetricData,
  type MetricProducer,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { METRICS, type MetricSpec } from '../schema/metrics';
import { CONTROLLER_STATES, LIVE_PLAN_STATES, NODE_STATUSES } from '../schema/enums';
import type { CounterVec } from './state/counter-vec';
import type { HistogramVec } from './state/histogram-vec';
import { renameLabels } from './label-names';
import type { RebalanceTelemetry } from './telemetry';
import { oldestStart } from './state/plan-table';
import { PLAN_STATE } from './recorder';
import type { LivePlan } from './state/plan-table';
import { drive, runToEnd, TimeSlice } from './export/time-slice';

const ACTIVE = NODE_STATUSES.indexOf('active');
/** Live plans turned into data points between two checks of the time slice. */
const PLANS_PER_STEP = 64;

export const SCOPE = { name: '@meshkit/rebalance-observability', version: '0.1.0' };

/**
 * A live plan's attribute sets, kept on the plan between collections (frozen, so exporters may
 * cache what they derive from them); the state set is rebuilt when the state changed.
 */
function planLabels(plan: LivePlan, ns: Attributes): NonNullable<LivePlan['exportLabels']> {
  let cached = plan.exportLabels;
  if (!cached) {
    const labels = Object.freeze({ ...ns, plan_id: plan.id });
    cached = plan.exportLabels = { labels, state: -1, withState: labels };
  }
  if (cached.state !== plan.state) {
    cached.state = plan.state;
    cached.withState = Object.freeze({ ...cached.labels, state: LIVE_PLAN_STATES[plan.state] });
  }
  return cached;
}

/**
 * The name given to the OpenTelemetry data model: Prometheus exporters append `_total` to
 * monotonic sums themselves, so counters are named without it.
 */
export function otelName(spec: MetricSpec): string {
  return spec.kind === 'counter' ? spec.name.replace(/_total$/, '') : spec.name;
}

/**
 * Turns the SDK's tables into OpenTelemetry metric data at collection time. Readers take it through
 * `metricProducers`, so nothing is hashed or aggregated on the hook path, and series of plans that
 * ended simply stop being produced.
 */
export class RebalanceMetricProducer implements MetricProducer {
  private readonly startTime: HrTime;

  constructor(
    private readonly telemetry: RebalanceTelemetry,
    private readonly resource: Resource,
    /** Schema label name → the name emitted (the `labelNames` option). */
    private readonly labelNames: ReadonlyMap<string, string> = new Map(),
  ) {
    this.startTime = millisToHrTime(telemetry.now());
  }

  /** For OpenTelemetry readers: builds in slices, giving the event loop back every few milliseconds. */
  async collect(): Promise<CollectionResult> {
    try {
      return { resourceMetrics: this.resourceMetrics(await this.collectMetricsSliced()), errors: [] };
    } catch (error) {
      return { resourceMetrics: this.resourceMetrics([]), errors: [error] };
    }
  }

  resourceMetrics(metrics: MetricData[]): ResourceMetrics {
    return { resource: this.resource, scopeMetrics: [{ scope: SCOPE, metrics }] };
  }

  /** Every schema metric's current data, in schema order, in one go. */
  collectMetrics(): MetricData[] {
    return runToEnd(this.build());
  }

  /** The same data, built in slices of at most a few milliseconds of work. */
  collectMetricsSliced(slice = new TimeSlice()): Promise<MetricData[]> {
    return drive(this.build(), slice);
  }

  /** Yields (no value) where collection may pause; hooks that run meanwhile change later metrics only. */
  private *build(): Generator<void, MetricData[]> {
    const t = this.telemetry;
    const endTime = millisToHrTime(t.now());
    t.sweepIfDue(t.now());
    const r = t.recorder;
    const ns = { namespace: t.instance.namespace, cluster: t.instance.cluster };
    const ctl = { ...ns, controller: t.instance.controller };
    const gauge = (spec: MetricSpec, points: [Attributes, number][]) => this.gauge(spec, points, endTime);

    const planPoints = yield* this.perPlanPoints(ns, endTime);
    const planGauge = (spec: MetricSpec, dataPoints: DataPoint<number>[]) => this.metric(spec, DataPointType.GAUGE, dataPoints);
    const out: MetricData[] = [
      gauge(METRICS.state, CONTROLLER_STATES.map((state, i) => [{ ...ns, state }, i === r.controllerState ? 1 : 0])),
      gauge(METRICS.heartbeat, r.heartbeatSeconds === undefined ? [] : [[ctl, r.heartbeatSeconds]]),
      gauge(METRICS.leader, [[ctl, r.leader]]),
      gauge(METRICS.maxConcurrentMoves, r.maxConcurrentMoves === undefined ? [] : [[ns, r.maxConcurrentMoves]]),
      gauge(METRICS.plans, LIVE_PLAN_STATES.map((state, i) => [{ ...ns, state }, t.table.countByState[i]])),
      planGauge(METRICS.planState, planPoints.state),
      planGauge(METRICS.planMovesRemaining, planPoints.remaining),
      planGauge(METRICS.planLastProgress, planPoints.progress),
      planGauge(METRICS.planForecastCompletion, planPoints.forecast),
      planGauge(METRICS.planDeadline, planPoints.deadline),
      this.counter(r.plansTotal, endTime),
      this.counter(r.plansCreated, endTime),
      this.counter(r.planFailures, endTime),
      this.histogram(r.planDuration, endTime),
      this.histogram(r.moveDuration, endTime),
      this.histogram(r.movePhaseDuration, endTime),
      gauge(METRICS.shardsInFlight, [[ns, t.table.liveMoves]]),
      gauge(METRICS.drainRemaining, [[ns, t.table.drainRemaining]]),
      this.counter(r.movesTotal, endTime),
      this.counter(r.movesStartedOverLimit, endTime),
      this.counter(r.shardFlaps, endTime),
      this.counter(r.moveFailures, endTime),
      this.counter(r.approvals, endTime),
      gauge(METRICS.approvalBacklog, [[ns, t.table.countByState[PLAN_STATE.pending_approval]]]),
      gauge(METRICS.approvalOldestPending, planPoints.oldestPending === undefined ? [] : [[ns, planPoints.oldestPending]]),
      this.histogram(r.approvalWait, endTime),
      this.counter(r.policyViolations, endTime),
      this.counter(r.candidatesSkipped, endTime),
      gauge(METRICS.shardsOwned, this.ownershipPoints(ns)),
      this.counter(r.orphans, endTime),
      this.counter(r.flapEvictions, endTime),
      this.counter(r.rejected, endTime),
    ];
    return renameLabels(out.filter((m) => m.dataPoints.length > 0), this.labelNames);
  }

  /** Per-plan data points, built directly (no intermediate pairs): at 20,000 plans this is most of a collection. */
  private *perPlanPoints(ns: Attributes, endTime: HrTime) {
    const startTime = this.startTime;
    const point = (attributes: Attributes, value: number): DataPoint<number> => ({ attributes, value, startTime, endTime });
    const state: DataPoint<number>[] = [];
    const remaining: DataPoint<number>[] = [];
    const progress: DataPoint<number>[] = [];
    const forecast: DataPoint<number>[] = [];
    const deadline: DataPoint<number>[] = [];
    const now = this.telemetry.now();
    let oldestPending: number | undefined;
    // A copy of the live set: a plan ended and re-created while collection pauses must not appear twice.
    const plans = [...this.telemetry.table.plans.values()];
    for (let i = 0; i < plans.length; i++) {
      if (i % PLANS_PER_STEP === PLANS_PER_STEP - 1) yield;
      const plan = plans[i];
      const { labels, withState } = planLabels(plan, ns);
      const left = Math.max(0, plan.movesPlanned - plan.movesEnded);
      state.push(point(withState, 1));
      remaining.push(point(labels, left));
      progress.push(point(labels, plan.lastProgressAt / 1000));
      if (plan.deadline !== undefined) deadline.push(point(labels, plan.deadline / 1000));
      const eta = plan.state === PLAN_STATE.executing ? plan.forecast.at(now, left, oldestStart(plan)) : undefined;
      if (eta !== undefined) forecast.push(point(labels, eta / 1000));
      if (plan.state === PLAN_STATE.pending_approval && plan.submittedAt !== undefined) {
        const submitted = plan.submittedAt / 1000;
        if (oldestPending === undefined || submitted < oldestPending) oldestPending = submitted;
      }
    }
    return { state, remaining, progress, forecast, deadline, oldestPending };
  }

  private ownershipPoints(ns: Attributes): [Attributes, number][] {
    const points: [Attributes, number][] = [];
    // Every node shows its active count (0 included); other statuses only while they hold shards.
    for (const [node, counts] of this.telemetry.recorder.shardsOwned) {
      NODE_STATUSES.forEach((status, i) => {
        if (i === ACTIVE || counts[i] > 0) points.push([{ ...ns, node, status }, counts[i]]);
      });
    }
    return points;
  }

  private descriptor(spec: MetricSpec) {
    return { name: otelName(spec), description: spec.help, unit: spec.unit, valueType: ValueType.DOUBLE };
  }

  private gauge(spec: MetricSpec, points: [Attributes, number][], endTime: HrTime): MetricData {
    return this.metric(
      spec,
      DataPointType.GAUGE,
      points.map(([attributes, value]) => ({ attributes, value, startTime: this.startTime, endTime })),
    );
  }

  private metric(spec: MetricSpec, dataPointType: DataPointType.GAUGE, dataPoints: DataPoint<number>[]): MetricData {
    return { descriptor: this.descriptor(spec), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType, dataPoints };
  }

  private counter(vec: CounterVec, endTime: HrTime): MetricData {
    const dataPoints: DataPoint<number>[] = [];
    for (let i = 0; i < vec.values.length; i++) {
      if (vec.live[i]) {
        dataPoints.push({ attributes: vec.series.attributes(i), value: vec.values[i], startTime: this.startTime, endTime });
      }
    }
    return {
      descriptor: this.descriptor(vec.series.spec),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints,
    };
  }

  private histogram(vec: HistogramVec, endTime: HrTime): MetricData {
    const dataPoints: DataPoint<Histogram>[] = [];
    vec.cells.forEach((cell, i) => {
      if (!cell) return;
      dataPoints.push({
        attributes: vec.series.attributes(i),
        startTime: this.startTime,
        endTime,
        value: {
          buckets: { boundaries: [...vec.boundaries], counts: [...cell.counts] },
          sum: cell.sum,
          count: cell.count,
          min: cell.min,
          max: cell.max,
        },
      });
    });
    return {
      descriptor: this.descriptor(vec.series.spec),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints,
    };
  }
}
