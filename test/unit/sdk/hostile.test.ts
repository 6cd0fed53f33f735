/**
 * A hostile controller: valid plan lifecycles interleaved with every kind of bad call (non-Error
 * throws from getters and Proxy traps, revoked Proxies, values whose conversions throw, 1 MiB
 * strings, wrong types, NaN, unknown ids, illegal transitions, calls at a table limit). Nothing may
 * escape, every bad call is counted exactly once, every valid call is recorded, diag stays short.
 *
 * 10^5 calls by default; MESHKIT_HOSTILE_CALLS=1000000 runs the full million (about ten times longer).
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { createRebalanceTelemetry, METRICS } from '../../../src';
import { points } from '../../helpers/collect';
import { proxyThrowingOnGet, revokedProxy, throwingGetter, THROWN, unprintable } from './regression/hostile-values';

const CALLS = Number(process.env.MESHKIT_HOSTILE_CALLS ?? 100_000);
const MIB = 'x'.repeat(1 << 20);

type Hook = (args?: unknown) => void;

describe(`hostile controller, ${CALLS} calls`, () => {
  let longest = 0;
  let warnings = 0;
  beforeAll(() =>
    diag.setLogger(
      { warn: (m: string) => ((warnings++, (longest = Math.max(longest, m.length)))), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    ),
  );
  afterAll(() => diag.disable());

  it('lets nothing escape, counts each bad call once and records every good one', async () => {
    let now = Date.UTC(2026, 11, 1);
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', clock: () => now, limits: { maxLivePlans: 50, maxLiveMoves: 40 } });
    const call = (hook: string, args?: unknown): boolean => {
      try {
        (t as unknown as Record<string, Hook>)[hook](args);
        return true;
      } catch {
        return false;
      }
    };

    // Each entry makes one call that must be rejected.
    const bad: ((i: number) => [string, unknown])[] = [
      () => ['planCreated', revokedProxy()],
      (i) => ['moveStarted', proxyThrowingOnGet(THROWN[i % THROWN.length])],
      (i) => ['planStarted', throwingGetter('planId', THROWN[i % THROWN.length])],
      (i) => ['moveDrainProgress', throwingGetter('ratio', THROWN[i % THROWN.length])],
      () => ['planCreated', { planId: unprintable(), trigger: 'manual', movesPlanned: 1 }],
      () => ['policyLimitsChanged', { maxConcurrentMoves: unprintable() }],
      () => ['controllerStateChanged', { state: unprintable() }],
      () => ['planCreated', { planId: MIB, trigger: 'manual', movesPlanned: 1 }],
      () => ['planFailed', { planId: 'live-0', reason: MIB }],
      () => ['moveDrainProgress', { planId: 'nope', shardId: 's', remaining: NaN, ratio: 2 }],
      () => ['planCreated', { planId: 'p"\n', trigger: 'manual', movesPlanned: -1 }],
      () => ['candidateSkipped', null],
      () => ['candidateSkipped', 'cooldown'],
      () => ['candidateSkipped', [1, 2]],
      () => ['candidateSkipped', Symbol('x')],
      () => ['candidateSkipped', 10n],
      () => ['shardOwnership', { nodes: revokedProxy() }],
      () => ['shardOwnership', { nodes: [{ node: 'n', status: 'active', count: unprintable() }] }],
      () => ['shardOwnership', { nodes: new Proxy([], { get: () => { throw Object.create(null); } }) }],
      (i) => ['planCompleted', { planId: `never-${i % 1000}` }],
      () => ['planPaused', { planId: 'live-0' }], // live-0 is kept in draft: an illegal transition
      () => ['leadershipChanged', { isLeader: 'yes' }],
    ];
    // A plan kept in draft and plans created until the limit: further creations are rejected at the limit.
    expect(call('planCreated', { planId: 'live-0', trigger: 'manual', movesPlanned: 1 })).toBe(true);
    for (let i = 1; i < 50; i++) call('planCreated', { planId: `filler-${i}`, trigger: 'manual', movesPlanned: 1 });
    let badCalls = 0;
    let goodLifecycles = 0;
    let escaped = 0;
    let made = 50;
    let k = 0;
    while (made < CALLS) {
      // A valid lifecycle reusing a filler's slot: end the filler, run one plan through, recreate the filler.
      const slot = `filler-${1 + (k % 49)}`;
      const planId = `good-${k}`;
      const good: [string, unknown][] = [
        ['planCancelled', { planId: slot }],
        ['planCreated', { planId, trigger: 'imbalance', movesPlanned: 1 }],
        ['planStarted', { planId }],
        ['moveStarted', { planId, shardId: 's', fromNode: 'a', toNode: 'b' }],
        ['moveDrainProgress', { planId, shardId: 's', remaining: 3, ratio: 0.5 }],
        ['moveHandoff', { planId, shardId: 's' }],
        ['moveVerifying', { planId, shardId: 's' }],
        ['moveCompleted', { planId, shardId: 's' }],
        ['planCompleted', { planId }],
        ['planCreated', { planId: slot, trigger: 'manual', movesPlanned: 1 }],
      ];
      for (const [hook, args] of good) {
        now++;
        if (!call(hook, args)) escaped++;
        made++;
      }
      goodLifecycles++;
      for (let j = 0; j < 12 && made < CALLS; j++, k++) {
        const [hook, args] = bad[k % bad.length](k);
        now++;
        if (!call(hook, args)) escaped++;
        badCalls++;
        made++;
      }
      // At the limit (50 live plans): a rejected creation.
      now++;
      if (!call('planCreated', { planId: `over-${k}`, trigger: 'manual', movesPlanned: 1 })) escaped++;
      badCalls++;
      made++;
    }
    expect(escaped).toBe(0);
    const rejected = points(t, METRICS.rejected);
    expect(rejected.reduce((n, p) => n + (p.value as number), 0)).toBe(badCalls);
    expect(rejected.filter((p) => p.attributes.reason === 'internal_error')).toEqual([]);
    const completed = points(t, METRICS.plansTotal, { outcome: 'completed' })[0].value;
    expect(completed).toBe(goodLifecycles);
    expect(points(t, METRICS.movesTotal, { outcome: 'completed' })[0].value).toBe(goodLifecycles);
    // Diag: short messages, and far fewer of them than rejections (rate-limited per hook and reason).
    expect(longest).toBeLessThan(400);
    expect(warnings).toBeLessThan(badCalls / 10);
    process.stdout.write(`hostile: ${made} calls, ${badCalls} rejected, ${goodLifecycles} lifecycles, ${warnings} warnings, longest ${longest} chars\n`);
    await expect(t.forceFlush()).resolves.toBeUndefined();
    await expect(t.shutdown()).resolves.toBeUndefined();
    expect(call('planCreated', { planId: 'late', trigger: 'manual', movesPlanned: 1 })).toBe(true);
  });
});
