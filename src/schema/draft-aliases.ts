/**
 * Draft aliases: the series names of the discovery draft (DISC-006), kept apart from our own names.
 * The SDK never exports them; an opt-in recording group (alerting/draft-aliases/) serves each one
 * from the series named in `source`, so panels and alerts written against the draft keep working.
 */
import { METRICS, type MetricKey } from './metrics';

export interface DraftAlias {
  /** The name in the draft. */
  name: string;
  /** Our metric it is recorded from (same kind, labels and, for histograms, buckets). */
  source: MetricKey;
  /** Why we do not ship the draft's name. */
  why: string;
}

export const DRAFT_ALIASES: readonly DraftAlias[] = [
  {
    name: 'mesh_rebalance_state',
    source: 'state',
    why: 'Every series of the package starts with `meshkit_` (the product), so one selector finds them all and none collides with the mesh data plane.',
  },
  {
    name: 'mesh_rebalance_shards_moving',
    source: 'shardsInFlight',
    why: '"In flight" counts a move from start to its end, including handoff and verify, not only while data moves; the prefix as above.',
  },
  {
    name: 'mesh_rebalance_duration_seconds',
    source: 'planDuration',
    why: 'The prefix as above; the histogram is the same (plan execution time, same buckets and `outcome` label).',
  },
  {
    name: 'mesh_rebalance_plan_approvals_total',
    source: 'approvals',
    why: 'The prefix as above; same counter, same `decision` label.',
  },
];

/** The alias's source metric spec. */
export const draftSource = (alias: DraftAlias) => METRICS[alias.source];
