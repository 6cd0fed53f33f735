/** The lifecycle commands' shared parsing: `stack` and `fleet` dispatch their verbs and check `status` through it. */
import { UserError } from '../../../src/cli/user-error';
import { requireAllReady, runVerb } from '../../../src/cli/verb-args';

const USAGE = 'usage: meshkit-rebalance-obs thing up | status [--json]';

describe('runVerb', () => {
  const calls: string[] = [];
  const verbs = {
    up: async () => {
      calls.push('up');
      return 0;
    },
    status: async (json: boolean) => {
      calls.push(`status json=${json}`);
      return 3;
    },
  };

  it('runs the verb with --json for status and returns its exit status', async () => {
    expect(await runVerb(['status', '--json'], USAGE, 'thing', verbs)).toBe(3);
    expect(await runVerb(['up'], USAGE, 'thing', verbs)).toBe(0);
    expect(calls).toEqual(['status json=true', 'up']);
  });

  it('answers an unknown verb, a missing verb, an inherited property name and a stray argument with one sentence', async () => {
    await expect(runVerb(['down'], USAGE, 'thing', verbs)).rejects.toThrow(new UserError(`unknown thing command "down"; ${USAGE}.`));
    await expect(runVerb([], USAGE, 'thing', verbs)).rejects.toThrow(`${USAGE}.`);
    await expect(runVerb(['toString'], USAGE, 'thing', verbs)).rejects.toThrow('unknown thing command "toString"');
    await expect(runVerb(['up', '--json'], USAGE, 'thing', verbs)).rejects.toThrow('unexpected argument "--json"');
  });
});

describe('requireAllReady', () => {
  it('passes when every process is ready, and names the ones that are not', () => {
    expect(() => requireAllReady('fleet', [{ name: 'query', ready: true }], 'no process')).not.toThrow();
    expect(() => requireAllReady('fleet', [{ name: 'query', ready: false }, { name: 'jaeger', ready: true }], 'no process')).toThrow(
      'the fleet is not up (query not ready); restart it with "meshkit-rebalance-obs fleet down" then "fleet up".',
    );
    expect(() => requireAllReady('stack', [], 'no component')).toThrow('the stack is not up (no component not ready)');
  });
});
