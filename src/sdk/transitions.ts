import { LIVE_PLAN_STATES, type LivePlanState } from '../schema/enums';
import { PLAN_STATE } from './recorder';

const mask = (...states: LivePlanState[]): number => states.reduce((m, s) => m | (1 << PLAN_STATE[s]), 0);
const ANY = mask(...LIVE_PLAN_STATES);

/** From which live states each plan hook may be called. */
export const ALLOWED_FROM = {
  planSubmitted: mask('draft'),
  planApproved: mask('draft', 'pending_approval', 'blocked'),
  planRejected: mask('draft', 'pending_approval', 'blocked'),
  planBlocked: mask('draft', 'pending_approval', 'approved', 'executing', 'paused'),
  planOverrideAcknowledged: mask('blocked'),
  planStarted: mask('draft', 'approved'),
  planPaused: mask('executing'),
  planResumed: mask('paused'),
  planCompleted: mask('executing'),
  planFailed: ANY,
  planCancelled: ANY,
  planRolledBack: mask('executing', 'paused', 'blocked'),
  moveStarted: mask('executing'),
} as const;

export function allowedStates(bits: number): string {
  return LIVE_PLAN_STATES.filter((_, i) => bits & (1 << i)).join('|');
}
