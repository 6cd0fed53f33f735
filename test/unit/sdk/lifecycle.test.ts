import { diag, DiagLogLevel } from '@opentelemetry/api';
import { createRebalanceTelemetry, METRICS, type RebalanceTelemetryHandle } from '../../../src';
import { manualClock, points, valueOf } from '../../helpers/collect';

const MIN = 60_000;

function setup(limits = {}) {
  const clock = manualClock();
  const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', clock: clock.now, limits });
  return { t, clock };
}

function executingPlan(t: RebalanceTelemetryHandle, planId: string, moves = 1) {
  t.planCreated({ planId, trigger: 'imbalance', movesPlanned: moves });
  t.planStarted({ planId });
}

describe('plan lifecycle', () => {
  it('tracks the approval backlog and the oldest pending submission', () => {
    const { t, clock } = setup();
    const start = clock.now();
    for (const planId of ['a', 'b']) {
      t.planCreated({ planId, trigger: 'manual', movesPlanned: 1 });
      t.planSubmitted({ planId });
      clock.advance(MIN);
    }
    expect(valueOf(t, METRICS.approvalBacklog)).toBe(2);
    expect(valueOf(t, METRICS.approvalOldestPending)).toBe(start / 1000);
    t.planApproved({ planId: 'a', actor: 'alice' });
    expect(valueOf(t, METRICS.approvalOldestPending)).toBe((start + MIN) / 1000);
    t.planRejected({ planId: 'b', actor: 'bob' });
    expect(valueOf(t, METRICS.approvalBacklog)).toBe(0);
    expect(valueOf(t, METRICS.approvalOldestPending)).toBeUndefined();
    const waits = points(t, METRICS.approvalWait, { decision: 'approved' })[0].value as { sum: number; count: number };
    expect(waits).toMatchObject({ sum: 120, count: 1 });
    expect(valueOf(t, METRICS.approvals, { decision: 'rejected' })).toBe(1);
    expect(valueOf(t, METRICS.plansTotal, { outcome: 'rejected' })).toBe(1);
  });

  it('counts a plan approved without submission as auto-approved', () => {
    const { t } = setup();
    t.planCreated({ planId: 'auto', trigger: 'scheduled', movesPlanned: 1 });
    t.planApproved({ planId: 'auto' });
    expect(valueOf(t, METRICS.approvals, { decision: 'auto_approved' })).toBe(1);
  });

  it('moves the progress clock on moves and drain progress, and restarts it on resume', () => {
    const { t, clock } = setup();
    executingPlan(t, 'p', 2);
    clock.advance(5 * MIN);
    t.moveStarted({ planId: 'p', shardId: 's', fromNode: 'n1', toNode: 'n2' });
    const afterStart = clock.now() / 1000;
    clock.advance(MIN);
    t.moveDrainProgress({ planId: 'p', shardId: 's', remaining: 10, ratio: 0.1 });
    clock.advance(MIN);
    t.moveDrainProgress({ planId: 'p', shardId: 's', remaining: 10, ratio: 0.1 });
    expect(valueOf(t, METRICS.planLastProgress, { plan_id: 'p' })).toBe(afterStart + 60);
    expect(valueOf(t, METRICS.drainRemaining)).toBe(10);
    t.planPaused({ planId: 'p' });
    clock.advance(30 * MIN);
    t.planResumed({ planId: 'p' });
    expect(valueOf(t, METRICS.planLastProgress, { plan_id: 'p' })).toBe(clock.now() / 1000);
    t.moveHandoff({ planId: 'p', shardId: 's' });
    expect(valueOf(t, METRICS.drainRemaining)).toBe(0);
    t.moveCompleted({ planId: 'p', shardId: 's' });
    expect(valueOf(t, METRICS.planMovesRemaining, { plan_id: 'p' })).toBe(1);
    expect(valueOf(t, METRICS.shardsInFlight)).toBe(0);
  });

  it('rejects illegal transitions and leaves the plan where it was', () => {
    const { t } = setup();
    t.planCreated({ planId: 'p', trigger: 'manual', movesPlanned: 1 });
    t.planCompleted({ planId: 'p' });
    t.moveStarted({ planId: 'p', shardId: 's', fromNode: 'n1', toNode: 'n2' });
    t.planResumed({ planId: 'p' });
    expect(valueOf(t, METRICS.planState, { plan_id: 'p' })).toBe(1);
    expect(points(t, METRICS.planState, { plan_id: 'p' })[0].attributes.state).toBe('draft');
    expect(valueOf(t, METRICS.rejected, { hook: 'planCompleted', reason: 'illegal_transition' })).toBe(1);
    expect(valueOf(t, METRICS.rejected, { hook: 'moveStarted', reason: 'illegal_transition' })).toBe(1);
    expect(valueOf(t, METRICS.plansTotal, { outcome: 'completed' })).toBe(0);
  });

  it('aborts the live moves of a plan that ends', () => {
    const { t } = setup();
    executingPlan(t, 'p', 3);
    t.moveStarted({ planId: 'p', shardId: 's1', fromNode: 'n1', toNode: 'n2' });
    t.moveStarted({ planId: 'p', shardId: 's2', fromNode: 'n1', toNode: 'n2' });
    t.moveDrainProgress({ planId: 'p', shardId: 's2', remaining: 7, ratio: 0.3 });
    t.planCancelled({ planId: 'p' });
    expect(valueOf(t, METRICS.movesTotal, { outcome: 'aborted' })).toBe(2);
    expect(valueOf(t, METRICS.shardsInFlight)).toBe(0);
    expect(valueOf(t, METRICS.drainRemaining)).toBe(0);
    expect(points(t, METRICS.planState)).toHaveLength(0);
  });
});

