import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import fc from 'fast-check';
import { createRebalanceTelemetry, enums, METRICS, type RebalanceTelemetryHandle } from '../../../src';
import { otelName } from '../../../src/sdk/metric-producer';
import { WARNING_INTERVAL_MS } from '../../../src/sdk/warnings';

const REJECTED = otelName(METRICS.rejected);

type Call = { hook: (typeof enums.HOOKS)[number]; args: unknown };

const planId = fc.constantFrom('p1', 'p2');
const shardId = fc.constantFrom('s1', 's2');
const node = fc.constantFrom('n1', 'n2');
const garbage = fc.oneof(
  fc.anything(),
  fc.constant(NaN),
  fc.constant(-1),
  fc.constant(Infinity),
  fc.string({ minLength: 129, maxLength: 300 }),
  fc.constantFrom('bogus', '', 'p1 ', 'plan"x', '__proto__'),
);
/** Mostly well-formed values so that plans really move through their lifecycle, sometimes garbage. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: arb as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: garbage });
const pick = <T extends string>(values: readonly T[]) => maybe(fc.constantFrom(...values));

const argsFor: Record<Call['hook'], fc.Arbitrary<unknown>> = {
  controllerHeartbeat: fc.constant({}),
  controllerStateChanged: fc.record({ state: pick(enums.CONTROLLER_STATES) }),
  leadershipChanged: fc.record({ isLeader: maybe(fc.boolean()) }),
  policyLimitsChanged: fc.record({ maxConcurrentMoves: maybe(fc.nat(64)) }),
  planCreated: fc.record({ planId: maybe(planId), trigger: pick(enums.PLAN_TRIGGERS), movesPlanned: maybe(fc.nat(5)), dryRun: maybe(fc.constantFrom(false, false, false, true)) }),
  planSubmitted: fc.record({ planId: maybe(planId) }),
  planApproved: fc.record({ planId: maybe(planId), actor: maybe(fc.constantFrom('alice', 'bob')) }),
  planRejected: fc.record({ planId: maybe(planId) }),
  planBlocked: fc.record({ planId: maybe(planId), policy: pick(enums.POLICIES) }),
  planOverrideAcknowledged: fc.record({ planId: maybe(planId) }),
  planStarted: fc.record({ planId: maybe(planId) }),
  planPaused: fc.record({ planId: maybe(planId) }),
  planResumed: fc.record({ planId: maybe(planId) }),
  planCompleted: fc.record({ planId: maybe(planId) }),
  planFailed: fc.record({ planId: maybe(planId), reason: pick(enums.PLAN_FAILURE_REASONS) }),
  planCancelled: fc.record({ planId: maybe(planId) }),
  planRolledBack: fc.record({ planId: maybe(planId) }),
  moveStarted: fc.record({ planId: maybe(planId), shardId: maybe(shardId), fromNode: maybe(node), toNode: maybe(node) }),
  moveDrainProgress: fc.record({ planId: maybe(planId), shardId: maybe(shardId), remaining: maybe(fc.nat(100)), ratio: maybe(fc.double({ min: 0, max: 1, noNaN: true })) }),
  moveHandoff: fc.record({ planId: maybe(planId), shardId: maybe(shardId) }),
  moveVerifying: fc.record({ planId: maybe(planId), shardId: maybe(shardId) }),
  moveCompleted: fc.record({ planId: maybe(planId), shardId: maybe(shardId) }),
  moveFailed: fc.record({ planId: maybe(planId), shardId: maybe(shardId), reason: pick(enums.MOVE_FAILURE_REASONS) }),
  policyViolation: fc.record({ policy: pick(enums.POLICIES), action: pick(enums.POLICY_ACTIONS), planId: maybe(planId) }),
  shardOwnership: fc.record({ nodes: maybe(fc.array(fc.record({ node: maybe(node), status: pick(enums.NODE_STATUSES), count: maybe(fc.nat(50)) }), { maxLength: 3 })) }),
  candidateSkipped: fc.record({ reason: pick(enums.SKIP_REASONS) }),
};

/** Plans are created and started often enough that later hooks find them live. */
const hookName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Call['hook']>('planCreated', 'planStarted', 'moveStarted') },
  { weight: 7, arbitrary: fc.constantFrom(...enums.HOOKS) },
);
const call: fc.Arbitrary<Call> = hookName.chain((hook) =>
  fc.oneof({ weight: 9, arbitrary: argsFor[hook] }, { weight: 1, arbitrary: garbage }).map((args) => ({ hook, args })),
);

let warnings = 0;
const logger: DiagLogger = { warn: () => void warnings++, error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} };

function telemetry(clock: () => number): RebalanceTelemetryHandle {
  return createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', clock });
}

/** Every exported value except the SDK's own rejection counter, keyed by metric and attributes. */
function snapshot(t: RebalanceTelemetryHandle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const metric of t.metricProducer.collectMetrics()) {
    if (metric.descriptor.name === REJECTED) continue;
    for (const p of metric.dataPoints) out[`${metric.descriptor.name}${JSON.stringify(p.attributes)}`] = p.value;
  }
  return out;
}

describe('hooks under random calls', () => {
  beforeAll(() => diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true }));
  afterAll(() => diag.disable());

  it('never throw, count every rejection, and record exactly what the accepted calls say', () => {
    fc.assert(
      fc.property(fc.array(call, { minLength: 10, maxLength: 120, size: 'max' }), (calls) => {
        let now = 1_700_000_000_000;
        const t = telemetry(() => now);
        const accepted: { call: Call; at: number }[] = [];
        let rejectedCalls = 0;
        for (const c of calls) {
          // Past the warning interval each time, so every rejection warns and the warnings tell which calls were accepted.
          now += WARNING_INTERVAL_MS + 1;
          const before = warnings;
          expect(() => (t[c.hook] as (a: unknown) => void)(c.args)).not.toThrow();
          const warned = warnings - before;
          expect(warned).toBeLessThanOrEqual(1);
          if (warned === 0) accepted.push({ call: c, at: now });
          else rejectedCalls++;
        }
        const rejectedTotal = t.metricProducer
          .collectMetrics()
          .filter((m) => m.descriptor.name === REJECTED)
          .flatMap((m) => m.dataPoints as { value: number }[])
          .reduce((sum, p) => sum + p.value, 0);
        expect(rejectedTotal).toBe(rejectedCalls);

        // A fresh instance fed only the accepted calls, at the same instants, exports the same data.
        let replayNow = 0;
        const replay = telemetry(() => replayNow);
        for (const { call: c, at } of accepted) {
          replayNow = at;
          (replay[c.hook] as (a: unknown) => void)(c.args);
        }
        replayNow = now;
        expect(snapshot(replay)).toEqual(snapshot(t));
      }),
      { numRuns: 500 },
    );
  });

  it('reject calls after shutdown', async () => {
    const t = telemetry(Date.now);
    await t.shutdown();
    const before = warnings;
    t.planCreated({ planId: 'late', trigger: 'manual', movesPlanned: 1 });
    expect(warnings - before).toBe(1);
  });
});
