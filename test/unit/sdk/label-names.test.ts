/** The `labelNames` option: namespace/cluster emitted under a site's names, on every series that has them. */
import { createRebalanceTelemetry, METRIC_LIST, type RebalanceTelemetryHandle } from '../../../src';
import { siteRuleGroups } from '../../../src/site/rules';
import { parseExposition, type Sample } from '../../helpers/exposition';
import { fetchText, freePort } from '../../helpers/net';
import { runFullLifecycle } from '../../helpers/lifecycle';

describe('labelNames', () => {
  let t: RebalanceTelemetryHandle;
  let samples: Sample[];

  beforeAll(async () => {
    const port = await freePort();
    t = createRebalanceTelemetry({ namespace: 'payments', cluster: 'eu-1', controllerId: 'ctl-0', prometheus: { port }, labelNames: { cluster: 'k8s_cluster' } });
    runFullLifecycle(t);
    samples = parseExposition(await fetchText(t.prometheusUrl!));
  });
  afterAll(() => t.shutdown());

  it('every series that carries the cluster carries it as k8s_cluster, and none as cluster', () => {
    const ours = samples.filter((s) => s.name.startsWith('meshkit_'));
    expect(ours.length).toBeGreaterThan(50);
    const scoped = METRIC_LIST.filter((m) => m.labels.some((l) => l.name === 'cluster')).map((m) => m.name);
    for (const sample of ours) {
      expect(sample.labels.cluster).toBeUndefined();
      if (scoped.some((name) => sample.name.startsWith(name))) expect(sample.labels).toMatchObject({ k8s_cluster: 'eu-1', namespace: 'payments' });
    }
  });

  it('names the labels the rules of a site with the same labelNames select on', () => {
    const rules = siteRuleGroups({ labelNames: { cluster: 'k8s_cluster' } }).groups[0].rules;
    expect(rules.every((r) => !/\bcluster\b/.test(r.expr.replace(/namespace_cluster/g, '')))).toBe(true);
    expect(samples.some((s) => s.labels.k8s_cluster === 'eu-1')).toBe(true);
  });

  it.each([
    [{ cluster: 'k8s-cluster' }, 'labelNames.cluster'],
    [{ cluster: '__cluster' }, 'labelNames.cluster'],
    [{ cluster: 'controller' }, 'labelNames.cluster'],
    [{ namespace: 'ns', cluster: 'ns' }, 'labelNames.cluster'],
  ])('%j is refused at construction', (labelNames, mention) => {
    expect(() => createRebalanceTelemetry({ namespace: 'payments', cluster: 'eu-1', controllerId: 'ctl-0', labelNames })).toThrow(mention);
  });
});
