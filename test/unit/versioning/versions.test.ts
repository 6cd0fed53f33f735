/**
 * Dashboards and rule files carry a version that covers what changed: every artifact's current print
 * matches the print recorded for its version, and every recorded step bumps enough and names what it
 * changed. Edited scratch copies show each kind of change failing with the bump and entry it needs.
 */
import { join } from 'node:path';
import { parse } from 'yaml';
import { dashboards } from '../../../src/dashboards/render';
import { renderRules } from '../../../src/alerting/render';
import { CHANGELOG, currentVersion, type ChangelogEntry } from '../../../src/versioning/changelog';
import { versionedArtifacts } from '../../../src/versioning/artifacts';
import { versionProblems } from '../../../src/versioning/check';
import { dashboardPrint, rulesPrint, seriesOf, type Print } from '../../../src/versioning/fingerprint';
import { readLock, type Lock } from '../../../src/versioning/lock';
import { stampedVersion, unstampDashboard } from '../../../src/versioning/stamp';

const root = join(__dirname, '..', '..', '..');
type Json = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const oncall = (): Json => clone(dashboards().oncall) as unknown as Json;
const printOf = (d: Json) => dashboardPrint(d, unstampDashboard);
const lockOf = (artifact: string) => readLock(root, versionedArtifacts().find((a) => a.key === artifact)!.lockFile);

function problemsFor(edited: Json): string[] {
  return versionProblems({ key: 'oncall', title: 'on-call dashboard', print: printOf(edited), lock: lockOf('oncall') });
}

describe('versions of the shipped dashboards and rule files', () => {
  it.each(versionedArtifacts().map((a) => [a.title, a] as const))('%s: the version and changelog cover every change', (_, artifact) => {
    const problems = versionProblems({ key: artifact.key, title: artifact.title, print: artifact.print(), lock: readLock(root, artifact.lockFile) });
    if (problems.length) throw new Error(problems.join('\n\n'));
  });

  it('each dashboard shows its version (tag and description) and the rule files say theirs', () => {
    for (const key of ['exec', 'oncall'] as const) {
      const d = dashboards()[key];
      expect(stampedVersion(d)).toBe(currentVersion(key));
      expect(d.description).toContain(`Version ${currentVersion(key)}; changelog: dashboards/CHANGELOG.md.`);
    }
    expect(renderRules()).toContain(`# Version ${currentVersion('rules')} `);
  });
});

describe('a scratch copy of the on-call dashboard', () => {
  it('renumbered panel: fails, naming the old id, and needs a major bump', () => {
    const d = oncall();
    d.panels.find((p: Json) => p.id === 4).id = 44;
    const [problem, ...rest] = problemsFor(d);
    expect(rest).toEqual([]);
    expect(problem).toContain('panel 4 "Plan queue" was renumbered to 44: links and alerts opening viewPanel=4 no longer find it (major)');
    expect(problem).toContain(`Add an entry for 2.0.0 (a major bump) on top of CHANGELOG.oncall in src/versioning/changelog.ts whose lines name panel 4, with \`upgrade\` notes`);
  });

  it('panel showing something else (title, or a series no longer read): major', () => {
    const d = oncall();
    const panel = d.panels.find((p: Json) => p.id === 10);
    panel.title = 'Telemetry orphans';
    panel.targets = [{ refId: 'A', expr: 'sum(meshkit_rebalance_telemetry_orphans_total)' }];
    const problem = problemsFor(d).join('\n');
    expect(problem).toMatch(/panel 10 "Telemetry orphans" was titled "SDK rejections \(cumulative\)" \(major\)/);
    expect(problem).toMatch(/panel 10 "Telemetry orphans" no longer reads `meshkit_rebalance_telemetry_rejected_total` \(major\)/);
    expect(problem).toContain('Add an entry for 2.0.0');
  });

  it('added panel or a filter added to a query: minor, naming the panel', () => {
    const d = oncall();
    const panel = d.panels.find((p: Json) => p.id === 10);
    d.panels.push({ ...clone(panel), id: 702, title: 'Rejections by namespace' });
    panel.targets[0].expr = panel.targets[0].expr.replace('meshkit_rebalance_telemetry_rejected_total', 'meshkit_rebalance_telemetry_rejected_total{hook!=""}');
    const problem = problemsFor(d).join('\n');
    expect(problem).toContain('panel 702 "Rejections by namespace" (timeseries) was added, reading `meshkit_rebalance_telemetry_rejected_total` (minor)');
    expect(problem).toMatch(/panel 10 "SDK rejections \(cumulative\)": query A changed from `.+` to `.+hook!="".+` \(minor\)/);
    expect(problem).toContain('Add an entry for 1.1.0 (a minor bump) on top of CHANGELOG.oncall in src/versioning/changelog.ts whose lines name panel 702, panel 10, then run `npm run generate`.');
  });

  it('layout or colour only: patch', () => {
    const d = oncall();
    d.panels.find((p: Json) => p.id === 5).gridPos.w = 6;
    const problem = problemsFor(d).join('\n');
    expect(problem).toContain('panel 5 "Shards in flight vs limit": gridPos changed (layout, style or text) (patch)');
    expect(problem).toContain('Add an entry for 1.0.1 (a patch bump)');
  });

  it('a removed variable: major (links that set it stop filtering)', () => {
    const d = oncall();
    d.templating.list = d.templating.list.filter((v: Json) => v.name !== 'plan_id');
    expect(problemsFor(d).join('\n')).toContain('variable $plan_id was removed: links that set var-plan_id no longer filter (major)');
  });
});

