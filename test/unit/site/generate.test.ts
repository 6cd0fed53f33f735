/**
 * What a site configuration generates: the defaults are exactly the checked-in outputs; the example
 * site (two namespace overrides, `cluster` renamed, own URLs, one alert off, a team label, grouping
 * by cluster) renders as configured, and its generated directory passes `verify` — promtool check
 * and the generated threshold tests, amtool, and the Kubernetes manifests against kubernetes-models.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { alertmanagerConfig } from '../../../src/alerting/alertmanager';
import { ruleGroups } from '../../../src/alerting/render';
import { DASHBOARD_FILES } from '../../../src/dashboards/render';
import { siteAlertmanagerConfig } from '../../../src/site/alertmanager';
import { siteDashboardFiles } from '../../../src/site/dashboards';
import { generateSite } from '../../../src/site/generate';
import { inlineTemplates, templateDefinitions } from '../../../src/site/inline-templates';
import { loadSiteConfig } from '../../../src/site/load';
import { siteRuleGroups } from '../../../src/site/rules';
import { verifySite } from '../../../src/site/verify';
import { STACK_TIMEOUT_MS, root, run, stack } from '../alerting/tools';

const example = loadSiteConfig(path.join(root, 'examples', 'site', 'site.yaml'));

/** Names of one grammar node type in a PromQL expression: `LabelName` (matchers and grouping), `Identifier` (series). */
function promqlNames(expr: string, type = 'LabelName'): Set<string> {
  const names = new Set<string>();
  const padded = expr.replace(/\$\{?__\w+\}?/g, (m) => `1${'0'.repeat(m.length - 2)}s`);
  parser.parse(padded).iterate({ enter: (n) => void (n.type.name === type && names.add(expr.slice(n.from, n.to))) });
  return names;
}
const labelNames = (expr: string) => promqlNames(expr);

describe('the default site configuration', () => {
  it('renders the checked-in rules, Alertmanager config and dashboards', () => {
    expect(siteRuleGroups({})).toEqual(ruleGroups());
    expect(siteAlertmanagerConfig({})).toEqual(alertmanagerConfig());
    const { dashboards, provisioning } = siteDashboardFiles({});
    for (const file of [DASHBOARD_FILES.exec, DASHBOARD_FILES.oncall]) {
      expect(dashboards[path.basename(file)]).toEqual(JSON.parse(readFileSync(path.join(root, file), 'utf8')));
    }
    for (const file of [DASHBOARD_FILES.dashboardProvider, DASHBOARD_FILES.datasourceProvider]) {
      expect(provisioning[path.relative('dashboards/provisioning', file)]).toEqual(parse(readFileSync(path.join(root, file), 'utf8')));
    }
  });
});

describe('the example site', () => {
  const [recording, alerting] = siteRuleGroups(example).groups;

  it('an overridden namespace has its own rule and is left out of the default one', () => {
    const stuck = alerting.rules.filter((r) => r.alert === 'MeshKitRebalancePlanStuck');
    expect(stuck.map((r) => r.labels.thresholds)).toEqual([undefined, 'namespace=payments', 'namespace=orders']);
    expect(stuck[0].expr).toContain('namespace!~"payments|orders"');
    expect(stuck[0].expr).toMatch(/> 1200$/);
    expect(stuck[1].expr).toContain('namespace="payments"');
    expect(stuck[1].expr).toMatch(/> 2700$/);
    expect(stuck[2].for).toBe('2m');
    expect(stuck[0].annotations).toMatchObject({ trace_url: 'https://jaeger.example.com/search?service=meshkit-rebalancer&tags=%7B%22meshkit.plan.id%22%3A%22{{ $labels.plan_id }}%22%7D' });
    // an alert no override touches keeps one rule for every scope
    expect(alerting.rules.filter((r) => r.alert === 'MeshKitRebalanceApprovalBacklog')).toHaveLength(1);
  });

  it('the disabled alert is gone; every alert carries the team label; links are the site\'s', () => {
    expect(alerting.rules.map((r) => r.alert)).not.toContain('MeshKitRebalancePolicyViolation');
    expect(alerting.rules.filter((r) => r.alert === 'MeshKitRebalanceNoLeader').map((r) => r.labels.severity)).toEqual(['page', 'page']);
    for (const rule of alerting.rules) {
      expect(rule.labels.team).toBe('storage-platform');
      expect(rule.annotations.runbook_url).toBe(`https://runbooks.example.com/meshkit/${rule.alert}.md`);
      expect(rule.annotations.dashboard_url.startsWith('https://grafana.example.com/d/')).toBe(true);
    }
  });

  it('`cluster` is renamed everywhere the rules, Alertmanager and dashboards name it', () => {
    for (const rule of [...recording.rules, ...alerting.rules]) {
      expect(labelNames(rule.expr).has('cluster')).toBe(false);
    }
    const annotations = JSON.stringify(alerting.rules.map((r) => r.annotations));
    expect(annotations).not.toMatch(/\$labels\.cluster\b/);
    expect(annotations).toContain('$labels.k8s_cluster');
    const am = siteAlertmanagerConfig(example);
    expect(am.route.group_by).toEqual(['k8s_cluster', 'alertname']);
    expect(am.inhibit_rules[0].equal).toEqual(['namespace', 'k8s_cluster']);
    const { dashboards, provisioning } = siteDashboardFiles(example);
    const text = JSON.stringify(dashboards);
    const exprs = [...text.matchAll(/"expr":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(exprs.length).toBeGreaterThan(20);
    for (const expr of exprs) expect(labelNames(expr).has('cluster')).toBe(false);
    expect(text).not.toContain('{{cluster}}');
    // recorded series: the level part names the labels kept, renamed; the dashboards read those names
    const recorded = recording.rules.map((r) => r.record);
    expect(recorded.filter((name) => !name.startsWith('namespace_k8s_cluster'))).toEqual([]);
    const read = [...new Set([...exprs, ...recording.rules.map((r) => r.expr)].flatMap((e) => [...promqlNames(e, 'Identifier')]).filter((n) => n.includes(':')))];
    expect(read.length).toBeGreaterThan(5);
    expect(read.filter((name) => !recorded.includes(name))).toEqual([]);
    // table columns titled by a label's name show the renamed label, and stay listed
    const organize = [...text.matchAll(/"renameByName":(\{[^}]*\})/g)].map((m) => JSON.parse(m[1]) as Record<string, string>);
    const included = [...text.matchAll(/"include":\{"names":(\[[^\]]*\])\}/g)].map((m) => JSON.parse(m[1]) as string[]);
    expect(organize).toHaveLength(4);
    for (const columns of organize) expect(columns).toMatchObject({ namespace: 'namespace', k8s_cluster: 'k8s_cluster' });
    for (const [i, names] of included.entries()) expect(names).toEqual(Object.values(organize[i]));
    expect(text).toContain('"refresh":"1m"');
    expect(text).toContain('fleet-prometheus');
    expect(JSON.stringify(provisioning)).toContain('"timeInterval":"60s"');
  });
});

