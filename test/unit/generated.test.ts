import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedArtifacts } from '../../src/generate/artifacts';
import { DRAFT_ALIASES, METRIC_LIST } from '../../src/schema';

const root = join(__dirname, '..', '..');
/** A Prometheus/OpenTelemetry metric identifier of ours: `meshkit_` and at least one more word. */
const METRIC_IDENTIFIER = /(?<![A-Za-z0-9_])meshkit_[a-z0-9_]*[a-z0-9](?![A-Za-z0-9_])/g;

describe('generated artifacts', () => {
  it.each(Object.entries(generatedArtifacts()))('%s matches its source (run `npm run generate`)', (path, content) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(content);
  });

  it('spell metric names only in the schema (and in what is generated from it)', () => {
    const generated = new Set(Object.keys(generatedArtifacts()));
    const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|mts|cts|mjs|cjs|js|sh)$/.test(f) && /^(src|bench|examples|scripts)\//.test(f));
    expect(tracked.filter((f) => f.startsWith('bench/')).length).toBeGreaterThan(0);
    const offenders = tracked.flatMap((file) => {
      if (file === 'src/schema/metrics.ts' || file === 'src/schema/span-metrics.ts' || generated.has(file)) return [];
      const text = readFileSync(join(root, file), 'utf8');
      // Any metric-like identifier, schema name or not: OpenTelemetry base names (no _total) and new names too.
      return [...text.matchAll(METRIC_IDENTIFIER)].map((m) => `${file}: ${m[0]}`);
    });
    expect(offenders).toEqual([]);
    // The discovery draft's names, and their prefix, live in their own section of the schema.
    const draftNames = [...DRAFT_ALIASES.map((a) => a.name), 'mesh_rebalance_'];
    const draftOffenders = tracked.filter(
      (file) => file !== 'src/schema/draft-aliases.ts' && !generated.has(file) && draftNames.some((name) => readFileSync(join(root, file), 'utf8').includes(name)),
    );
    expect(draftOffenders).toEqual([]);
  });

  it('the identifier pattern finds exported, OpenTelemetry and unknown names alike', () => {
    const found = (s: string) => [...s.matchAll(METRIC_IDENTIFIER)].map((m) => m[0]);
    for (const m of METRIC_LIST) expect(found(`x('${m.name}')`)).toEqual([m.name]);
    expect(found("name === 'meshkit_rebalance_telemetry_rejected'")).toEqual(['meshkit_rebalance_telemetry_rejected']);
    expect(found('`meshkit_rebalance_something_new_total{a="b"}`')).toEqual(['meshkit_rebalance_something_new_total']);
    expect(found("import '@meshkit/rebalance-observability'; const meshkitId = 1; // meshkit-rebalance, the meshkit_rebalance_ prefix")).toEqual([]);
  });
});
