/**
 * The generated promtool tests of a site's thresholds: every enabled alert and every scope is
 * covered, the templates expand as Prometheus expands them, and the tests fail against rules whose
 * threshold differs from the site's by one step (or one event), field by field, whose default
 * rule no longer leaves the overridden namespaces out, or whose recorded series keep the shipped
 * names after a label rename.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ALERT_NAMES, THRESHOLD_SECTIONS, thresholdSection, type ThresholdSection } from '../../../src/alerting/config';
import { formatDuration, parseDuration } from '../../../src/alerting/promql';
import { ALERT_SCENARIOS } from '../../../src/site/alert-scenarios';
import { loadSiteConfig } from '../../../src/site/load';
import { renderSiteRuleTests, siteRuleTestCoverage, siteRuleTests } from '../../../src/site/promtool-tests';
import { siteAlertingConfig, withThresholds } from '../../../src/site/resolve';
import { renderSiteRules, siteRuleGroups } from '../../../src/site/rules';
import { expandTemplate, humanizeDuration } from '../../../src/site/template-expand';
import type { SiteConfig } from '../../../src/site/types';
import { STACK_TIMEOUT_MS, root, run, stack } from '../alerting/tools';

const example = loadSiteConfig(path.join(root, 'examples', 'site', 'site.yaml'));

interface TestGroup {
  name: string;
  alert_rule_test: { eval_time: string; alertname: string; exp_alerts?: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] }[];
}
const groupsOf = (site: SiteConfig) => (siteRuleTests(site, 'rules.yml') as { tests: TestGroup[] }).tests;

describe('coverage of the generated tests', () => {
  const groups = groupsOf(example);
  const rules = siteRuleGroups(example).groups[1].rules;

  it('every alert the rules can render has scenarios', () => {
    expect(new Set(ALERT_SCENARIOS.map((s) => s.alert))).toEqual(new Set(ALERT_NAMES));
  });

  it('every enabled rule (alert × scope) fires in a test and is checked quiet in one; the disabled alert has none', () => {
    for (const rule of rules) {
      const scope = rule.labels.thresholds ? rule.labels.thresholds.replace('=', ' ') : 'the default thresholds';
      const own = groups.filter((g) => g.name.startsWith(`${rule.alert}${rule.labels.cause ? ` (${rule.labels.cause})` : ''}, ${scope} (`));
      const checks = own.flatMap((g) => g.alert_rule_test);
      expect([rule.alert, checks.some((c) => c.exp_alerts?.some((a) => JSON.stringify(a.exp_labels) === JSON.stringify({ ...rule.labels, ...a.exp_labels })))]).toEqual([rule.alert, true]);
      expect([rule.alert, checks.some((c) => !c.exp_alerts)]).toEqual([rule.alert, true]);
    }
    expect(groups.filter((g) => g.name.includes('PolicyViolation'))).toEqual([]);
    expect(siteRuleTestCoverage(example)).toEqual({ alerts: ALERT_NAMES.length - 1, rules: rules.length, groups: groups.length });
  });

  it('an override\'s scope, past its own and the default thresholds, expects its own alert only', () => {
    const beyond = groups.filter((g) => g.name.includes('past every scope') || g.name.includes('for every scope'));
    expect(beyond.map((g) => g.name.split(':')[0])).toEqual([
      'MeshKitRebalancePlanStuck, namespace payments (payments/site-test-default)',
      'MeshKitRebalancePlanStuck, namespace orders (orders/site-test-default)',
      'MeshKitRebalanceNoLeader, namespace orders (orders/site-test-default)',
    ]);
    for (const g of beyond) expect(g.alert_rule_test.map((c) => c.exp_alerts?.map((a) => a.exp_labels.thresholds))).toEqual([[expect.stringMatching(/^namespace=/)]]);
  });

  it('a window shorter than two minutes makes the step shorter, so the window still spans two', () => {
    const tests = siteRuleTests({ thresholds: { planFailed: { window: '90s' } } }, 'rules.yml') as { evaluation_interval: string };
    expect(tests.evaluation_interval).toBe('45s');
  });

  it('an empty site is tested too (the shipped thresholds)', () => {
    expect(siteRuleTestCoverage({})).toMatchObject({ alerts: ALERT_NAMES.length, rules: siteRuleGroups({}).groups[1].rules.length });
  });
});

describe('template expansion', () => {
  it('humanizeDuration prints what Prometheus prints', () => {
    expect([0, 0.25, 1, 16, 15.5, 61, 3600, 3661, 90061].map(humanizeDuration)).toEqual(['0s', '250ms', '1s', '16s', '15.5s', '1m 1s', '1h 0m 0s', '1h 1m 1s', '1d 1h 1m 1s']);
  });

  it('expands label, value and query forms; an unknown form or label throws', () => {
    const data = { labels: { namespace: 'a', k8s_cluster: 'b' }, value: 3, queries: { m_total: 7 } };
    expect(expandTemplate('{{ $labels.namespace }}/{{ $labels.k8s_cluster }}: {{ printf "%.0f" $value }}', data)).toBe('a/b: 3');
    expect(expandTemplate('{{ with printf "sum(m_total{namespace=%q, k8s_cluster=%q})" $labels.namespace $labels.k8s_cluster | query }}{{ . | first | value | printf "%.0f" }}{{ end }}', data)).toBe('7');
    expect(() => expandTemplate('{{ $value | humanize }}', data)).toThrow(/cannot expand/);
    expect(() => expandTemplate('{{ $labels.cluster }}', data)).toThrow(/does not carry/);
    expect(() => expandTemplate('{{ with printf "sum(other{namespace=%q})" $labels.namespace | query }}{{ . | first | value | printf "%.0f" }}{{ end }}', data)).toThrow(/no result/);
  });
});

/** One threshold of one scope moved past what the tests were generated for. */
interface Mutation {
  name: string;
  alerts: string[];
  site: SiteConfig;
}

