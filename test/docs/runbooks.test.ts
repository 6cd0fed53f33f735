/**
 * Every alert of the generated rules links (runbook_url) to docs/runbooks/<AlertName>.md, and every
 * runbook has the sections on-call expects, in order, with the on-call panel the alert opens, its
 * screenshot, a trace command and MeshKit CLI remediation.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ALERT_NAMES, ALERT_PANELS, DEFAULT_ALERTING_CONFIG, RULES_FILE, type AlertName } from '../../src/alerting';
import { RUNBOOK_SECTIONS } from '../../src/generate/alerts-reference';
import { dashboardPanelAnchor, DASHBOARD_DOCS, SCREENSHOTS } from '../../src/generate/dashboards-reference';
import { fences, headings, links, read, ROOT, section } from './markdown';

interface RuleFile {
  groups: { name: string; rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
}

const alertRules = (parse(read(RULES_FILE)) as RuleFile).groups.flatMap((g) => g.rules).filter((r) => r.alert);
const RUNBOOKS = 'docs/runbooks';

/** The repository path a runbook URL of the default configuration points at. */
function runbookPath(url: string): string | undefined {
  const base = DEFAULT_ALERTING_CONFIG.runbookBaseUrl.replace(/\/+$/, '');
  // The base is this repository's docs/runbooks folder on its forge: `<repo>/blob/<ref>/docs/runbooks`.
  const folder = /\/blob\/[^/]+\/(.+)$/.exec(base)?.[1];
  if (!folder || !url.startsWith(`${base}/`)) return undefined;
  return `${folder}/${url.slice(base.length + 1)}`;
}

describe('runbook links of the generated rules', () => {
  it('the rules define every alert of ALERT_NAMES, and nothing else', () => {
    expect([...new Set(alertRules.map((r) => r.alert))].sort()).toEqual([...ALERT_NAMES].sort());
  });

  it('the runbook base URL points at docs/runbooks of this repository', () => {
    expect(runbookPath(`${DEFAULT_ALERTING_CONFIG.runbookBaseUrl}/x.md`)).toBe(`${RUNBOOKS}/x.md`);
  });

  it.each(alertRules.map((r) => [`${r.alert}${r.labels?.cause ? ` (${r.labels.cause})` : ''}`, r] as const))(
    '%s: runbook_url resolves to docs/runbooks/<alert>.md',
    (_, rule) => {
      const url = rule.annotations?.runbook_url;
      expect(url).toBeDefined();
      const file = runbookPath(url!);
      expect(file).toBe(`${RUNBOOKS}/${rule.alert}.md`);
      expect(existsSync(path.join(ROOT, file!))).toBe(true);
    },
  );

  it('every runbook file is an alert of the rules (no stale runbooks)', () => {
    const files = readdirSync(path.join(ROOT, RUNBOOKS)).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(files.map((f) => f.replace(/\.md$/, '')).sort()).toEqual([...ALERT_NAMES].sort());
  });
});

describe.each(ALERT_NAMES.map((a) => [a] as [AlertName]))('runbook %s', (alert) => {
  const file = `${RUNBOOKS}/${alert}.md`;
  const text = existsSync(path.join(ROOT, file)) ? read(file) : '';
  const rules = alertRules.filter((r) => r.alert === alert);

  it('is titled with the alert name and has the sections, in order', () => {
    const hs = headings(text);
    expect(hs[0]).toMatchObject({ level: 1, text: alert });
    expect(hs.filter((h) => h.level === 2).map((h) => h.text)).toEqual([...RUNBOOK_SECTIONS]);
    for (const title of RUNBOOK_SECTIONS) expect(section(text, title)!.trim().length).toBeGreaterThan(40);
  });

  it('states the severity and the receiver of its rule', () => {
    const severities = [...new Set(rules.map((r) => r.labels?.severity))];
    expect(severities).toHaveLength(1);
    const receiver = severities[0] === 'page' ? 'PagerDuty' : 'Microsoft Teams';
    expect(text.split('\n').slice(0, 6).join(' ')).toContain(`**Severity:** ${severities[0]} (${receiver})`);
  });

  it('opens the panel its dashboard_url points at, with the on-call screenshot', () => {
    const panels = section(text, 'Panels to open')!;
    const dashboardUrls = rules.map((r) => r.annotations?.dashboard_url ?? '');
    for (const url of dashboardUrls) expect(url).toContain(`viewPanel=${ALERT_PANELS[alert]}`);
    const panelDoc = `../${DASHBOARD_DOCS.oncall.replace(/^docs\//, '')}#${dashboardPanelAnchor('oncall', ALERT_PANELS[alert])}`;
    const sectionLinks = links(file, panels);
    expect(sectionLinks.map((l) => l.target)).toContain(panelDoc);
    const screenshot = `../${SCREENSHOTS.oncall.failing.replace(/^docs\//, '')}`;
    expect(sectionLinks.filter((l) => l.image).map((l) => l.target)).toContain(screenshot);
  });

  it('shows how to open a trace with meshkit-rebalance-obs trace', () => {
    const traceSection = section(text, 'Trace to open')!;
    expect(fences(file, traceSection).some((f) => /meshkit-rebalance-obs trace \S+/.test(f.body))).toBe(true);
  });

  it('remediates with the MeshKit CLI, marking the verbs not shipped yet', () => {
    const remediation = section(text, 'Remediation')!;
    const commands = fences(file, remediation).flatMap((f) => f.body.split('\n')).filter((l) => /^mesh\s/.test(l));
    expect(commands.length).toBeGreaterThan(0);
  });

  it('links the rule and the threshold table', () => {
    const targets = links(file, text).map((l) => l.target);
    expect(targets).toContain(`README.md#${alert.toLowerCase()}`);
    expect(targets).toContain('../operator-guide/alert-thresholds.md');
  });
});
