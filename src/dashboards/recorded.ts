/**
 * Recorded series the executive view reads, by their names in src/alerting. The labels listed here
 * only drive the scope filter; the lint checks every query against the labels the recording rules'
 * expressions actually produce.
 */
import { RECORDED } from '../alerting/recording-rules';
import { L, type LabelSpec } from '../schema/labels';
import type { MetricSpec } from '../schema/metrics';

const SCOPE = [L.namespace, L.cluster];

const recorded = (name: string, labels: readonly LabelSpec[] = []): MetricSpec => ({
  name,
  kind: 'gauge',
  unit: '',
  help: 'recorded series',
  labels: [...SCOPE, ...labels],
});

export const R = {
  plansByState: recorded(RECORDED.plansByState, [L.planState]),
  planOutcomesRate: recorded(RECORDED.planOutcomesRate, [L.planOutcome]),
  planSuccessRatio: recorded(RECORDED.planSuccessRatio),
  movesByOutcomeRate: recorded(RECORDED.movesByOutcomeRate, [L.moveOutcome]),
  shardsInFlight: recorded(RECORDED.shardsInFlight),
  maxConcurrentMoves: recorded(RECORDED.maxConcurrentMoves),
  approvalBacklog: recorded(RECORDED.approvalBacklog),
  approvalOldestPendingAge: recorded(RECORDED.approvalOldestPendingAge),
} as const;
