/**
 * Hyperscale on the real stack: three virtual hours of the hyperscale scenario (1,000 nodes,
 * 100,000 shards, 4 namespaces in one cluster; scraped every 60 s to keep the history small),
 * backfilled so it ends NOW, with the generated rules (`for:` ×1/60) evaluated every second.
 * Measures the rule groups' evaluation time — /api/v1/rules (`evaluationTime`, `lastEvaluation`)
 * sampled every second, and Prometheus's own `prometheus_rule_group_last_duration_seconds` — and
 * counts the notifications reaching the PagerDuty and Teams stand-ins.
 *
 * Alertmanager runs the shipped grouping (group_by cluster, namespace, alertname; group_interval 5m)
 * with only group_wait compressed to 1s, and the test watches for less than one group_interval: so
 * what it asserts — at most one notification per group, i.e. per alert type per namespace/cluster,
 * however many alerts fire — is what grouping does to a burst, not re-notification timing.
 */
import { FOR_SCALE, STACK_TIMEOUT_MS, groupName, promAlerts, promRuleGroups, promSelfMetrics, sleep, startScenarioStack, type Delivery, type PagerDutyEvent, type ScenarioStack } from './harness';

const SEED = '1';
const HOURS = 3;
const SCRAPE_INTERVAL_MS = 60_000;
/** Shipped group_interval: longer than the observation, so any second notification of a group would be a grouping failure. */
const GROUP_INTERVAL = '5m';
const OBSERVE_MS = 25_000;

let s: ScenarioStack;
const samples = new Map<string, { evaluationTime: number; lastEvaluation: string }[]>();
let selfMetrics: Map<string, number>;
let firingGroups: Map<string, number>;

const titleOf = (d: Delivery): string => (d.receiver === 'pagerduty' ? (d.body as PagerDutyEvent).payload.summary : d.body.attachments[0].content.body[0].text);
const groupOf = (d: Delivery): string => {
  const m = /^\[FIRING:\d+\] (\S+) ([^/\s]+)\/(\S+): /.exec(titleOf(d));
  return m ? `${m[1]} ${m[3]}/${m[2]}` : `unparsable: ${titleOf(d)}`;
};
const firingCount = (d: Delivery): number => Number(/^\[FIRING:(\d+)\]/.exec(titleOf(d))?.[1] ?? NaN);
const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

beforeAll(async () => {
  s = await startScenarioStack({ scenario: 'hyperscale', seed: SEED, hours: HOURS, scrapeIntervalMs: SCRAPE_INTERVAL_MS, groupInterval: GROUP_INTERVAL });
  const end = s.rulesLoadedAt + OBSERVE_MS;
  while (Date.now() < end) {
    for (const group of await promRuleGroups(s.hs.stack.urls.prometheus)) {
      if (!samples.has(group.name)) samples.set(group.name, []);
      const list = samples.get(group.name)!;
      const evaluated = Date.parse(group.lastEvaluation) >= s.rulesLoadedAt - 1000; // not the zero time of a group yet to run
      if (evaluated && list[list.length - 1]?.lastEvaluation !== group.lastEvaluation) list.push({ evaluationTime: group.evaluationTime, lastEvaluation: group.lastEvaluation });
    }
    await sleep(500);
  }
  selfMetrics = await promSelfMetrics(s.hs.stack.urls.prometheus, [
    'prometheus_rule_group_last_duration_seconds',
    'prometheus_rule_group_iterations_total',
    'prometheus_rule_group_iterations_missed_total',
    'prometheus_rule_evaluation_failures_total',
    'prometheus_rule_group_rules',
  ]);
  firingGroups = new Map();
  for (const a of await promAlerts(s.hs.stack.urls.prometheus)) {
    if (a.state === 'firing') firingGroups.set(groupName(a.labels), (firingGroups.get(groupName(a.labels)) ?? 0) + 1);
  }
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await s?.stop();
});

