/** site.yaml validation: each kind of mistake is one sentence naming the path, what was given and what is allowed, and exit 2. */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { loadSiteConfig } from '../../../src/site/load';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshkit-site-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function generate(text: string | undefined, name = 'site.yaml'): Promise<{ code: number; stderr: string; out: string }> {
  const file = path.join(dir, name);
  if (text !== undefined) writeFileSync(file, text);
  else rmSync(file, { force: true });
  const out = path.join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['generate', '--config', file, '--out', out]);
    return { code, stderr: chunks.join(''), out };
  } finally {
    spy.mockRestore();
  }
}

const CASES: [kind: string, yaml: string | undefined, mentions: string[]][] = [
  ['misspelt top-level key', 'threshold:\n  planStuck: { noProgressFor: 30m }\n', ['threshold is not a known key', 'thresholds']],
  ['misspelt threshold', 'thresholds:\n  planStuck: { noProgresFor: 30m }\n', ['thresholds.planStuck.noProgresFor is not a known key', 'noProgressFor']],
  ['not a duration', 'thresholds:\n  planStuck: { noProgressFor: 30 minutes }\n', ['thresholds.planStuck.noProgressFor is "30 minutes"', 'Prometheus duration']],
  ['wrong type', 'thresholds:\n  repeatedFailures: { threshold: three }\n', ['thresholds.repeatedFailures.threshold is "three"', 'a number']],
  ['negative number', 'thresholds:\n  repeatedFailures: { threshold: -1 }\n', ['thresholds.repeatedFailures.threshold is -1', 'at least 0']],
  ['unknown alert', 'alerts:\n  disabled: [MeshKitRebalancePlanStuk]\n', ['alerts.disabled[0] is "MeshKitRebalancePlanStuk"', 'MeshKitRebalancePlanStuck']],
  ['unknown grouping', 'alertmanager:\n  groupBy: team\n', ['alertmanager.groupBy is "team"', 'cluster, namespace']],
  ['override without a scope', 'overrides:\n  - thresholds: { planStuck: { noProgressFor: 30m } }\n', ['overrides[0] names neither a namespace nor a cluster', 'exactly one']],
  ['override with two scopes', 'overrides:\n  - { namespace: a, cluster: b, thresholds: {} }\n', ['overrides[0] names both', 'exactly one']],
  ['repeated override', 'overrides:\n  - { namespace: a, thresholds: {} }\n  - { namespace: a, thresholds: {} }\n', ['overrides[1] repeats namespace a of overrides[0]']],
  ['bad label name', 'labels:\n  team-name: storage\n', ['labels.team-name is not an allowed name', 'a string matching']],
  ['label the rules set', 'labels:\n  severity: low\n', ['labels.severity is a label the rules set themselves']],
  ['renamed labels collide', 'labelNames:\n  namespace: ns\n  cluster: ns\n', ['labelNames gives "ns" to two labels']],
  ['not a URL', 'links:\n  runbookBaseUrl: runbooks.example.com\n', ['links.runbookBaseUrl is "runbooks.example.com"', 'https?://']],
  ['not YAML', 'thresholds: [\n', ['not valid YAML or JSON at line']],
  ['not an object', '- a\n- b\n', ['(top level) is a list', 'an object']],
  ['missing file', undefined, ['cannot read the site configuration', 'no such file']],
];

describe('an invalid site configuration is one sentence and exit 2', () => {
  it.each(CASES)('%s', async (_kind, yaml, mentions) => {
    const { code, stderr, out } = await generate(yaml);
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^meshkit-rebalance-obs generate: \S.*[^.]\.$/);
    for (const text of mentions) expect(lines[0]).toContain(text);
    expect(existsSync(out)).toBe(false); // validated before anything is written
  });

  it('covers at least ten kinds', () => {
    expect(new Set(CASES.map(([kind]) => kind)).size).toBeGreaterThanOrEqual(10);
  });
});

describe('a valid site configuration', () => {
  it('loads YAML and JSON alike', () => {
    const yamlFile = path.join(dir, 'ok.yaml');
    const jsonFile = path.join(dir, 'ok.json');
    writeFileSync(yamlFile, 'thresholds:\n  planStuck: { noProgressFor: 30m }\noverrides:\n  - cluster: eu-west-1\n    thresholds: { noLeader: { for: 10m } }\n');
    writeFileSync(jsonFile, JSON.stringify({ thresholds: { planStuck: { noProgressFor: '30m' } }, overrides: [{ cluster: 'eu-west-1', thresholds: { noLeader: { for: '10m' } } }] }));
    expect(loadSiteConfig(yamlFile)).toEqual(loadSiteConfig(jsonFile));
  });

  it('the shipped example validates', () => {
    expect(() => loadSiteConfig(path.join(__dirname, '..', '..', '..', 'examples', 'site', 'site.yaml'))).not.toThrow();
  });
});