describe('bounds', () => {
  it('drops plans and moves no hook touched within the orphan timeout, and counts them', () => {
    const { t, clock } = setup({ planOrphanTimeoutMs: 60 * MIN, moveOrphanTimeoutMs: 10 * MIN });
    executingPlan(t, 'forgotten');
    executingPlan(t, 'busy', 5);
    t.moveStarted({ planId: 'busy', shardId: 'stuck', fromNode: 'n1', toNode: 'n2' });
    for (let i = 0; i < 7; i++) {
      clock.advance(10 * MIN);
      t.policyViolation({ policy: 'cooldown', action: 'warn', planId: 'busy' });
      t.controllerHeartbeat();
    }
    expect(points(t, METRICS.planState).map((p) => p.attributes.plan_id)).toEqual(['busy']);
    expect(valueOf(t, METRICS.orphans, { kind: 'plan' })).toBe(1);
    expect(valueOf(t, METRICS.orphans, { kind: 'move' })).toBe(1);
    expect(valueOf(t, METRICS.plansTotal, { outcome: 'orphaned' })).toBe(1);
    expect(valueOf(t, METRICS.shardsInFlight)).toBe(0);
  });

  it('rejects moves beyond maxLiveMoves', () => {
    const { t } = setup({ maxLiveMoves: 3 });
    executingPlan(t, 'p', 5);
    for (let i = 0; i < 5; i++) t.moveStarted({ planId: 'p', shardId: `s${i}`, fromNode: 'n1', toNode: 'n2' });
    expect(valueOf(t, METRICS.shardsInFlight)).toBe(3);
    expect(valueOf(t, METRICS.rejected, { hook: 'moveStarted', reason: 'limit_exceeded' })).toBe(2);
  });

  it('replaces the ownership snapshot whole, so removed nodes leave the scrape', () => {
    const { t } = setup({ maxNodes: 2 });
    t.shardOwnership({ nodes: [{ node: 'n1', status: 'active', count: 3 }, { node: 'n2', status: 'active', count: 4 }] });
    t.shardOwnership({ nodes: [{ node: 'n2', status: 'draining', count: 4 }] });
    expect(points(t, METRICS.shardsOwned).filter((p) => p.value !== 0)).toEqual([
      expect.objectContaining({ attributes: expect.objectContaining({ node: 'n2', status: 'draining' }), value: 4 }),
    ]);
    t.shardOwnership({ nodes: [1, 2, 3].map((i) => ({ node: `n${i}`, status: 'active' as const, count: 1 })) });
    expect(valueOf(t, METRICS.rejected, { hook: 'shardOwnership', reason: 'limit_exceeded' })).toBe(1);
    expect(points(t, METRICS.shardsOwned, { node: 'n2', status: 'draining' })[0].value).toBe(4);
  });
});

