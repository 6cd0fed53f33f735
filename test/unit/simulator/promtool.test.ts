import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { history, tempDir } from './helpers';

/** The stack's promtool when it is installed, else the one on PATH. */
function findPromtool(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const install = require('../../../src/stack/install') as { stackBinaries?: () => { promtool: string } };
    const promtool = install.stackBinaries?.().promtool;
    if (promtool && existsSync(promtool)) return promtool;
  } catch {
    // not installed, or no such module: fall back to PATH
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'promtool');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const tmp = tempDir('promtool');
afterAll(() => tmp.cleanup());

describe('history accepted by promtool', () => {
  const promtool = findPromtool();

  it('finds promtool (the stack install or PATH)', () => {
    expect(promtool).toBeDefined();
  });

  it.each([
    ['mixed', 1.5],
    ['approval-backlog', 3],
  ])('promtool tsdb create-blocks-from openmetrics takes the %s history', async (name, hours) => {
    const { file, result } = await history(tmp.dir, name as string, { hours: hours as number });
    const data = path.join(tmp.dir, `${name}-blocks`);
    const run = spawnSync(promtool!, ['tsdb', 'create-blocks-from', 'openmetrics', file, data], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const blocks = readdirSync(data).filter((f) => existsSync(path.join(data, f, 'meta.json')));
    // two-hour blocks: one per started block range the history touches
    expect(blocks.length).toBeGreaterThanOrEqual(Math.ceil(hours as number / 2));
    const samples = [...run.stdout.matchAll(/^\S+\s+\d+\s+\d+\s+\S+\s+(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(samples).toBe(result.samples);
  });
});
