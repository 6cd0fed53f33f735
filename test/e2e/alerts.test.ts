/**
 * End to end on the real stack, one stack per scenario: each failing scenario's history, cut so it
 * ends NOW inside the window where its signal holds, is backfilled into Prometheus; the rules
 * generated from src/alerting fire; Alertmanager (the generated config) routes pages to a PagerDuty
 * Events v2 stand-in and tickets to a Microsoft Teams stand-in, both plain HTTP servers on
 * 127.0.0.1, whose payloads are checked. `steady` sends nothing.
 *
 * Compressed, and only that (details in harness.ts): `for:` ×1/60, evaluation every 1s,
 * Alertmanager group_wait 1s and group_interval 2s. Windows and thresholds are the shipped ones.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_ALERTING_CONFIG, dashboardUrl, runbookUrl, type AlertName } from '../../src/alerting/config';
import { parseDuration } from '../../src/alerting/promql';
import { ruleGroups } from '../../src/alerting/render';
import { findScenario } from '../../src/simulator/scenarios';
import {
  AlertWatch,
  FOR_SCALE,
  RECEIVER_OF,
  STACK_TIMEOUT_MS,
  cutPoint,
  dedupKeyOf,
  groupName,
  promAlerts,
  promRuleGroups,
  promSelfMetrics,
  renderedTestRules,
  routingKeyOf,
  sleep,
  startScenarioStack,
  until,
  type CutPoint,
  type Delivery,
  type PagerDutyEvent,
  type ScenarioStack,
  type WatchedAlert,
} from './harness';

const SEED = '1';
/** Long enough for any alert pending at rule load to fire (the longest compressed `for:` is 10s) and be delivered. */
const QUIET_MS = 17_000;
const DELIVERY_TIMEOUT_MS = 60_000;

const ALERT_RULES = ruleGroups().groups[1].rules;
const COMPRESSED_RULES = ruleGroups({ forScale: FOR_SCALE }).groups[1].rules;
const severityOf = (alert: string): string => {
  const severities = new Set(ALERT_RULES.filter((r) => r.alert === alert).map((r) => r.labels.severity));
  if (severities.size !== 1) throw new Error(`${alert}: severities ${[...severities].join(', ')}`);
  return [...severities][0];
};

interface Expected {
  alert: AlertName;
  /** `cluster/namespace` */
  scope: string;
}

interface Case {
  scenario: string;
  /** Alerts the real rules raise beside the scenario's declared signals, and why. */
  extra?: (Expected & { why: string })[];
  /** Labels the firing alert must carry beside alertname, cluster and namespace. */
  labels?: Record<string, string>;
}

const CASES: Case[] = [
  { scenario: 'stuck-plan' },
  { scenario: 'excessive-concurrency' },
  { scenario: 'limit-lowered' },
  { scenario: 'slow-drain' },
  { scenario: 'flapping' },
  { scenario: 'repeated-failures' },
  // cut while ledger's leader hangs (still exported, heartbeat frozen): the stale-heartbeat cause
  { scenario: 'heartbeat-loss', labels: { cause: 'stale_heartbeat' } },
  { scenario: 'policy-violation', labels: { policy: 'max_ownership_delta' } },
  { scenario: 'approval-backlog' },
  {
    scenario: 'mixed',
    extra: [{ alert: 'MeshKitRebalancePlanFailed', scope: 'eu-west-1/orders', why: "orders' plans fail (moves_failed) while its moves keep failing" }],
  },
];

