import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/meshkit-rebalance-obs.js');
const tmp = tempDir('cli');
afterAll(() => tmp.cleanup());

/**
 * Runs `main` in-process, capturing what it writes, from an empty directory: a stack that someone
 * left up in the repository (`.stack/run`) must not change what these commands answer.
 */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(tmp.dir);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.chdir(cwd);
  }
}

const oneSentence = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^meshkit-rebalance-obs simulate: [^\n]+\.$/);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('simulate CLI', () => {
  it('answers an unknown scenario with one sentence and exit 2 (the real binary)', () => {
    const run = spawnSync(process.execPath, [BIN, 'simulate', '--scenario', 'nope'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    oneSentence(run.stderr);
    expect(run.stderr).toContain('unknown scenario "nope"');
  });

  it.each([
    [['simulate', '--scenario', 'steady', '--duration', '10x', '--no-stack'], '--duration "10x" is not a duration'],
    [['simulate', '--scenario', 'steady', '--speed', '0', '--no-stack'], '--speed must be a positive number'],
    [['simulate', '--scenario', 'steady', '--prometheus-port', '70000', '--no-stack'], '--prometheus-port must be a port number'],
    [['simulate', '--scenario', 'steady', '--otlp', 'not a url'], '--otlp "not a url" is not a URL'],
    [['simulate', '--scenario', 'steady'], 'pass --otlp URL'],
    [['simulate', '--scenarios', 'steady'], 'unknown option --scenarios'],
    [['simulate', '--scenario'], '--scenario needs a value'],
    [['simulate'], '--scenario NAME is required'],
    [['simulate', 'history', '--scenario', 'steady'], 'history needs --out FILE'],
    [['simulate', 'history', '--scenario', 'steady', '--out', '/no/such/dir/x.om'], 'does not exist'],
    [['simulate', 'history', '--scenario', 'steady', '--out', 'x.om', '--hours', 'two'], '--hours must be a positive number'],
    [['simulate', 'history', '--scenario', 'steady', '--out', 'x.om', '--start', 'yesterday'], '--start "yesterday"'],
    [['simulate', 'history', '--scenario', 'steady', '--out', 'x.om', '--scrape-interval', '1500ms'], '--scrape-interval must be a whole number of seconds'],
  ])('rejects %j with one sentence', async (args, message) => {
    const { code, stdout, stderr } = await cli(args as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    oneSentence(stderr);
    expect(stderr).toContain(message);
  });

  it('lists every scenario with what it expects', async () => {
    const { code, stdout } = await cli(['simulate', '--list']);
    expect(code).toBe(0);
    for (const name of ['steady', 'healthy-rebalance', 'stuck-plan', 'excessive-concurrency', 'limit-lowered', 'slow-drain', 'repeated-failures', 'heartbeat-loss', 'policy-violation', 'approval-backlog', 'node-drain', 'flapping', 'hyperscale', 'mixed']) {
      expect(stdout).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(stdout).toContain('expects: MeshKitRebalancePlanStuck');
    expect(stdout).toContain('expects: MeshKitRebalancePlanOverrun');
  });

  it('writes a history with progress on stderr', async () => {
    const out = path.join(tmp.dir, 'steady.om');
    const { code, stdout, stderr } = await cli(['simulate', 'history', '--scenario', 'steady', '--hours', '0.5', '--out', out, '--seed', 'cli', '--scrape-interval', '30s']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/\[simulate\] wrote .*steady\.om: [\d.]+ MB, \d+ samples of \d+ series, 60 scrapes/);
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });
});
