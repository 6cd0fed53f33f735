import { HOOKS, type HookName } from '../schema/enums';
import type { HookArgs } from './types';

type FieldsOf<K extends HookName> = readonly (keyof NonNullable<HookArgs[K]> & string)[];

/** The argument fields each hook reads (once, into a snapshot) — and the only ones it reads. */
export const HOOK_FIELDS: { readonly [K in HookName]: FieldsOf<K> } = {
  controllerHeartbeat: [],
  controllerStateChanged: ['state'],
  leadershipChanged: ['isLeader'],
  policyLimitsChanged: ['maxConcurrentMoves'],
  planCreated: ['planId', 'trigger', 'movesPlanned', 'dryRun', 'deadline'],
  planSubmitted: ['planId'],
  planApproved: ['planId', 'actor', 'decision'],
  planRejected: ['planId', 'actor'],
  planBlocked: ['planId', 'policy'],
  planOverrideAcknowledged: ['planId', 'actor'],
  planStarted: ['planId'],
  planPaused: ['planId'],
  planResumed: ['planId'],
  planCompleted: ['planId'],
  planFailed: ['planId', 'reason'],
  planCancelled: ['planId'],
  planRolledBack: ['planId'],
  moveStarted: ['planId', 'shardId', 'fromNode', 'toNode'],
  moveDrainProgress: ['planId', 'shardId', 'remaining', 'ratio'],
  moveHandoff: ['planId', 'shardId'],
  moveVerifying: ['planId', 'shardId'],
  moveCompleted: ['planId', 'shardId'],
  moveFailed: ['planId', 'shardId', 'reason'],
  policyViolation: ['policy', 'action', 'planId'],
  shardOwnership: ['nodes'],
  candidateSkipped: ['reason'],
};

/** The same lists by hook position, for the facade. */
export const FIELDS_BY_HOOK: readonly (readonly string[])[] = HOOKS.map((hook) => HOOK_FIELDS[hook]);

/** Fields of one `shardOwnership` entry. */
export const NODE_FIELDS = ['node', 'status', 'count'] as const;