describe('generate → verify', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'meshkit-site-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the example site in the Kubernetes format passes every check', async () => {
    const tools = await stack();
    const written = generateSite(example, dir, 'kubernetes');
    expect(written).toEqual(expect.arrayContaining(['prometheus/tests/site-thresholds.test.yml', 'kubernetes/prometheusrule.yaml', 'kubernetes/alertmanagerconfig.yaml', 'thresholds.md']));
    const steps = verifySite(dir, tools);
    expect(steps.filter((s) => !s.ok).map((s) => `${s.name}: ${s.detail}`)).toEqual([]);
    expect(steps.map((s) => s.name)).toEqual([
      'promtool check rules prometheus/rules/meshkit-rebalance.rules.yml',
      'promtool test rules prometheus/tests/site-thresholds.test.yml',
      'amtool check-config alertmanager/alertmanager.yml',
      'kubernetes-models: 7 objects',
      'promtool check rules (PrometheusRule in kubernetes/prometheusrule.yaml)',
      'PrometheusRule in kubernetes/prometheusrule.yaml holds prometheus/rules/meshkit-rebalance.rules.yml',
    ]);
  }, STACK_TIMEOUT_MS);

  it('the AlertmanagerConfig carries the notification templates inline, and they render as the template files do', async () => {
    const tools = await stack();
    const text = readFileSync(path.join(dir, 'kubernetes', 'alertmanagerconfig.yaml'), 'utf8');
    expect(text).not.toContain('{{ template');
    expect(text).toContain('$.CommonLabels.k8s_cluster');
    const templates = path.join(dir, 'alertmanager', 'templates');
    const names = [...readFileSync(path.join(templates, 'meshkit.tmpl'), 'utf8').matchAll(/\{\{ define "([^"]+)"/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(3);
    const calls = names.map((n) => `{{ template "${n}" . }}`).join('\n=====\n');
    const defs = new Map(readdirSync(templates).flatMap((f) => [...templateDefinitions(readFileSync(path.join(templates, f), 'utf8'))]));
    const empty = path.join(dir, 'empty.tmpl');
    writeFileSync(empty, '');
    const render = (glob: string, body: string) => run(tools.amtool, ['template', 'render', `--template.glob=${glob}`, `--template.text=${body}`]);
    const withFiles = render(path.join(templates, '*.tmpl'), calls);
    const inline = render(empty, inlineTemplates(calls, defs));
    expect(withFiles.status).toBe(0);
    expect(withFiles.stdout.split('=====')).toHaveLength(names.length);
    expect(inline).toEqual(withFiles);
  }, STACK_TIMEOUT_MS);

  it('a broken manifest or a wrong threshold test fails verify', async () => {
    const tools = await stack();
    const broken = path.join(dir, 'kubernetes', 'podmonitor.yaml');
    writeFileSync(broken, readFileSync(broken, 'utf8').replace('port: metrics', 'port: 9464'));
    const tests = path.join(dir, 'prometheus', 'tests', 'site-thresholds.test.yml');
    writeFileSync(tests, readFileSync(tests, 'utf8').replace('(limit 45m)', '(limit 15m)'));
    const failed = verifySite(dir, tools).filter((s) => !s.ok).map((s) => s.name);
    expect(failed).toEqual(['promtool test rules prometheus/tests/site-thresholds.test.yml', 'kubernetes-models: 7 objects']);
  }, STACK_TIMEOUT_MS);
});
