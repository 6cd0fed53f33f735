/**
 * The packed tarball as a site installs it: `npm pack`, `npm install` of the tarball into an empty
 * project, then the installed CLI's `generate` (Kubernetes format) and `verify` with the shipped
 * example site.yaml, and the `./site` subpath from CommonJS and ESM.
 * Opt-in (a build, a pack and an install: over a minute here): MESHKIT_PACK_TEST=1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stackBinaries } from '../../src/stack/install';

const root = path.join(__dirname, '..', '..');
const enabled = process.env.MESHKIT_PACK_TEST === '1';

(enabled ? describe : describe.skip)('npm pack → install into an empty project → generate and verify', () => {
  let dir: string;
  let project: string;
  const installed = () => path.join(project, 'node_modules', '@meshkit', 'rebalance-observability');
  const cli = (args: string[]) => spawnSync(process.execPath, [path.join(installed(), 'bin', 'meshkit-rebalance-obs.js'), ...args], { cwd: project, encoding: 'utf8', timeout: 180_000 });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'meshkit-pack-'));
    project = path.join(dir, 'site');
    mkdirSync(project);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
    execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: root, stdio: 'ignore' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'site', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, tarball)], { cwd: project, stdio: 'ignore' });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the CLI, the config schema, the default outputs and the example site.yaml, not the sources', () => {
    for (const file of ['dist/cli.cjs', 'dist/validate-manifests.mjs', 'schema/site-config.schema.json', 'examples/site/site.yaml', 'alerting/rules/meshkit-rebalance.rules.yml', 'dashboards/meshkit-rebalance-oncall.json']) {
      expect(existsSync(path.join(installed(), file))).toBe(true);
    }
    expect(existsSync(path.join(installed(), 'src'))).toBe(false);
  });

  it('generate --format kubernetes, then verify, with the example site.yaml', () => {
    const gen = cli(['generate', '--config', path.join(installed(), 'examples', 'site', 'site.yaml'), '--out', 'out', '--format', 'kubernetes']);
    expect(gen.stderr).toContain('[generate]');
    expect(gen.status).toBe(0);
    const tools = stackBinaries();
    const verify = cli(['verify', 'out', '--promtool', tools.promtool, '--amtool', tools.amtool]);
    if (verify.status !== 0) throw new Error(`verify failed:\n${verify.stdout}\n${verify.stderr}`);
    expect(verify.stdout).toMatch(/^6 passed, 0 failed$/m);
  }, 180_000);

  it('an invalid site.yaml: one sentence, exit 2', () => {
    writeFileSync(path.join(project, 'bad.yaml'), 'thresholds:\n  planStuck: { noProgresFor: 30m }\n');
    const result = cli(['generate', '--config', 'bad.yaml', '--out', 'bad']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('thresholds.planStuck.noProgresFor is not a known key')]);
  });

  it('the ./site subpath loads from CommonJS and ESM', () => {
    const code = "console.log(JSON.stringify(s.siteGroupBy({ alertmanager: { groupBy: 'cluster' } })))";
    const cjs = execFileSync(process.execPath, ['-e', `const s = require('@meshkit/rebalance-observability/site'); ${code}`], { cwd: project, encoding: 'utf8' });
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `import * as s from '@meshkit/rebalance-observability/site'; ${code}`], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(cjs)).toEqual(['cluster', 'alertname']);
    expect(JSON.parse(esm)).toEqual(['cluster', 'alertname']);
  });
});
