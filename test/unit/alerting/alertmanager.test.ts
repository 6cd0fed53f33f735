/**
 * alerting/alertmanager/: `amtool check-config` passes, routing agrees with the rules' severities,
 * the templates render readable titles and links (amtool with sample data), and a real Alertmanager
 * delivers pages to PagerDuty and tickets to Teams with those titles and links while a missing
 * heartbeat inhibits the rest of its cluster.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERTMANAGER_FILE, INHIBITING_ALERT, RECEIVERS, alertmanagerConfig } from '../../../src/alerting/alertmanager';
import { DEFAULT_ALERTING_CONFIG, SEVERITIES, dashboardUrl, runbookUrl, type AlertName } from '../../../src/alerting/config';
import { ruleGroups } from '../../../src/alerting/render';
import { spawn, type ChildProcess } from 'node:child_process';
import { fetchText, freePort } from '../../helpers/net';
import { STACK_TIMEOUT_MS, alertingDir, root, run, stack } from './tools';

const configFile = path.join(root, ALERTMANAGER_FILE);
const templateGlob = path.join(alertingDir, 'alertmanager', 'templates', '*.tmpl');
const alertRules = ruleGroups().groups[1].rules;

let amtool: string;
let alertmanagerBinary: string;
let tmp: string;
beforeAll(async () => {
  const binaries = await stack();
  amtool = binaries.amtool;
  alertmanagerBinary = binaries.alertmanager;
  tmp = mkdtempSync(path.join(tmpdir(), 'meshkit-am-'));
}, STACK_TIMEOUT_MS);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Labels = Record<string, string>;

/** An alert as Prometheus would send it: the rule's annotations with its labels filled in. */
function alertOf(name: AlertName, labels: Labels, value = '16m 0s') {
  const rule = alertRules.find((r) => r.alert === name)!;
  const all: Labels = { alertname: name, ...rule.labels, ...labels };
  const fill = (text: string) =>
    text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => all[l] ?? '').replace(/\{\{[^}]*\$value[^}]*\}\}/g, value).replace(/\{\{.*?\{\{ end \}\}/g, '2');
  return {
    labels: all,
    annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, fill(v)])),
  };
}

const scope = { namespace: 'payments', cluster: 'eu-west-1' };
const stuck = (planId: string, where: Labels = scope) => alertOf('MeshKitRebalancePlanStuck', { ...where, plan_id: planId });
const runbook = (name: AlertName) => runbookUrl(DEFAULT_ALERTING_CONFIG, name);
const panel = (name: AlertName, where: Labels = scope) => dashboardUrl(DEFAULT_ALERTING_CONFIG, name, where);

