import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

/**
 * Stands in for the moves and phases of a plan whose span is not recorded (no tracer configured, or
 * sampled out): with parent-based sampling their spans would be dropped anyway, and building them
 * costs the hot path more than the metrics do.
 */
const UNRECORDED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
import { ATTR, SPANS, SPAN_EVENTS } from '../schema/spans';
import type { InstanceLabels } from './state/enum-series';

type SpanEventKey = keyof typeof SPAN_EVENTS;

/** Spans of one trace per plan: the plan span, a child per move, a grandchild per move phase. */
export class PlanTracing {
  private readonly common: Attributes;

  constructor(
    private readonly tracer: Tracer,
    instance: InstanceLabels,
  ) {
    this.common = Object.freeze({
      [ATTR.namespace]: instance.namespace,
      [ATTR.cluster]: instance.cluster,
      [ATTR.controller]: instance.controller,
    });
  }

  startPlan(planId: string, trigger: string, movesPlanned: number, dryRun: boolean, at: number, deadline?: number): Span {
    const attributes = {
      ...this.common,
      [ATTR.planId]: planId,
      [ATTR.trigger]: trigger,
      [ATTR.movesPlanned]: movesPlanned,
      [ATTR.dryRun]: dryRun,
      ...(deadline === undefined ? {} : { [ATTR.deadline]: new Date(deadline).toISOString() }),
    };
    const plan = this.tracer.startSpan(SPANS.plan, { root: true, startTime: at, attributes }, ROOT_CONTEXT);
    if (plan.isRecording() && !dryRun) {
      this.tracer.startSpan(SPANS.planCreated, { startTime: at, attributes }, trace.setSpan(ROOT_CONTEXT, plan)).end(at);
    }
    return plan;
  }

  /** The move span and its zero-length start marker, which is exported at once. */
  startMove(plan: Span, planId: string, shardId: string, fromNode: string, toNode: string, at: number): Span {
    if (!plan.isRecording()) return UNRECORDED;
    const attributes = {
      ...this.common,
      [ATTR.planId]: planId,
      [ATTR.shardId]: shardId,
      [ATTR.fromNode]: fromNode,
      [ATTR.toNode]: toNode,
    };
    const move = this.tracer.startSpan(SPANS.move, { startTime: at, attributes }, trace.setSpan(ROOT_CONTEXT, plan));
    if (move.isRecording()) this.tracer.startSpan(SPANS.moveStarted, { startTime: at, attributes }, trace.setSpan(ROOT_CONTEXT, move)).end(at);
    return move;
  }

  /** A zero-length child of the move with the drain's last report; the caller rate-limits it. */
  progressMarker(move: Span, planId: string, shardId: string, remaining: number, ratio: number, at: number): void {
    if (!move.isRecording()) return;
    this.tracer
      .startSpan(
        SPANS.moveProgress,
        { startTime: at, attributes: { [ATTR.planId]: planId, [ATTR.shardId]: shardId, [ATTR.drainRemaining]: remaining, [ATTR.drainRatio]: ratio } },
        trace.setSpan(ROOT_CONTEXT, move),
      )
      .end(at);
  }

  startPhase(move: Span, planId: string, shardId: string, phase: 'drain' | 'handoff' | 'verify', at: number): Span {
    if (!move.isRecording()) return UNRECORDED;
    return this.tracer.startSpan(
      SPANS[phase],
      { startTime: at, attributes: { [ATTR.planId]: planId, [ATTR.shardId]: shardId, [ATTR.phase]: phase } },
      trace.setSpan(ROOT_CONTEXT, move),
    );
  }

  event(span: Span, key: SpanEventKey, attributes: Attributes | undefined, at: number): void {
    span.addEvent(SPAN_EVENTS[key].name, attributes, at);
  }

  /** Marks a move that returned its shard to the node it left, with the time of the move it undid. */
  markFlap(move: Span, previousAt: number): void {
    move.setAttribute(ATTR.flap, true);
    move.setAttribute(ATTR.flapPreviousAt, new Date(previousAt).toISOString());
  }

  /** Forecast − actual completion, in seconds: the final forecast's, and each checkpoint's the plan passed with a forecast. */
  forecastErrors(plan: Span, checkpoints: readonly number[], forecasts: readonly (number | undefined)[], final: number | undefined, endedAt: number): void {
    if (final !== undefined) plan.setAttribute(ATTR.forecastErrorFinal, Math.round((final - endedAt) / 1000));
    const keys = [ATTR.forecastError25, ATTR.forecastError50, ATTR.forecastError75];
    checkpoints.forEach((_, i) => {
      const forecast = forecasts[i];
      if (forecast !== undefined && keys[i] !== undefined) plan.setAttribute(keys[i], Math.round((forecast - endedAt) / 1000));
    });
  }

  /** Ends a span with the outcome attribute; a failure reason marks it as an error. */
  end(span: Span, outcomeAttr: string, outcome: string, reason: string | undefined, at: number): void {
    span.setAttribute(outcomeAttr, outcome);
    if (reason !== undefined) {
      span.setAttribute(ATTR.failureReason, reason);
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    }
    span.end(at);
  }

  endPhase(span: Span, failureReason: string | undefined, at: number): void {
    if (failureReason !== undefined) {
      span.setAttribute(ATTR.failureReason, failureReason);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failureReason });
    }
    span.end(at);
  }
}