/** One line per alert for the closing note, printed after the file. */
const report: string[] = [];
afterAll(() => {
  if (report.length > 0) process.stdout.write(`\n[e2e alerts] seed ${SEED}, for: ×${FOR_SCALE.toFixed(4)}, evaluation 1s, group_wait 1s\n${report.join('\n')}\n`);
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const splitScope = (scope: string) => {
  const [cluster, namespace] = scope.split('/');
  return { cluster, namespace };
};
const titleOf = (delivery: Delivery): string =>
  delivery.receiver === 'pagerduty' ? (delivery.body as PagerDutyEvent).payload.summary : delivery.body.attachments[0].content.body[0].text;
/** The group (`alertname cluster/namespace`) a notification is about, read from its title. */
const deliveredGroup = (delivery: Delivery): string => {
  const match = /^\[FIRING:\d+\] (\S+) ([^/\s]+)\/(\S+): /.exec(titleOf(delivery));
  return match ? `${match[1]} ${match[3]}/${match[2]}` : `unparsable: ${titleOf(delivery)}`;
};

test('the rules Prometheus evaluates are the shipped ones with only `for:` compressed', () => {
  const strip = (rules: typeof ALERT_RULES) => rules.map(({ for: _for, ...rest }) => rest);
  expect(strip(COMPRESSED_RULES)).toEqual(strip(ALERT_RULES));
  expect(ruleGroups({ forScale: FOR_SCALE }).groups[0]).toEqual(ruleGroups().groups[0]);
  const seconds = (d: string | undefined) => (d === undefined ? 0 : parseDuration(d));
  expect(COMPRESSED_RULES.map((r) => seconds(r.for))).toEqual(ALERT_RULES.map((r) => seconds(r.for) * FOR_SCALE));
  expect(Math.max(...COMPRESSED_RULES.map((r) => seconds(r.for)))).toBe(10);
});

describe.each(CASES.map((c) => [c.scenario, c] as const))('%s', (name, testCase) => {
  let cut: CutPoint;
  let s: ScenarioStack;
  let watch: AlertWatch;
  let expected: Expected[];

  beforeAll(async () => {
    cut = await cutPoint(name, SEED);
    expected = [...cut.holding.map(({ signal, scope }) => ({ alert: signal as AlertName, scope })), ...(testCase.extra ?? []).map(({ alert, scope }) => ({ alert, scope }))];
    s = await startScenarioStack({ scenario: name, seed: SEED, hours: cut.hours });
    watch = new AlertWatch(s.hs.stack.urls.prometheus);
    watch.start();
    const wanted = new Set(expected.map((e) => `${e.alert} ${e.scope}`));
    await until(
      `notifications for ${[...wanted].join(', ')}`,
      async () => ([...wanted].every((g) => s.receivers.deliveries.some((d) => deliveredGroup(d) === g)) ? true : undefined),
      DELIVERY_TIMEOUT_MS,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}; got ${s.receivers.deliveries.map(deliveredGroup).join(', ') || 'nothing'}`);
    });
    // anything unexpected has had time to fire and be delivered by then
    await sleep(Math.max(0, s.rulesLoadedAt + QUIET_MS - Date.now()));
    await watch.stop();
  }, STACK_TIMEOUT_MS);

  afterAll(async () => {
    await watch?.stop();
    await s?.stop();
  });

  it('cuts the history inside the window of its declared signals', () => {
    const scenario = findScenario(name)!;
    expect([...new Set(cut.holding.map((h) => h.signal))].sort()).toEqual([...scenario.alerts].sort());
    expect(cut.hours * 60).toBeGreaterThan(cut.windowMinutes[0]);
    expect(cut.hours * 60).toBeLessThan(cut.windowMinutes[1]);
  });

  it('the rules load and evaluate without errors', async () => {
    expect(readFileSync(s.files.ruleFile, 'utf8')).toBe(renderedTestRules());
    const groups = await promRuleGroups(s.hs.stack.urls.prometheus);
    expect(groups.map((g) => g.name).sort()).toEqual(ruleGroups().groups.map((g) => g.name).sort());
    const alerting = groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting');
    expect(alerting.map((r) => [r.name, r.duration])).toEqual(COMPRESSED_RULES.map((r) => [r.alert, r.for === undefined ? 0 : parseDuration(r.for)]));
    const unhealthy = groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`));
    expect(unhealthy).toEqual([]);
  });

  it('Prometheus fires exactly the expected alerts', async () => {
    const firing = (await promAlerts(s.hs.stack.urls.prometheus)).filter((a) => a.state === 'firing');
    expect([...new Set(firing.map((a) => groupName(a.labels)))].sort()).toEqual(expected.map((e) => `${e.alert} ${e.scope}`).sort());
    // nothing else even went pending while the test watched
    expect([...new Set(watch.all().map((w) => groupName(w.alert.labels)))].sort()).toEqual(expected.map((e) => `${e.alert} ${e.scope}`).sort());
    const declared: readonly string[] = findScenario(name)!.alerts;
    for (const a of firing) {
      expect(a.labels.severity).toBe(severityOf(a.labels.alertname));
      if (declared.includes(a.labels.alertname)) expect(a.labels).toMatchObject(testCase.labels ?? {});
    }
  });

  it('each alert group is notified once, pages to PagerDuty and tickets to Teams', () => {
    const received = s.receivers.deliveries.map((d) => ({ group: deliveredGroup(d), receiver: d.receiver }));
    expect(received.map((r) => r.group).sort()).toEqual(expected.map((e) => `${e.alert} ${e.scope}`).sort());
    for (const e of expected) {
      const [delivery] = received.filter((r) => r.group === `${e.alert} ${e.scope}`);
      expect({ group: delivery.group, receiver: delivery.receiver }).toEqual({ group: `${e.alert} ${e.scope}`, receiver: RECEIVER_OF[severityOf(e.alert)] });
    }
  });

  it('the payloads: PagerDuty events and Teams cards with the title, runbook and dashboard', () => {
    const routingKey = routingKeyOf(s.files);
    for (const e of expected) {
      const { cluster, namespace } = splitScope(e.scope);
      const delivery = s.receivers.deliveries.find((d) => deliveredGroup(d) === `${e.alert} ${e.scope}`)!;
      const alerts = watch.all().filter((w) => groupName(w.alert.labels) === `${e.alert} ${e.scope}`);
      expect(alerts).toHaveLength(1);
      const { annotations } = alerts[0].alert;
      const runbook = runbookUrl(DEFAULT_ALERTING_CONFIG, e.alert);
      const dashboard = dashboardUrl(DEFAULT_ALERTING_CONFIG, e.alert, { namespace, cluster });
      expect(annotations).toMatchObject({ runbook_url: runbook, dashboard_url: dashboard });
      const title = `[FIRING:1] ${e.alert} ${namespace}/${cluster}: ${annotations.summary}`;
      expect(annotations.summary).toContain(`${namespace}/${cluster}`);

      if (delivery.receiver === 'pagerduty') {
        const event = delivery.body as PagerDutyEvent;
        expect(delivery.path).toBe('/v2/enqueue');
        expect(event).toMatchObject({
          routing_key: routingKey,
          event_action: 'trigger',
          dedup_key: dedupKeyOf('page', { alertname: e.alert, cluster, namespace }),
          payload: { summary: title, severity: 'critical', custom_details: { namespace, cluster, runbook, dashboard } },
          client_url: dashboard,
        });
        expect(event.links).toEqual([
          { href: runbook, text: 'Runbook' },
          { href: dashboard, text: 'On-call dashboard' },
        ]);
      } else {
        expect(delivery.path).toBe(new URL(s.receivers.teamsUrl).pathname);
        const card = delivery.body.attachments[0];
        expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
        expect(card.content.body[0].text).toBe(title);
        expect(card.content.body[1].text).toContain(`[Runbook](${runbook})`);
        expect(card.content.body[1].text).toContain(`[Dashboard](${dashboard})`);
      }

      const watched: WatchedAlert = alerts[0];
      const ruleOf = (rules: typeof ALERT_RULES) => rules.find((r) => r.alert === e.alert && r.labels.cause === watched.alert.labels.cause)!;
      const forFull = ruleOf(ALERT_RULES).for ?? '0s';
      const forRun = ruleOf(COMPRESSED_RULES).for ?? '0s';
      report.push(
        `${name.padEnd(22)} ${e.alert.padEnd(42)} ${e.scope.padEnd(18)} for ${forFull === forRun ? forRun : `${forFull}→${forRun}`}: ` +
          `pending +${seconds(watched.activeAt - s.rulesLoadedAt)}, firing seen +${seconds((watched.firingSeenAt ?? NaN) - s.rulesLoadedAt)}, ` +
          `delivered +${seconds(delivery.at - s.rulesLoadedAt)} after the rules loaded (${seconds(delivery.at - s.hs.endMs)} after the history's end) → ${delivery.receiver}: "${titleOf(delivery)}"` +
          (delivery.receiver === 'pagerduty' ? ` dedup_key ${(delivery.body as PagerDutyEvent).dedup_key.slice(0, 12)}…` : ''),
      );
    }
  });
});