describe('alertmanager.yml', () => {
  it('passes amtool check-config (receivers, routes, inhibit rule, templates)', () => {
    const result = run(amtool, ['check-config', configFile]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.stdout).toMatch(/- 2 receivers\n - 1 templates/);
  });

  it('pages go to PagerDuty, tickets to Microsoft Teams (Workflows), with secrets read from files', () => {
    const config = parse(readFileSync(configFile, 'utf8'));
    const receiver = (name: string) => config.receivers.find((r: { name: string }) => r.name === name);
    expect(receiver(RECEIVERS.page).pagerduty_configs[0].routing_key_file).toBe(DEFAULT_ALERTING_CONFIG.alertmanager.pagerdutyRoutingKeyFile);
    expect(receiver(RECEIVERS.ticket).msteamsv2_configs[0].webhook_url_file).toBe(DEFAULT_ALERTING_CONFIG.alertmanager.msteamsWebhookUrlFile);
    expect(config.route.group_by).toEqual(['cluster', 'namespace', 'alertname']);
  });

  it.each(alertRules.map((r) => [r.alert, r.labels.severity] as const))('routes %s (%s) to the receiver of its severity', (name, severity) => {
    expect(SEVERITIES).toContain(severity);
    const result = run(amtool, ['config', 'routes', 'test', `--config.file=${configFile}`, `alertname=${name}`, `severity=${severity}`, ...Object.entries(scope).map(([k, v]) => `${k}=${v}`)]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(RECEIVERS[severity as keyof typeof RECEIVERS]);
  });

  it('the inhibit rule names an alert of the rules and targets every other one', () => {
    const [rule] = alertmanagerConfig().inhibit_rules;
    const names = [...new Set(alertRules.map((r) => r.alert))];
    expect(names).toContain(INHIBITING_ALERT);
    const target = new RegExp(`^${/alertname=~"(.+)"/.exec(rule.target_matchers[0])![1]}$`);
    expect(names.filter((n) => target.test(n) && n !== INHIBITING_ALERT)).toEqual(names.filter((n) => n !== INHIBITING_ALERT));
    expect(alertRules.find((r) => r.alert === INHIBITING_ALERT)!.labels.severity).toBe('page');
  });
});

describe('templates (amtool template render)', () => {
  function render(template: string, data: object): string {
    const file = path.join(tmp, `data-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(data));
    const result = run(amtool, ['template', 'render', `--template.glob=${templateGlob}`, `--template.text={{ template "${template}" . }}`, `--template.data=${file}`]);
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout;
  }

  /** template.Data as Alertmanager builds it for one notification. */
  function notification(alerts: ReturnType<typeof alertOf>[], status = 'firing') {
    const common = <K extends 'labels' | 'annotations'>(key: K) =>
      Object.fromEntries(Object.entries(alerts[0][key]).filter(([k, v]) => alerts.every((a) => (a[key] as Labels)[k] === v)));
    return {
      receiver: RECEIVERS.page,
      status,
      alerts: alerts.map((a, i) => ({ status, ...a, startsAt: '2026-11-30T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `f${i}` })),
      groupLabels: { alertname: alerts[0].labels.alertname, ...scope },
      commonLabels: common('labels'),
      commonAnnotations: common('annotations'),
      externalURL: 'http://alertmanager.example:9093',
    };
  }

  it('a single alert: status, count, alert name, scope and summary in the title', () => {
    expect(render('meshkit.title', notification([stuck('p-42')]))).toBe(
      '[FIRING:1] MeshKitRebalancePlanStuck payments/eu-west-1: Rebalance plan p-42 in payments/eu-west-1 is stuck',
    );
  });

  it('a group of alerts: the count instead of differing summaries', () => {
    expect(render('meshkit.title', notification([stuck('p-42'), stuck('p-43')]))).toBe('[FIRING:2] MeshKitRebalancePlanStuck payments/eu-west-1: 2 alerts');
  });

  it('a group of one cluster\'s namespaces (a site grouping by cluster): the cluster alone', () => {
    const data = { ...notification([stuck('p-42'), stuck('p-43', { namespace: 'orders', cluster: 'eu-west-1' })]), groupLabels: { alertname: 'MeshKitRebalancePlanStuck', cluster: 'eu-west-1' } };
    expect(render('meshkit.title', data)).toBe('[FIRING:2] MeshKitRebalancePlanStuck eu-west-1: 2 alerts');
  });

  it('a resolved group', () => {
    expect(render('meshkit.title', notification([stuck('p-42')], 'resolved'))).toBe(
      '[RESOLVED] MeshKitRebalancePlanStuck payments/eu-west-1: Rebalance plan p-42 in payments/eu-west-1 is stuck',
    );
  });

  it('an alert without namespace and cluster', () => {
    const rejected = alertOf('MeshKitRebalanceTelemetryRejected', { job: 'meshkit-rebalancer', instance: '10.0.0.1:9464', hook: 'moveCompleted', reason: 'unknown_move' }, '1');
    expect(render('meshkit.title', notification([rejected]))).toBe(
      '[FIRING:1] MeshKitRebalanceTelemetryRejected: Rebalance telemetry rejected moveCompleted calls on 10.0.0.1:9464',
    );
    expect(render('meshkit.dashboard_url', notification([rejected]))).toBe(panel('MeshKitRebalanceTelemetryRejected', {}));
  });

  it('the runbook and dashboard links of the group', () => {
    const data = notification([stuck('p-42'), stuck('p-43')]);
    expect(render('meshkit.runbook_url', data)).toBe(runbook('MeshKitRebalancePlanStuck'));
    expect(render('meshkit.dashboard_url', data)).toBe(panel('MeshKitRebalancePlanStuck'));
    expect(panel('MeshKitRebalancePlanStuck')).toBe(
      'http://localhost:3000/d/meshkit-rebalance-oncall/meshkit-rebalance-on-call?viewPanel=4&var-namespace=payments&var-cluster=eu-west-1',
    );
  });

  it('the text: one line per alert with its severity, summary, description, plan and links', () => {
    const text = render('meshkit.text', notification([stuck('p-42'), stuck('p-43')]));
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '- PAGE: **Rebalance plan p-42 in payments/eu-west-1 is stuck**. Plan p-42 (namespace payments, cluster eu-west-1) has been executing ' +
        'without progress for 16m 0s (limit 15m); no move started, drained, handed off or completed. Its shards may be held in Draining. ' +
        `Plan: \`p-42\`. [Runbook](${runbook('MeshKitRebalancePlanStuck')}) · [Dashboard](${panel('MeshKitRebalancePlanStuck')})`,
    );
    expect(lines[1]).toContain('**Rebalance plan p-43 in payments/eu-west-1 is stuck**');
  });
});

