import type { enums } from '../index';
import type { Domain } from './model';

type Policy = enums.Policy;
type PolicyAction = enums.PolicyAction;

/**
 * The rebalance policies of one namespace/cluster, as the controller enforces them. Each breach
 * blocks, throttles or warns; the planner applies the ones that shape candidates (cooldown,
 * healthy replica, ownership delta, freeze) before a plan exists.
 */
export interface PolicySet {
  /** Shard moves in flight at once over all plans; more are held back (throttle). */
  maxConcurrentMoves: number;
  /** A shard moved less than this long ago is a cooldown breach. */
  cooldownMs: number;
  /** block: the planner skips such candidates; warn: they are planned and the plan is warned. */
  cooldownAction: 'block' | 'warn';
  /** Candidates whose replica set has an unhealthy replica are skipped. */
  healthyReplicaRequired: boolean;
  /** Share of the namespace's shards one plan may move, unless forced. */
  maxOwnershipDeltaPct: number;
  /** Which plans need a human approval. */
  approval: 'always' | 'never' | { aboveDeltaPct: number };
  /** No new plans and executing plans paused while an incident is open. */
  incidentFreeze: boolean;
  /** Manual plans without a change ticket: not checked, warned or blocked. */
  changeTicketRequired: 'off' | 'warn' | 'block';
}

export const DEFAULT_POLICIES: PolicySet = {
  maxConcurrentMoves: 8,
  cooldownMs: 30 * 60_000,
  cooldownAction: 'block',
  healthyReplicaRequired: true,
  maxOwnershipDeltaPct: 10,
  approval: { aboveDeltaPct: 5 },
  incidentFreeze: true,
  changeTicketRequired: 'warn',
};

export interface PlanDraft {
  trigger: enums.PlanTrigger;
  moves: number;
  /** Planned moves of shards moved within the cooldown. */
  recentShards: number;
  /** An operator forced the plan past the planner's own limits. */
  forced: boolean;
  changeTicket: boolean;
}

export interface Violation {
  policy: Policy;
  action: PolicyAction;
}

export function ownershipDeltaPct(domain: Domain, moves: number): number {
  const placeable = domain.placeableShards();
  return placeable === 0 ? 0 : (100 * moves) / placeable;
}

/** The most moves one unforced plan may hold under the ownership delta policy. */
export function deltaCapMoves(policies: PolicySet, domain: Domain): number {
  return Math.max(1, Math.floor((policies.maxOwnershipDeltaPct / 100) * domain.placeableShards()));
}

/** Breaches of a new plan, in the order the controller reports them. */
export function planViolations(policies: PolicySet, domain: Domain, draft: PlanDraft): Violation[] {
  const out: Violation[] = [];
  if (ownershipDeltaPct(domain, draft.moves) > policies.maxOwnershipDeltaPct) {
    out.push({ policy: 'max_ownership_delta', action: 'block' });
  }
  if (draft.trigger === 'manual' && !draft.changeTicket && policies.changeTicketRequired !== 'off') {
    out.push({ policy: 'change_ticket_required', action: policies.changeTicketRequired });
  }
  if (draft.recentShards > 0 && policies.cooldownAction === 'warn') {
    out.push({ policy: 'cooldown', action: 'warn' });
  }
  if (domain.incident && policies.incidentFreeze) {
    out.push({ policy: 'incident_freeze', action: 'block' });
  }
  return out;
}

export function needsApproval(policies: PolicySet, domain: Domain, moves: number): boolean {
  const rule = policies.approval;
  if (rule === 'always' || rule === 'never') return rule === 'always';
  return ownershipDeltaPct(domain, moves) > rule.aboveDeltaPct;
}