describe('steady', () => {
  let s: ScenarioStack;
  let watch: AlertWatch;

  beforeAll(async () => {
    s = await startScenarioStack({ scenario: 'steady', seed: SEED });
    watch = new AlertWatch(s.hs.stack.urls.prometheus);
    watch.start();
    await sleep(Math.max(0, s.rulesLoadedAt + QUIET_MS - Date.now()));
    await watch.stop();
  }, STACK_TIMEOUT_MS);

  afterAll(async () => {
    await watch?.stop();
    await s?.stop();
  });

  it('evaluates every rule, again and again, and none goes even pending; nothing reaches a receiver', async () => {
    const iterations = await promSelfMetrics(s.hs.stack.urls.prometheus, ['prometheus_rule_group_iterations_total']);
    expect([...iterations.values()].length).toBe(2);
    for (const count of iterations.values()) expect(count).toBeGreaterThanOrEqual(8);
    const groups = await promRuleGroups(s.hs.stack.urls.prometheus);
    expect(groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok'))).toEqual([]);
    expect(watch.all().map((w) => groupName(w.alert.labels))).toEqual([]);
    expect(await promAlerts(s.hs.stack.urls.prometheus)).toEqual([]);
    expect(await (await fetch(`${s.hs.stack.urls.alertmanager}/api/v2/alerts`)).json()).toEqual([]);
    expect(s.receivers.deliveries).toEqual([]);
    report.push(`${'steady'.padEnd(22)} no alert pending or firing over ${seconds(QUIET_MS)} of evaluations every 1s; 0 notifications`);
  });
});
