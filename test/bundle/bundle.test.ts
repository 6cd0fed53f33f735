import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parseExposition, type Sample } from '../helpers/exposition';
import { fetchText, freePort } from '../helpers/net';
import { startUntil } from '../helpers/process';

const root = join(__dirname, '..', '..');
const BUNDLES = { cjs: 'meshkit-rebalance-observability.cjs', esm: 'meshkit-rebalance-observability.mjs' } as const;

/** What must match between builds: names, label sets and values, timestamps aside. */
function comparable(samples: Sample[]): string[] {
  return samples
    .filter((s) => !s.name.includes('timestamp') && !s.name.startsWith('target_info'))
    .filter((s) => !(s.name.endsWith('_sum') && s.name.includes('duration')) && !s.name.includes('wait_seconds'))
    .filter((s) => !s.name.includes('_bucket'))
    .map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())} ${s.value}`)
    .sort();
}

async function scrapeController(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Sample[]> {
  const port = await freePort();
  const running = await startUntil(command, args, {
    cwd,
    env: { PATH: process.env.PATH, PROMETHEUS_PORT: String(port), ...env },
    ready: /^ready /m,
  });
  try {
    return parseExposition(await fetchText(`http://127.0.0.1:${port}/metrics`));
  } finally {
    await running.stop();
  }
}

describe('single-file bundle', () => {
  let dir: string;
  let fromSource: Sample[];

  beforeAll(async () => {
    // Always rebuild: a stale dist/ would test yesterday's code.
    execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'meshkit-bundle-'));
    for (const file of Object.values(BUNDLES)) copyFileSync(join(root, 'dist', file), join(dir, file));
    for (const [format, bundle] of Object.entries(BUNDLES) as [keyof typeof BUNDLES, string][]) {
      await build({
        entryPoints: [join(root, 'examples', 'controller', 'controller.ts')],
        bundle: true,
        platform: 'node',
        format,
        outfile: join(dir, `controller.${format === 'cjs' ? 'cjs' : 'mjs'}`),
        plugins: [
          {
            name: 'sdk-from-bundle',
            setup(b) {
              b.onResolve({ filter: /^@meshkit\/rebalance-observability$/ }, () => ({ path: `./${bundle}`, external: true }));
            },
          },
        ],
      });
    }
    fromSource = await scrapeController(join(root, 'node_modules', '.bin', 'tsx'), ['examples/controller/controller.ts'], root);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['cjs', 'mjs'])('serves the same series as the source build (%s)', async (ext) => {
    const fromBundle = await scrapeController(process.execPath, [`controller.${ext}`], dir, { NODE_PATH: '' });
    expect(comparable(fromBundle).length).toBeGreaterThan(50);
    expect(comparable(fromBundle)).toEqual(comparable(fromSource));
  });

  it('resolves nothing but Node built-ins at run time, and has no eval', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    for (const file of Object.values(BUNDLES)) {
      const text = readFileSync(join(dir, file), 'utf8');
      const required = [...text.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
      expect(required.filter((r) => !builtins.has(r))).toEqual([]);
      expect(text).not.toMatch(/require\(\s*[a-zA-Z_$][\w$.]*\s*\)/);
      expect(text).not.toMatch(/\beval\(|new Function\(/);
    }
  });
});