/** `rule_group` label values end with `;<group name>`. */
const byGroup = (family: string) =>
  new Map([...selfMetrics].filter(([k]) => k.startsWith(`${family}{`)).map(([k, v]) => [/;([^";]+)"/.exec(k)![1], v] as const));

it('evaluates both rule groups every second without a missed iteration or a failed rule', () => {
  expect([...samples.keys()].sort()).toEqual(['meshkit-rebalance.alerts', 'meshkit-rebalance.recording']);
  for (const [, list] of samples) expect(list.length).toBeGreaterThanOrEqual(OBSERVE_MS / 1000 / 2);
  for (const v of byGroup('prometheus_rule_group_iterations_missed_total').values()) expect(v).toBe(0);
  for (const v of byGroup('prometheus_rule_evaluation_failures_total').values()) expect(v).toBe(0);
  expect([...byGroup('prometheus_rule_group_iterations_total').values()].every((v) => v >= OBSERVE_MS / 1000 / 2)).toBe(true);
});

it('grouping: at most one notification per alert type per namespace/cluster, each carrying every alert of its group', () => {
  const deliveries = s.receivers.deliveries;
  const perGroup = new Map<string, Delivery[]>();
  for (const d of deliveries) perGroup.set(groupOf(d), [...(perGroup.get(groupOf(d)) ?? []), d]);
  for (const [group, list] of perGroup) expect({ group, notifications: list.length }).toEqual({ group, notifications: 1 });
  // every firing group was notified, once, with all of its alerts
  expect([...perGroup.keys()].sort()).toEqual([...firingGroups.keys()].sort());
  for (const [group, list] of perGroup) expect({ group, firing: firingCount(list[0]) }).toEqual({ group, firing: firingGroups.get(group) });

  const perClusterType = new Map<string, number>();
  for (const d of deliveries) {
    const [alertname, scope] = groupOf(d).split(' ');
    const key = `${alertname} ${scope.split('/')[0]}`;
    perClusterType.set(key, (perClusterType.get(key) ?? 0) + 1);
  }
  const history = s.hs.history;
  const evaluation = (name: string) => {
    const times = samples.get(name)!.map((x) => x.evaluationTime);
    return `${ms(quantile(times, 0))} min, ${ms(quantile(times, 0.5))} median, ${ms(quantile(times, 1))} max over ${times.length} evaluations (/api/v1/rules evaluationTime); last ${ms(byGroup('prometheus_rule_group_last_duration_seconds').get(name) ?? NaN)} (prometheus_rule_group_last_duration_seconds), ${byGroup('prometheus_rule_group_rules').get(name)} rules`;
  };
  const alerts = [...firingGroups.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(
    `\n[e2e hyperscale] ${HOURS} virtual h, seed ${SEED}, scraped every ${SCRAPE_INTERVAL_MS / 1000} s: ${history.series} series, ${history.samples} samples, ` +
      `${history.plansCreated} plans, ${history.movesStarted} moves; simulated in ${history.wallSeconds.toFixed(1)} s; stack ready ${((s.readyAt - s.hs.endMs) / 1000).toFixed(1)} s after the history's end\n` +
      `  rules: for: ×${FOR_SCALE.toFixed(4)}, evaluated every 1 s, observed ${OBSERVE_MS / 1000} s\n` +
      `  meshkit-rebalance.alerts:    ${evaluation('meshkit-rebalance.alerts')}\n` +
      `  meshkit-rebalance.recording: ${evaluation('meshkit-rebalance.recording')}\n` +
      `  alerts firing: ${alerts} in ${firingGroups.size} group(s) [${[...firingGroups].map(([g, n]) => `${g} ×${n}`).join(', ')}]\n` +
      `  notifications: ${deliveries.length} (PagerDuty ${s.receivers.of('pagerduty').length}, Teams ${s.receivers.of('msteams').length}); ` +
      `per cluster and alert type: ${[...perClusterType].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}\n` +
      deliveries.map((d) => `  → ${d.receiver}: "${titleOf(d)}"\n`).join(''),
  );
});
