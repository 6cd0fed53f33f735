import * as E from './enums';

/**
 * Where a label's values come from:
 * - `instance`: fixed for one telemetry instance (namespace, cluster, controller), length-capped;
 * - `enum`: one of a bounded list;
 * - `id`: a caller-supplied identifier, length-capped, whose count is bounded by a limit.
 */
export type LabelDomain =
  | { kind: 'instance' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'id'; boundedBy: 'maxLivePlans' | 'maxNodes' };

export interface LabelSpec {
  name: string;
  description: string;
  domain: LabelDomain;
}

/** Identifiers (namespace, cluster, controller, plan id, node) are capped at this many characters. */
export const MAX_ID_LENGTH = 128;
/** Letters, digits and `._:/@-` (e-mail actors included); no spaces or quotes, so ids survive every exposition format. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;

const enumLabel = (name: string, values: readonly string[], description: string): LabelSpec => ({
  name,
  description,
  domain: { kind: 'enum', values },
});

export const L = {
  namespace: { name: 'namespace', description: 'MeshKit namespace the controller manages', domain: { kind: 'instance' } },
  cluster: { name: 'cluster', description: 'cluster the controller runs in', domain: { kind: 'instance' } },
  controller: { name: 'controller', description: 'controller instance id', domain: { kind: 'instance' } },
  planId: { name: 'plan_id', description: 'id of a live plan', domain: { kind: 'id', boundedBy: 'maxLivePlans' } },
  node: { name: 'node', description: 'node that owns shards', domain: { kind: 'id', boundedBy: 'maxNodes' } },
  controllerState: enumLabel('state', E.CONTROLLER_STATES, 'controller loop state'),
  planState: enumLabel('state', E.LIVE_PLAN_STATES, 'state of a live plan'),
  planOutcome: enumLabel('outcome', E.PLAN_OUTCOMES, 'how a plan ended'),
  trigger: enumLabel('trigger', E.PLAN_TRIGGERS, 'what caused the plan'),
  mode: enumLabel('mode', E.PLAN_MODES, 'executed plan or dry-run preview'),
  planFailureReason: enumLabel('reason', E.PLAN_FAILURE_REASONS, 'why a plan failed'),
  moveOutcome: enumLabel('outcome', E.MOVE_OUTCOMES, 'how a shard move ended'),
  phase: enumLabel('phase', E.MOVE_PHASES, 'phase of a shard move'),
  moveFailureReason: enumLabel('reason', E.MOVE_FAILURE_REASONS, 'why a shard move failed'),
  decision: enumLabel('decision', E.APPROVAL_DECISIONS, 'approval decision'),
  policy: enumLabel('policy', E.POLICIES, 'rebalance policy'),
  action: enumLabel('action', E.POLICY_ACTIONS, 'what the policy did'),
  skipReason: enumLabel('reason', E.SKIP_REASONS, 'why a candidate move was skipped'),
  nodeStatus: enumLabel('status', E.NODE_STATUSES, 'shard status on the node'),
  orphanKind: enumLabel('kind', E.ORPHAN_KINDS, 'what timed out'),
  hook: enumLabel('hook', E.HOOKS, 'SDK hook that was called'),
  rejectionReason: enumLabel('reason', E.REJECTION_REASONS, 'why the SDK rejected the call'),
} satisfies Record<string, LabelSpec>;
