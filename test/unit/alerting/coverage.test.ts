/**
 * Alert policy as code, read from the checked-in files: every alert has a firing and a quiet promtool
 * case, and carries a severity, a summary, a description, a runbook link from the one pattern and a
 * link to its panel on the on-call dashboard.
 */
import path from 'node:path';
import { ALERT_NAMES, ALERT_PANELS, DEFAULT_ALERTING_CONFIG, ONCALL_DASHBOARD_UID, SEVERITIES, runbookUrl } from '../../../src/alerting/config';
import { RECORDED } from '../../../src/alerting/recording-rules';
import { RULES_FILE } from '../../../src/alerting/render';
import { readYaml, root, testFiles } from './tools';

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
}
interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: { exp_labels?: Record<string, string> }[] | null;
}
/** An alerting rule as far as coverage goes: its name and the labels it sets. */
interface CoveredRule {
  alert: string;
  labels: Record<string, string>;
}
interface TestFile {
  rule_files: string[];
  tests: { name?: string; alert_rule_test?: AlertRuleTest[] }[];
}

/**
 * What the fixtures lack: a rule with no case where it fires (an expected alert carrying the rule's
 * labels, so two rules of one alert each need theirs), an alert with no case where it stays quiet
 * (an `alert_rule_test` with no `exp_alerts`), and cases naming an alert the rules do not define
 * (promtool passes those vacuously).
 */
function coverageGaps(rules: readonly CoveredRule[], files: readonly TestFile[]): string[] {
  const names = new Set(rules.map((r) => r.alert));
  const tests = files.flatMap((file) => (file.tests ?? []).flatMap((group) => group.alert_rule_test ?? []));
  const gaps: string[] = [];
  for (const test of tests) {
    if (!names.has(test.alertname)) gaps.push(`${test.alertname}: tested at ${test.eval_time} but no rule defines it`);
  }
  for (const rule of rules) {
    const carries = (expected: { exp_labels?: Record<string, string> }) =>
      Object.entries(rule.labels).every(([k, v]) => expected.exp_labels?.[k] === v);
    const fires = tests.some((t) => t.alertname === rule.alert && (t.exp_alerts ?? []).some(carries));
    const labels = Object.entries(rule.labels).map(([k, v]) => `${k}="${v}"`).join(', ');
    if (!fires) gaps.push(`${rule.alert}{${labels}}: no case where it fires`);
  }
  for (const name of names) {
    if (!tests.some((t) => t.alertname === name && (t.exp_alerts ?? []).length === 0)) gaps.push(`${name}: no case where it stays quiet`);
  }
  return gaps;
}

const rules = readYaml<RuleFile>(path.join(root, RULES_FILE));
const alertRules = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
const alertNames = [...new Set(alertRules.map((r) => r.alert!))];
const fixtures = testFiles().map((file) => ({ file, content: readYaml<TestFile>(file) }));

describe('alert coverage', () => {
  it('the rule file defines exactly the alerts of ALERT_NAMES', () => {
    expect([...alertNames].sort()).toEqual([...ALERT_NAMES].sort());
  });

  it('every alert has a firing and a quiet promtool case', () => {
    const covered = alertRules.map((r) => ({ alert: r.alert!, labels: r.labels ?? {} }));
    expect(coverageGaps(covered, fixtures.map((f) => f.content))).toEqual([]);
  });

  it('every fixture tests the generated rule file', () => {
    for (const { file, content } of fixtures) {
      expect(content.rule_files.map((r) => path.resolve(path.dirname(file), r))).toEqual([path.join(root, RULES_FILE)]);
    }
  });

  describe('coverageGaps', () => {
    const file = (tests: AlertRuleTest[]): TestFile => ({ rule_files: [], tests: [{ alert_rule_test: tests }] });
    const fires = (alertname: string, exp_labels: Record<string, string> = { severity: 'page' }): AlertRuleTest => ({
      eval_time: '1m',
      alertname,
      exp_alerts: [{ exp_labels }],
    });
    const quiet = (alertname: string, exp_alerts?: []): AlertRuleTest => ({ eval_time: '1m', alertname, ...(exp_alerts ? { exp_alerts } : {}) });
    const rule = (alert: string, labels: Record<string, string> = { severity: 'page' }) => ({ alert, labels });

    it('accepts a firing and a quiet case, in any files', () => {
      expect(coverageGaps([rule('A')], [file([fires('A')]), file([quiet('A', [])])])).toEqual([]);
    });

    it('reports an alert without a firing case', () => {
      expect(coverageGaps([rule('A'), rule('B')], [file([fires('A'), quiet('A'), quiet('B')])])).toEqual(['B{severity="page"}: no case where it fires']);
    });

    it('reports each rule of an alert without a firing case of its own', () => {
      const rules = [rule('A', { severity: 'page', cause: 'x' }), rule('A', { severity: 'page', cause: 'y' })];
      expect(coverageGaps(rules, [file([fires('A', { severity: 'page', cause: 'x' }), quiet('A')])])).toEqual([
        'A{severity="page", cause="y"}: no case where it fires',
      ]);
    });

    it('reports an alert without a quiet case', () => {
      expect(coverageGaps([rule('A')], [file([fires('A')])])).toEqual(['A: no case where it stays quiet']);
    });

    it('reports a case for an alert no rule defines', () => {
      expect(coverageGaps([rule('A')], [file([fires('A'), quiet('A'), quiet('Typo')])])).toEqual(['Typo: tested at 1m but no rule defines it']);
    });
  });
});

describe('alert policy', () => {
  it.each(alertRules.map((r) => [r.alert!, r] as const))('%s: name, severity, annotations, links', (name, rule) => {
    expect(name).toMatch(/^MeshKitRebalance[A-Z][A-Za-z]+$/);
    expect(SEVERITIES).toContain(rule.labels?.severity);
    const a = rule.annotations ?? {};
    expect(Object.keys(a).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
    expect(a.summary.length).toBeGreaterThan(10);
    expect(a.description.length).toBeGreaterThan(a.summary.length);
    expect(a.runbook_url).toBe(runbookUrl(DEFAULT_ALERTING_CONFIG, name as (typeof ALERT_NAMES)[number]));
    expect(a.runbook_url).toMatch(/\/docs\/runbooks\/MeshKitRebalance\w+\.md$/);
    const dashboard = new URL(a.dashboard_url.replace(/\{\{[^}]*\}\}/g, 'x'));
    expect(dashboard.pathname).toContain(`/d/${ONCALL_DASHBOARD_UID}/`);
    expect(dashboard.searchParams.get('viewPanel')).toBe(String(ALERT_PANELS[name as (typeof ALERT_NAMES)[number]]));
  });

  it('alerts about a namespace/cluster name both in the summary and link to them on the dashboard', () => {
    for (const rule of alertRules.filter((r) => r.expr.includes('namespace') && r.alert !== 'MeshKitRebalanceTelemetryRejected')) {
      expect(rule.annotations?.summary).toContain('{{ $labels.namespace }}/{{ $labels.cluster }}');
      expect(rule.annotations?.dashboard_url).toContain('var-namespace={{ $labels.namespace }}&var-cluster={{ $labels.cluster }}');
    }
  });

  it('panel ids are distinct', () => {
    const ids = Object.values(ALERT_PANELS);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every recorded name exported by RECORDED is recorded by the rule file, and nothing else is', () => {
    const recorded = rules.groups.flatMap((g) => g.rules).flatMap((r) => (r.record ? [r.record] : []));
    expect([...recorded].sort()).toEqual(Object.values(RECORDED).sort());
    for (const name of recorded) expect(name).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
  });
});
