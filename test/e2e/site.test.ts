/**
 * A site configuration on the real stack (harness.ts: backfilled scenario history, loopback
 * PagerDuty and Teams stand-ins, `for:` ×1/60):
 *  - stuck-plan, with `orders` overridden: above the plan's stall the override keeps it quiet although
 *    the default threshold (15m) is long passed; below the stall it fires once, at the override's
 *    limit, from the override's rule only;
 *  - heartbeat-loss grouped by cluster, with `payments` given a 1 ms heartbeat limit so both of
 *    eu-west-1's namespaces fire the same alert: one notification for the cluster, carrying both.
 * Opt-in (two stacks, about 90 s here): MESHKIT_SITE_E2E=1.
 */
import { METRICS, LABELS } from '../../src/schema';
import { THRESHOLDS_LABEL } from '../../src/site/rules';
import type { SiteConfig } from '../../src/site/types';
import {
  AlertWatch,
  STACK_TIMEOUT_MS,
  cutPoint,
  dedupKeyOf,
  loadRules,
  promAlerts,
  promRuleGroups,
  sleep,
  startScenarioStack,
  until,
  type PagerDutyEvent,
  type ScenarioStack,
} from './harness';

const SEED = '1';
const QUIET_MS = 12_000;
const DELIVERY_TIMEOUT_MS = 60_000;
const STUCK = 'MeshKitRebalancePlanStuck';
const HEARTBEAT = 'MeshKitRebalanceControllerHeartbeatMissing';

async function instant(prometheus: string, query: string): Promise<number> {
  const body = (await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as { data: { result: { value: [number, string] }[] } };
  if (body.data.result.length !== 1) throw new Error(`${query}: ${body.data.result.length} series`);
  return Number(body.data.result[0].value[1]);
}

const stuckSite = (minutes: number): SiteConfig => ({
  overrides: [{ namespace: 'orders', thresholds: { planStuck: { noProgressFor: `${minutes}m` } } }],
  labels: { team: 'storage-platform' },
});

const enabled = process.env.MESHKIT_SITE_E2E === '1';
const suite = enabled ? describe : describe.skip;

suite('stuck-plan in an overridden namespace', () => {
  let s: ScenarioStack;
  let stallMinutes: number;

  beforeAll(async () => {
    const cut = await cutPoint('stuck-plan', SEED);
    s = await startScenarioStack({ scenario: 'stuck-plan', seed: SEED, hours: cut.hours, site: stuckSite(24 * 60) });
    const prometheus = s.hs.stack.urls.prometheus;
    stallMinutes =
      (await instant(
        prometheus,
        `max(time() - ${METRICS.planLastProgress.name}{namespace="orders"} and on (namespace, cluster, job, instance, ${LABELS.planId.name}) (${METRICS.planState.name}{${LABELS.planState.name}="executing"} == 1))`,
      )) / 60;
  }, STACK_TIMEOUT_MS);

  afterAll(async () => {
    await s?.stop();
  });

  it('the history is cut where the default threshold is passed', () => {
    expect(stallMinutes).toBeGreaterThan(15);
  });

  it('an override above the stall keeps orders quiet, though the default 15m has long passed', async () => {
    const prometheus = s.hs.stack.urls.prometheus;
    await loadRules(prometheus, s.files, stuckSite(Math.ceil(stallMinutes) + 30));
    const watch = new AlertWatch(prometheus);
    watch.start();
    await sleep(QUIET_MS);
    await watch.stop();
    const rules = (await promRuleGroups(prometheus)).flatMap((g) => g.rules).filter((r) => r.name === STUCK);
    expect(rules.map((r) => r.health)).toEqual(['ok', 'ok']);
    expect(watch.all().filter((w) => w.alert.labels.alertname === STUCK)).toEqual([]);
  });

  it('an override below the stall fires once, at the override\'s limit', async () => {
    const prometheus = s.hs.stack.urls.prometheus;
    const limit = Math.max(1, Math.floor(stallMinutes) - 5);
    await loadRules(prometheus, s.files, stuckSite(limit));
    const firing = await until('PlanStuck to fire', async () => {
      const alerts = (await promAlerts(prometheus)).filter((a) => a.labels.alertname === STUCK && a.state === 'firing');
      return alerts.length > 0 ? alerts : undefined;
    }, DELIVERY_TIMEOUT_MS);
    await sleep(3_000);
    const all = (await promAlerts(prometheus)).filter((a) => a.labels.alertname === STUCK);
    expect(all).toHaveLength(1);
    expect(all[0].labels).toMatchObject({ namespace: 'orders', cluster: 'eu-west-1', [THRESHOLDS_LABEL]: 'namespace=orders', team: 'storage-platform' });
    expect(all[0].annotations.description).toContain(`(limit ${limit}m)`);
    expect(firing[0].labels).toEqual(all[0].labels);
    const delivery = await until('the page', async () => s.receivers.of('pagerduty').find((d) => (d.body as PagerDutyEvent).payload.summary.includes(STUCK)), DELIVERY_TIMEOUT_MS);
    expect((delivery.body as PagerDutyEvent).payload.summary).toContain('orders/eu-west-1');
    process.stdout.write(`\n[e2e site] stuck-plan: stall ${stallMinutes.toFixed(1)} min at the cut; override ${Math.ceil(stallMinutes) + 30}m quiet, override ${limit}m fired once and paged\n`);
  });
});

suite('heartbeat-loss grouped by cluster', () => {
  let s: ScenarioStack;
  const site: SiteConfig = {
    alertmanager: { groupBy: 'cluster' },
    overrides: [{ namespace: 'payments', thresholds: { heartbeat: { interval: '1ms', missed: 1 } } }],
  };

  beforeAll(async () => {
    const cut = await cutPoint('heartbeat-loss', SEED);
    s = await startScenarioStack({ scenario: 'heartbeat-loss', seed: SEED, hours: cut.hours, site });
  }, STACK_TIMEOUT_MS);

  afterAll(async () => {
    await s?.stop();
  });

  it('both namespaces of eu-west-1 fire; one notification for the cluster carries both', async () => {
    const prometheus = s.hs.stack.urls.prometheus;
    await until('the alert in both namespaces', async () => {
      const alerts = (await promAlerts(prometheus)).filter((a) => a.labels.alertname === HEARTBEAT && a.state === 'firing');
      return new Set(alerts.map((a) => a.labels.namespace)).size === 2 ? true : undefined;
    }, DELIVERY_TIMEOUT_MS);
    await until('a page', async () => (s.receivers.of('pagerduty').length > 0 ? true : undefined), DELIVERY_TIMEOUT_MS);
    await sleep(Math.max(0, s.rulesLoadedAt + QUIET_MS - Date.now()));
    const pages = s.receivers.of('pagerduty').map((d) => d.body as PagerDutyEvent);
    const triggers = pages.filter((p) => p.event_action === 'trigger');
    expect(triggers.map((p) => p.dedup_key)).toEqual([dedupKeyOf('page', { alertname: HEARTBEAT, cluster: 'eu-west-1' })]);
    const text = String(triggers[0].payload.custom_details?.firing);
    expect(text).toContain('namespace payments');
    expect(text).toContain('namespace ledger');
    expect(triggers[0].payload.summary).toBe(`[FIRING:2] ${HEARTBEAT} eu-west-1: 2 alerts`);
    process.stdout.write(`\n[e2e site] heartbeat-loss grouped by cluster: ${triggers.length} page for eu-west-1 carrying payments and ledger: "${triggers[0].payload.summary}"\n`);
  });
});