describe('a running Alertmanager', () => {
  const pagerduty: Record<string, unknown>[] = [];
  const teams: Record<string, unknown>[] = [];
  let receiver: Server;
  let am: ChildProcess | undefined;
  let amOutput = '';
  let api: string;

  beforeAll(async () => {
    // PagerDuty and Teams stand-ins on 127.0.0.1.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        (req.url === '/pagerduty' ? pagerduty : teams).push(JSON.parse(body));
        res.writeHead(req.url === '/pagerduty' ? 202 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    // The generated config with the secrets in temporary files, the PagerDuty endpoint pointed at the
    // stand-in, and no group wait.
    const dir = path.join(tmp, 'am');
    cpSync(path.join(alertingDir, 'alertmanager', 'templates'), path.join(dir, 'templates'), { recursive: true });
    writeFileSync(path.join(dir, 'routing-key'), 'test-routing-key\n');
    writeFileSync(path.join(dir, 'teams-url'), `${hooks}/teams\n`);
    const config = alertmanagerConfig({
      alertmanager: { pagerdutyRoutingKeyFile: path.join(dir, 'routing-key'), msteamsWebhookUrlFile: path.join(dir, 'teams-url'), groupWait: '1s', groupInterval: '1s' },
    });
    Object.assign(config.receivers[0].pagerduty_configs![0], { url: `${hooks}/pagerduty` });
    writeFileSync(path.join(dir, 'alertmanager.yml'), stringify(config));

    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v2`;
    am = spawn(
      alertmanagerBinary,
      [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    am.stdout!.on('data', (chunk: Buffer) => (amOutput += chunk.toString()));
    am.stderr!.on('data', (chunk: Buffer) => (amOutput += chunk.toString()));
    try {
      await fetchText(`http://127.0.0.1:${port}/-/ready`, 30_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${amOutput}`);
    }
  }, 60_000);

  afterAll(async () => {
    if (am && am.exitCode === null && am.signalCode === null) {
      const exited = new Promise((resolve) => am!.once('exit', resolve));
      am.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('pages go to PagerDuty and tickets to Teams, titled and linked; a missing heartbeat inhibits the rest of its cluster', async () => {
    const usEast = { namespace: 'payments', cluster: 'us-east-1' };
    const orders = { namespace: 'orders', cluster: 'us-east-1' };
    const alerts = [
      alertOf(INHIBITING_ALERT as AlertName, { ...scope, controller: 'rebalancer-0' }, '2m 0s'),
      stuck('p-1'),
      alertOf('MeshKitRebalancePolicyViolation', { ...scope, policy: 'incident_freeze' }, '1'),
      stuck('p-2', usEast),
      alertOf('MeshKitRebalancePolicyViolation', { ...orders, policy: 'incident_freeze' }, '1'),
    ];
    const posted = await fetch(`${api}/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    expect(posted.status).toBe(200);

    const deadline = Date.now() + 30_000;
    while ((pagerduty.length < 2 || teams.length < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2500)); // anything inhibited would have been sent by now

    // Two pages: the heartbeat of eu-west-1 and the stuck plan of us-east-1; one ticket: orders.
    const pages = pagerduty.map((event) => event as { payload: { summary: string }; links: { href: string; text: string }[]; client_url: string });
    expect(pages.map((e) => e.payload.summary).sort()).toEqual([
      '[FIRING:1] MeshKitRebalanceControllerHeartbeatMissing payments/eu-west-1: Rebalance leader rebalancer-0 in payments/eu-west-1 is not heartbeating',
      '[FIRING:1] MeshKitRebalancePlanStuck payments/us-east-1: Rebalance plan p-2 in payments/us-east-1 is stuck',
    ]);
    const stuckPage = pages.find((e) => e.payload.summary.includes('PlanStuck'))!;
    expect(stuckPage.links).toEqual([
      { href: runbook('MeshKitRebalancePlanStuck'), text: 'Runbook' },
      { href: panel('MeshKitRebalancePlanStuck', usEast), text: 'On-call dashboard' },
    ]);
    expect(stuckPage.client_url).toBe(panel('MeshKitRebalancePlanStuck', usEast));

    expect(teams).toHaveLength(1);
    const card = JSON.stringify(teams[0]);
    expect(card).toContain('[FIRING:1] MeshKitRebalancePolicyViolation orders/us-east-1: Rebalance policy incident_freeze blocked a plan in orders/us-east-1');
    expect(card).toContain(`[Runbook](${runbook('MeshKitRebalancePolicyViolation')})`);
    expect(card).toContain(`[Dashboard](${panel('MeshKitRebalancePolicyViolation', orders)})`);

    // Alertmanager's own view: the eu-west-1 stuck plan and policy ticket are suppressed by the heartbeat.
    const state = (await (await fetch(`${api}/alerts`)).json()) as { labels: Labels; status: { state: string; inhibitedBy: string[] } }[];
    const of = (name: string, cluster: string, namespace = 'payments') =>
      state.find((a) => a.labels.alertname === name && a.labels.cluster === cluster && a.labels.namespace === namespace)!.status;
    expect(of('MeshKitRebalancePlanStuck', 'eu-west-1')).toMatchObject({ state: 'suppressed', inhibitedBy: [expect.any(String)] });
    expect(of('MeshKitRebalancePolicyViolation', 'eu-west-1')).toMatchObject({ state: 'suppressed' });
    expect(of(INHIBITING_ALERT, 'eu-west-1')).toMatchObject({ state: 'active', inhibitedBy: [] });
    expect(of('MeshKitRebalancePlanStuck', 'us-east-1')).toMatchObject({ state: 'active' });
    expect(of('MeshKitRebalancePolicyViolation', 'us-east-1', 'orders')).toMatchObject({ state: 'active' });
  }, 60_000);
});