/** A threshold one event or one minute up or down; undefined where down would leave the valid range. */
function bump(value: string | number, by: 1 | -1): string | number | undefined {
  if (typeof value === 'number') return value + by >= 0 ? value + by : undefined;
  const seconds = parseDuration(value) + 60 * by;
  return seconds >= 0 ? formatDuration(seconds) : undefined;
}
const BUMPS = [1, -1] as const;

/** Every field of every section an enabled alert reads, for the default scope and each override. */
function mutations(site: SiteConfig): Mutation[] {
  const enabled = siteRuleGroups(site).groups[1].rules.map((r) => r.alert);
  const readers = (section: ThresholdSection) => [...new Set(enabled.filter((a) => thresholdSection(a) === section))];
  const base = siteAlertingConfig(site);
  const out: Mutation[] = [];
  for (const section of THRESHOLD_SECTIONS) {
    const alerts = readers(section);
    if (alerts.length === 0) continue;
    for (const [field, value] of Object.entries(base[section])) {
      for (const by of BUMPS) {
        const moved = bump(value as string | number, by);
        if (moved === undefined) continue;
        const thresholds = { ...site.thresholds, [section]: { ...site.thresholds?.[section], [field]: moved } };
        out.push({ name: `default ${section}.${field} ${value} → ${moved}`, alerts, site: { ...site, thresholds } });
      }
    }
    for (const [i, o] of (site.overrides ?? []).entries()) {
      const own = o.thresholds[section];
      if (!own) continue;
      const effective = withThresholds(base, o.thresholds)[section] as unknown as Record<string, string | number>;
      for (const field of Object.keys(own)) {
        for (const by of BUMPS) {
          const moved = bump(effective[field], by);
          if (moved === undefined) continue;
          const overrides = (site.overrides ?? []).map((x, j) => (j === i ? { ...x, thresholds: { ...x.thresholds, [section]: { ...own, [field]: moved } } } : x));
          out.push({ name: `${o.namespace ?? o.cluster} ${section}.${field} ${effective[field]} → ${moved}`, alerts, site: { ...site, overrides } });
        }
      }
    }
  }
  return out;
}

/** Unlike the example: a cluster override, every label renamed, a selector, a window under two minutes. */
const varied: SiteConfig = {
  // long windows cost promtool a step each: shorter ones keep the run light
  thresholds: {
    planFailed: { window: '90s' },
    repeatedFailures: { threshold: 2 },
    heartbeat: { for: '30s', vanishedLookback: '20m' },
    shardFlapping: { window: '20m' },
    movesAboveLoweredLimit: { drainBudget: '10m' },
  },
  overrides: [
    { cluster: 'eu-west-1', thresholds: { heartbeat: { missed: 5, vanishedFor: '5m' }, shardFlapping: { threshold: 2, window: '25m' }, telemetryRejected: { threshold: 2 } } },
    {
      namespace: 'orders',
      thresholds: {
        approvalBacklog: { oldestPendingOver: '1h', for: '5m' },
        movesAboveLoweredLimit: { drainBudget: '15m' },
        planOverrun: { for: '20m' },
        excessiveConcurrentMoves: { window: '5m' },
        policyViolation: { window: '20m' },
        noLeader: { for: '90s' },
      },
    },
  ],
  labelNames: { namespace: 'mesh_namespace', cluster: 'k8s_cluster', job: 'service', instance: 'pod' },
  selector: { env: 'prod' },
  alerts: { severity: { MeshKitRebalanceShardFlapping: 'page' } },
  labels: { team: 'platform' },
};

