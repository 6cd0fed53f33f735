/**
 * markdownlint over README.md and docs/ with the repository's .markdownlint-cli2.jsonc. Run the same
 * check by hand with `npm run lint:docs`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './markdown';

describe('markdownlint', () => {
  it('passes on README.md and docs/', () => {
    const cli = path.join(ROOT, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');
    const r = spawnSync(process.execPath, [cli], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const output = `${r.stdout}${r.stderr}`;
    expect(output).toMatch(/Linting: \d+ file\(s\)/);
    if (r.status !== 0) throw new Error(output);
    expect(output).toContain('Summary: 0 error(s)');
  });
});
