import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * A preload that records, into FILE_LOG, every module Node resolves outside its built-ins and every
 * path handed to an `fs` function, as `require <path>` / `fs.<fn> <path>` lines; its own writes are
 * not recorded.
 */
const RECORDER = `
const fs = require('node:fs');
const Module = require('node:module');
const log = process.env.FILE_LOG;
const append = fs.appendFileSync.bind(fs);
let writing = false; // appendFileSync calls other fs functions: do not record those
const note = (line) => {
  if (writing) return;
  writing = true;
  try { append(log, line + '\\n'); } finally { writing = false; }
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const found = resolve.call(this, request, ...rest);
  if (!Module.isBuiltin(found)) note('require ' + found);
  return found;
};
for (const name of Object.keys(fs)) {
  const fn = fs[name];
  if (typeof fn !== 'function' || /^[A-Z]/.test(name) || name === 'appendFileSync') continue;
  fs[name] = function (first, ...rest) {
    if (typeof first === 'string' || first instanceof URL || Buffer.isBuffer(first)) note('fs.' + name + ' ' + String(first));
    return fn.call(this, first, ...rest);
  };
}
for (const name of Object.keys(fs.promises)) {
  const fn = fs.promises[name];
  if (typeof fn !== 'function') continue;
  fs.promises[name] = function (first, ...rest) {
    if (typeof first === 'string' || first instanceof URL) note('fs.promises.' + name + ' ' + String(first));
    return fn.call(this, first, ...rest);
  };
}
`;

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

  describe('at run time', () => {
    const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

    it('opens no file at run time: start, every hook, a scrape and shutdown touch only the controller and the bundle', async () => {
      const recorder = join(dir, 'recorder.cjs');
      writeFileSync(recorder, RECORDER);
      const log = join(dir, 'files-bundle.log');
      const samples = await scrapeController(process.execPath, ['--require', recorder, 'controller.cjs'], dir, { NODE_PATH: '', FILE_LOG: log });
      expect(samples.length).toBeGreaterThan(50);
      // Node's loader reads the two files it was given; nothing else is resolved, opened or looked up.
      const paths = new Set(lines(log).map((l) => l.slice(l.indexOf(' ') + 1)));
      expect([...paths].sort()).toEqual([join(dir, 'controller.cjs'), join(dir, BUNDLES.cjs)].sort());
      expect(lines(log)).toContain(`require ${join(dir, BUNDLES.cjs)}`);
    });

    it('loads one file where the unbundled build resolves many (the cold-start difference npm run bench times)', () => {
      const recorder = join(dir, 'recorder.cjs');
      writeFileSync(recorder, RECORDER);
      const load = (entry: string, name: string) => {
        const log = join(dir, `files-${name}.log`);
        execFileSync(process.execPath, ['--require', recorder, '-e', `require(${JSON.stringify(entry)})`], { cwd: root, env: { PATH: process.env.PATH, FILE_LOG: log } });
        return lines(log).filter((l) => l.startsWith('require '));
      };
      const bundled = load(join(dir, BUNDLES.cjs), 'bundled');
      const unbundled = load(join(root, 'dist', 'cjs', 'index.js'), 'unbundled');
      expect(bundled).toEqual([`require ${join(dir, BUNDLES.cjs)}`]);
      const fromNodeModules = unbundled.filter((l) => l.includes('/node_modules/@opentelemetry/'));
      expect(fromNodeModules.length).toBeGreaterThan(20);
    });

    it('has no computed require or import in either bundle', () => {
      for (const file of Object.values(BUNDLES)) {
        const text = readFileSync(join(dir, file), 'utf8');
        // Any require(...) or import(...) whose argument is not one string literal.
        const computed = [...text.matchAll(/\b(require|import)\(\s*([^)]*?)\s*\)/g)].filter((m) => !/^(["'`])[^"'`$]*\1$/.test(m[2]!));
        expect(computed.map((m) => m[0])).toEqual([]);
      }
    });
  });
});
