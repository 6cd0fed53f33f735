import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

it('type-checks the sources, tests, examples and scripts', () => {
  const root = join(__dirname, '..', '..');
  expect(() => execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' })).not.toThrow();
}, 120_000);