describe('diagnostics', () => {
  const warnings: string[] = [];
  beforeAll(() =>
    diag.setLogger(
      { warn: (m: string) => void warnings.push(m), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    ),
  );
  afterAll(() => diag.disable());
  beforeEach(() => (warnings.length = 0));

  it.each([
    ['planCreated', { planId: 'x'.repeat(200), trigger: 'manual', movesPlanned: 1 }, 'label_too_long'],
    ['planCreated', { planId: 'p', trigger: 'whim', movesPlanned: 1 }, 'unknown_label_value'],
    ['planCreated', { planId: 'p', trigger: 'manual', movesPlanned: -1 }, 'invalid_value'],
    ['moveDrainProgress', { planId: 'p', shardId: 's', remaining: 1, ratio: NaN }, 'invalid_value'],
    ['planStarted', { planId: 'never-created' }, 'unknown_plan'],
    ['candidateSkipped', null, 'invalid_argument'],
    ['controllerStateChanged', { state: 'confused' }, 'unknown_label_value'],
  ] as const)('%s(%j) warns once, naming the hook and %s', (hook, args, reason) => {
    const { t } = setup();
    (t[hook] as (a: unknown) => void)(args);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(hook);
    expect(warnings[0]).toContain(reason);
    expect(valueOf(t, METRICS.rejected, { hook, reason })).toBe(1);
  });

  it('survives arguments whose getters throw', () => {
    const { t } = setup();
    const hostile = Object.defineProperty({}, 'planId', { get: () => { throw new Error('boom'); } });
    expect(() => t.planStarted(hostile as never)).not.toThrow();
    expect(valueOf(t, METRICS.rejected, { hook: 'planStarted', reason: 'invalid_argument' })).toBe(1);
  });

  it('throws on bad options at construction, the one place it may', () => {
    expect(() => createRebalanceTelemetry({ namespace: '', cluster: 'c', controllerId: 'x' })).toThrow(/namespace/);
    expect(() => createRebalanceTelemetry({ namespace: 'n', cluster: 'c', controllerId: 'x', limits: { maxLivePlans: 0 } })).toThrow(/maxLivePlans/);
  });
});

describe('controller gauges', () => {
  it('exports no heartbeat before the first one, then its time', () => {
    const { t, clock } = setup();
    expect(valueOf(t, METRICS.heartbeat)).toBeUndefined();
    t.controllerHeartbeat();
    expect(valueOf(t, METRICS.heartbeat)).toBe(clock.now() / 1000);
  });
});

describe('retries', () => {
  it('counts a failed shard retried in the same plan once in moves remaining', () => {
    const { t } = setup();
    executingPlan(t, 'p', 2);
    t.moveStarted({ planId: 'p', shardId: 's1', fromNode: 'n1', toNode: 'n2' });
    t.moveFailed({ planId: 'p', shardId: 's1', reason: 'version_conflict' });
    expect(valueOf(t, METRICS.planMovesRemaining, { plan_id: 'p' })).toBe(1);
    t.moveStarted({ planId: 'p', shardId: 's1', fromNode: 'n1', toNode: 'n3' });
    expect(valueOf(t, METRICS.planMovesRemaining, { plan_id: 'p' })).toBe(2);
    t.moveCompleted({ planId: 'p', shardId: 's1' });
    expect(valueOf(t, METRICS.planMovesRemaining, { plan_id: 'p' })).toBe(1);
    expect(valueOf(t, METRICS.movesTotal, { outcome: 'failed' })).toBe(1);
    expect(valueOf(t, METRICS.movesTotal, { outcome: 'completed' })).toBe(1);
  });
});