describe('the generated tests can fail', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'meshkit-site-mutants-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('against rules one step or one event off in any field of any scope, a default rule that takes in an overridden namespace, or series recorded under the shipped names', async () => {
    const { promtool } = await stack();
    const tests = siteRuleTests(example, 'rules.yml') as { tests: TestGroup[] };
    const tested = (alerts: readonly string[], name: string) => alerts.some((a) => name.startsWith(`${a},`) || name.startsWith(`${a} (`));
    // only the mutated alerts' rules and test groups: promtool evaluates every rule at every step
    const file = (name: string, site: SiteConfig, alerts: readonly string[], edit: (expr: string) => string = (e) => e) => {
      const rules = siteRuleGroups(site).groups[1];
      const kept = { ...rules, rules: rules.rules.filter((r) => alerts.includes(r.alert)).map((r) => ({ ...r, expr: edit(r.expr) })) };
      writeFileSync(path.join(dir, `${name}.rules.yml`), stringify({ groups: [kept] }, { lineWidth: 0 }));
      writeFileSync(path.join(dir, `${name}.test.yml`), stringify({ ...tests, rule_files: [`${name}.rules.yml`], tests: tests.tests.filter((g) => tested(alerts, g.name)) }, { lineWidth: 0 }));
      return path.join(dir, `${name}.test.yml`);
    };
    const all = mutations(example);
    // the 20 fields of the 11 sections enabled alerts read and the four the overrides set, each up
    // and down, except down from 0 (two for:, one threshold) and from the 5s heartbeat interval
    expect(all.length).toBe(44);
    const stuck = ['MeshKitRebalancePlanStuck'];
    const exclusion = 'namespace!~"payments|orders"';
    expect(siteRuleGroups(example).groups[1].rules.filter((r) => r.expr.includes(exclusion)).map((r) => r.alert)).toEqual(stuck);
    const mutants = [
      ...all.map((m, i) => ({ name: m.name, file: file(`m${i}`, m.site, m.alerts) })),
      { name: 'default rule without the exclusion', file: file('leaky', example, stuck, (e) => e.replaceAll(`, ${exclusion}`, '').replaceAll(`{${exclusion}}`, '')) },
    ];
    const control = file('control', example, ALERT_NAMES);
    // the recorded series: the whole rule file, only the recording test group
    const whole = (name: string, rules: string) => {
      writeFileSync(path.join(dir, `${name}.rules.yml`), rules);
      writeFileSync(path.join(dir, `${name}.test.yml`), stringify({ ...tests, rule_files: [`${name}.rules.yml`], tests: tests.tests.filter((g) => g.name.startsWith('recorded series')) }, { lineWidth: 0 }));
      return path.join(dir, `${name}.test.yml`);
    };
    const recordingControl = whole('recording-control', renderSiteRules(example));
    mutants.push({ name: 'recorded series under the shipped names', file: whole('recording-shipped', renderSiteRules(example).replaceAll('namespace_k8s_cluster', 'namespace_cluster')) });

    // one promtool run for every file; it reports each file apart. A mutant counts as caught only
    // when an alert check failed (not when its files failed to load)
    const log = path.join(dir, 'promtool.log');
    const fd = openSync(log, 'w');
    try {
      // stdout and stderr into one file, so each failure stays under its file's heading
      spawnSync(promtool, ['test', 'rules', control, recordingControl, ...mutants.map((m) => m.file)], { stdio: ['ignore', fd, fd], timeout: 300_000 });
    } finally {
      closeSync(fd);
    }
    const verdict = (chunk: string) => (/^\s+SUCCESS$/m.test(chunk) ? 'pass' : /(alertname: \w+|expr: .+), time: \w+/.test(chunk) ? 'fail' : chunk);
    const verdicts = Object.fromEntries(readFileSync(log, 'utf8').split('Processing test file: ').slice(1).map((chunk) => [chunk.slice(0, chunk.indexOf('\n')).trim(), verdict(chunk)]));
    expect([verdicts[control], verdicts[recordingControl]]).toEqual(['pass', 'pass']);
    expect(mutants.filter((m) => verdicts[m.file] !== 'fail').map((m) => m.name)).toEqual([]);
  }, STACK_TIMEOUT_MS);

  it('and pass for a site unlike the example, at a 45s step', async () => {
    const { promtool } = await stack();
    writeFileSync(path.join(dir, 'varied.rules.yml'), renderSiteRules(varied));
    writeFileSync(path.join(dir, 'varied.test.yml'), renderSiteRuleTests(varied, 'varied.rules.yml'));
    expect(siteRuleTestCoverage(varied)).toEqual({ alerts: ALERT_NAMES.length, rules: 25, groups: 41 });
    const result = run(promtool, ['test', 'rules', path.join(dir, 'varied.test.yml')]);
    expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  }, STACK_TIMEOUT_MS);
});
