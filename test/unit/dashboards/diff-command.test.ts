/**
 * `meshkit-rebalance-obs dashboards diff OLD.json NEW.json` on scratch copies of the shipped on-call
 * dashboard: it names a renumbered panel, changed queries, variables and links, and the bump needed;
 * bad arguments get one sentence and a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const BIN = path.join(root, 'bin', 'meshkit-rebalance-obs.js');
const SHIPPED = path.join(root, 'dashboards', 'meshkit-rebalance-oncall.json');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshkit-dashboards-diff-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, 'dashboards', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

function scratch(name: string, edit: (d: Record<string, any>) => void): string {
  const d = JSON.parse(readFileSync(SHIPPED, 'utf8'));
  edit(d);
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(d, null, 2));
  return file;
}

describe('dashboards diff', () => {
  it('names a renumbered panel, a changed query, a removed variable and a moved link, and the bump they need', () => {
    const edited = scratch('renumbered.json', (d) => {
      d.panels.find((p: any) => p.id === 4).id = 40;
      d.panels.find((p: any) => p.id === 10).targets[0].expr = 'sum(meshkit_rebalance_telemetry_rejected_total)';
      d.templating.list = d.templating.list.filter((v: any) => v.name !== 'plan_id');
      d.links[0].url = '/d/elsewhere';
    });
    const r = cli('diff', SHIPPED, edited);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('### Panels\n\n- panel 4 "Plan queue" was renumbered to 40: links and alerts opening viewPanel=4 no longer find it (major)');
    expect(r.stdout).toContain('### Queries\n\n- panel 10 "SDK rejections (cumulative)": query A changed from `sum by (hook, reason) (meshkit_rebalance_telemetry_rejected_total{namespace=~"$namespace", cluster=~"$cluster"})` to `sum(meshkit_rebalance_telemetry_rejected_total)` (minor)');
    expect(r.stdout).toContain('### Variables\n\n- variable $plan_id was removed');
    expect(r.stdout).toContain('### Links\n\n- link "Overview" points to /d/elsewhere (was /d/meshkit-rebalance-exec) (minor)');
    expect(r.stdout).toMatch(/These changes need a major version bump \(2\.0\.0\); 1\.0\.0 → 1\.0\.0 is none\.\n$/);
  });

  it('says so when nothing changed', () => {
    const r = cli('diff', SHIPPED, scratch('same.json', () => {}));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No change to panels, queries, variables, links or settings.');
  });

  it.each([
    [['diff', SHIPPED], 'dashboards diff takes two dashboard files, OLD.json and NEW.json; got 1.'],
    [['compare', SHIPPED, SHIPPED], 'unknown dashboards command "compare"; the only one is "diff OLD.json NEW.json".'],
    [['diff', SHIPPED, path.join(root, 'no-such.json')], 'cannot read'],
    [['diff', SHIPPED, path.join(root, 'package.json')], 'is not a Grafana dashboard (no "panels" list).'],
  ])('%j: one sentence, exit 2', (args, sentence) => {
    const r = cli(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(sentence);
  });
});
