import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedArtifacts } from '../../src/generate/artifacts';
import { DRAFT_ALIASES, METRIC_LIST } from '../../src/schema';

const root = join(__dirname, '..', '..');

describe('generated artifacts', () => {
  it.each(Object.entries(generatedArtifacts()))('%s matches its source (run `npm run generate`)', (path, content) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(content);
  });

  it('spell metric names only in the schema (and in what is generated from it)', () => {
    const generated = new Set(Object.keys(generatedArtifacts()));
    const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|mjs|cjs|js)$/.test(f) && !f.startsWith('test/') && !f.startsWith('bench/'));
    const offenders = (names: readonly string[], home: string) =>
      tracked.filter((file) => {
        if (file === home || generated.has(file)) return false;
        const text = readFileSync(join(root, file), 'utf8');
        return names.some((name) => text.includes(name));
      });
    expect(offenders(METRIC_LIST.map((m) => m.name), 'src/schema/metrics.ts')).toEqual([]);
    // The discovery draft's names, and their prefix, live in their own section of the schema.
    expect(offenders([...DRAFT_ALIASES.map((a) => a.name), 'mesh_rebalance_'], 'src/schema/draft-aliases.ts')).toEqual([]);
  });
});