describe('recorded history of versions', () => {
  const base = printOf(oncall());
  const removed = (() => {
    const d = oncall();
    d.panels = d.panels.filter((p: Json) => p.id !== 4);
    return printOf(d);
  })();
  const lock = (next: string, print: Print): Lock => ({ oncall: { '1.0.0': base, [next]: print } });
  const entries = (next: ChangelogEntry): ChangelogEntry[] => [next, ...CHANGELOG.oncall];
  const check = (next: ChangelogEntry, print: Print) => versionProblems({ key: 'oncall', title: 'on-call dashboard', print, lock: lock(next.version, print), changelog: entries(next) });

  it('a removed panel released as a minor version fails', () => {
    const problems = check({ version: '1.1.0', date: '2026-12-04', changes: ['Removed panel 4.'] }, removed);
    expect(problems.join('\n')).toContain('on-call dashboard 1.0.0 → 1.1.0 is a minor bump, but these changes need a major bump (2.0.0)');
  });

  it('an entry that does not name the panel fails', () => {
    const problems = check({ version: '2.0.0', date: '2026-12-04', changes: ['Tidied the queue.'], upgrade: ['Nothing.'] }, removed);
    expect(problems.join('\n')).toContain('on-call dashboard 2.0.0: the changelog entry in src/versioning/changelog.ts does not name panel 4');
  });

  it('a major without upgrade notes fails; with them, the step passes', () => {
    expect(check({ version: '2.0.0', date: '2026-12-04', changes: ['Removed panel 4.'] }, removed).join('\n')).toContain('needs `upgrade` notes');
    expect(check({ version: '2.0.0', date: '2026-12-04', changes: ['Removed panel 4 (the plan queue).'], upgrade: ['Alerts opening panel 4 now open the dashboard.'] }, removed)).toEqual([]);
  });

  it('a version with no recorded print asks for npm run generate', () => {
    const problems = versionProblems({ key: 'oncall', title: 'on-call dashboard', print: base, lock: { oncall: {} } });
    expect(problems).toContain('on-call dashboard 1.0.0 has no recorded print: run `npm run generate` (it records the new version in the lock file).');
  });
});

describe('rule files', () => {
  const rules = () => parse(renderRules()) as { groups: { rules: Json[] }[] };
  const problemsFor = (file: unknown) => versionProblems({ key: 'rules', title: 'rule file', print: rulesPrint(file), lock: lockOf('rules') }).join('\n');

  it('a renamed alert is a removal: major, naming both', () => {
    const file = rules();
    for (const r of file.groups[1]!.rules) if (r.alert === 'MeshKitRebalanceNoLeader') r.alert = 'MeshKitRebalanceLeaderMissing';
    const problem = problemsFor(file);
    expect(problem).toContain('alert MeshKitRebalanceNoLeader was removed: silences, routes and inhibitions naming it match nothing (major)');
    expect(problem).toContain('alert MeshKitRebalanceLeaderMissing was added (minor)');
    expect(problem).toContain('Add an entry for 2.0.0');
  });

  it('a changed severity is major (routes match on it); a changed threshold is minor', () => {
    const file = rules();
    const stuck = file.groups[1]!.rules.find((r) => r.alert === 'MeshKitRebalancePlanStuck')!;
    stuck.labels.severity = 'ticket';
    expect(problemsFor(file)).toMatch(/alert MeshKitRebalancePlanStuck: labels are severity=ticket \(were severity=page\).*\(major\)/);
    const again = rules();
    again.groups[1]!.rules.find((r) => r.alert === 'MeshKitRebalancePlanStuck')!.expr += ' * 2';
    expect(problemsFor(again)).toContain('Add an entry for 1.1.0 (a minor bump) on top of CHANGELOG.rules in src/versioning/changelog.ts whose lines name alert MeshKitRebalancePlanStuck');
  });
});

describe('seriesOf', () => {
  it('reads series names and skips functions, grouping labels, matchers, windows and variables', () => {
    expect(seriesOf('histogram_quantile(0.9, sum by (le, namespace) (rate(a_bucket{x=~"$v", y="b c"}[$__rate_interval])))')).toEqual(['a_bucket']);
    expect(seriesOf('time() - max by (namespace) (b) and on (namespace) (c == 1) offset 5m')).toEqual(['b', 'c']);
    expect(seriesOf('x:y:rate5m / ignoring (reason) group_left z')).toEqual(['x:y:rate5m', 'z']);
  });
});
