/**
 * Defect 1 of #11: a hook threw when an argument's getter or Proxy trap threw something that is not
 * an Error (the rejection path stringified it and threw again); such calls also counted as
 * internal_error. Every hook, every kind of hostile argument: no escape, one invalid_argument each.
 */
import { createRebalanceTelemetry, enums, METRICS } from '../../../../src';
import { points } from '../../../helpers/collect';
import { FIELDS, proxyThrowingOnGet, revokedProxy, throwingGetter, THROWN, unprintable } from './hostile-values';

function hostileArguments(hook: (typeof enums.HOOKS)[number]): unknown[] {
  const fields = FIELDS[hook];
  // A hook that reads no field (controllerHeartbeat) never trips a get trap; a revoked Proxy it still refuses.
  const out: unknown[] = [revokedProxy(), ...(fields.length > 0 ? THROWN.map((t) => proxyThrowingOnGet(t)) : [])];
  for (const field of fields) for (const thrown of THROWN) out.push(throwingGetter(field, thrown));
  if (hook === 'shardOwnership') {
    out.push({ nodes: revokedProxy() }, { nodes: new Proxy([], { get: () => { throw Object.create(null); } }) }, { nodes: [revokedProxy()] });
    out.push({ nodes: [throwingGetter('count', () => Object.create(null))] });
  }
  return out;
}

describe('hooks given arguments that throw non-Errors', () => {
  it.each([...enums.HOOKS])('%s: never throws, counts each call once as invalid_argument', (hook) => {
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl' });
    const calls = hostileArguments(hook);
    let escaped = 0;
    for (const args of calls) {
      try {
        (t[hook] as (a: unknown) => void)(args);
      } catch {
        escaped++;
      }
    }
    expect(escaped).toBe(0);
    const rejected = points(t, METRICS.rejected, { hook });
    expect(rejected.filter((p) => p.attributes.reason === 'invalid_argument').map((p) => p.value)).toEqual([calls.length]);
    expect(rejected.map((p) => p.attributes.reason)).toEqual(['invalid_argument']);
  });

  it('reads a value whose conversions throw without converting it', () => {
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl' });
    expect(() => t.planCreated({ planId: unprintable(), trigger: unprintable(), movesPlanned: unprintable() } as never)).not.toThrow();
    expect(() => t.policyLimitsChanged({ maxConcurrentMoves: unprintable() } as never)).not.toThrow();
    expect(points(t, METRICS.rejected).reduce((n, p) => n + (p.value as number), 0)).toBe(2);
  });
});
