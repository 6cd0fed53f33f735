/** Argument values a hostile or broken controller may pass: each one must be rejected, counted once, and never escape. */

const nullProto = () => Object.create(null) as object;

/** Objects whose property reads throw something that is not an Error. */
export function throwingGetter(field: string, thrown: () => unknown): object {
  return Object.defineProperty({}, field, { enumerable: true, get: () => { throw thrown(); } });
}

/** An Error whose `message` getter throws: stringifying it throws again. */
export function errorWithThrowingMessage(): Error {
  const e = new Error('x');
  Object.defineProperty(e, 'message', { get: () => { throw nullProto(); } });
  return e;
}

export function proxyThrowingOnGet(thrown: () => unknown): object {
  return new Proxy({}, { get: () => { throw thrown(); } });
}

export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** A value whose every conversion to a primitive throws (a non-Error). */
export function unprintable(): object {
  return {
    [Symbol.toPrimitive]: () => { throw nullProto(); },
    toString: () => { throw nullProto(); },
    valueOf: () => { throw nullProto(); },
  };
}

/** Things thrown from getters and traps. */
export const THROWN: (() => unknown)[] = [nullProto, () => undefined, () => 42, () => Symbol('s'), errorWithThrowingMessage, () => revokedProxy(), () => unprintable()];

/** The documented arguments of each hook (README), written out here so the test stands on its own. */
export const FIELDS: Record<string, readonly string[]> = {
  controllerHeartbeat: [],
  controllerStateChanged: ['state'],
  leadershipChanged: ['isLeader'],
  policyLimitsChanged: ['maxConcurrentMoves'],
  planCreated: ['planId', 'trigger', 'movesPlanned'],
  planSubmitted: ['planId'],
  planApproved: ['planId'],
  planRejected: ['planId'],
  planBlocked: ['planId', 'policy'],
  planOverrideAcknowledged: ['planId'],
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
  policyViolation: ['policy', 'action'],
  shardOwnership: ['nodes'],
  candidateSkipped: ['reason'],
};
