/**
 * The installer's contract around the builds: a warm cache is only checked, and a missing Go
 * toolchain or a failing build ends in one sentence instead of a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/cli/user-error';
import { cacheRoot } from '../../src/stack/paths';
import { ensureStack, stackBinaries } from '../../src/stack/install';

const BIN = path.join(__dirname, '..', '..', 'bin', 'meshkit-rebalance-obs.js');
const BUILD_TIMEOUT = 30 * 60_000; // a cold build measured 15 min on 2 cores

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'meshkit-install-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test(
  'a second install only checks the cache and links .stack/bin',
  async () => {
    await ensureStack({ log: () => {} }); // builds on a cold cache
    const lines: string[] = [];
    const project = path.join(scratch, 'project');
    const binaries = await ensureStack({ projectDir: project, log: (line) => lines.push(line) });
    const cached = /: cached( \(last build took \d+ s\))?$/;
    expect(lines.filter((line) => !cached.test(line) && !/^\[install\] stack ready/.test(line))).toEqual([]);
    // builder, Collector, Prometheus, promtool, Alertmanager, Jaeger
    expect(lines.filter((line) => cached.test(line))).toHaveLength(6);
    expect(lines.join('\n')).not.toMatch(/thanos/); // built only for the fleet (ensureThanos)
    expect(stackBinaries()).toEqual(binaries);
    for (const [name, target] of Object.entries(binaries)) {
      expect(readlinkSync(path.join(project, '.stack', 'bin', name))).toBe(target);
      expect(path.isAbsolute(target)).toBe(true);
    }
  },
  BUILD_TIMEOUT,
);

test('without a Go toolchain the CLI says so in one sentence', () => {
  const env = { ...process.env, MESHKIT_OBS_CACHE_DIR: path.join(scratch, 'empty-cache'), PATH: path.join(scratch, 'no-bin') };
  const result = spawnSync(process.execPath, [BIN, 'stack', 'install'], { cwd: scratch, env, encoding: 'utf8', timeout: 60_000 });
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toEqual([expect.stringMatching(/^meshkit-rebalance-obs stack: the Go toolchain \("go"\) was not found .*\.$/)]);
});

test('stackBinaries() on an empty cache is a UserError naming the fix', () => {
  const env = { ...process.env, MESHKIT_OBS_CACHE_DIR: path.join(scratch, 'empty-cache') };
  expect(() => stackBinaries({ env })).toThrow(UserError);
  expect(() => stackBinaries({ env })).toThrow(/stack up/);
});

test('stackBinaries() with parts still building (the demo start) checks only the others, every binary of those parts excused', async () => {
  await ensureStack({ projectDir: scratch, log: () => {} });
  // A cache holding the metrics path only, as when the demo starts before Alertmanager, Jaeger and promtool are built.
  const partial = path.join(scratch, 'partial-cache');
  mkdirSync(partial, { recursive: true });
  for (const part of ['builder', 'otelcol', 'prometheus']) symlinkSync(path.join(cacheRoot(process.env), part), path.join(partial, part));
  const env = { ...process.env, MESHKIT_OBS_CACHE_DIR: partial };
  expect(() => stackBinaries({ env })).toThrow(/stack up/);
  expect(() => stackBinaries({ env, pending: ['alertmanager', 'jaeger'] })).toThrow(/no promtool/);
  expect(() => stackBinaries({ env, pending: ['promtool', 'jaeger'] })).toThrow(/no alertmanager/);
  const binaries = stackBinaries({ env, pending: ['alertmanager', 'jaeger', 'promtool'] });
  expect(binaries.amtool).toContain(path.join(partial, 'alertmanager'));
  expect(binaries.promtool).toContain(path.join(partial, 'promtool'));
  expect(binaries.prometheus).toContain(path.join(partial, 'prometheus'));
}, BUILD_TIMEOUT);

test('a failing build is one sentence naming the step and its log', async () => {
  // A real go failure: no module proxy and an empty module cache, so the builder cannot be fetched.
  const env = {
    ...process.env,
    MESHKIT_OBS_CACHE_DIR: path.join(scratch, 'offline-cache'),
    GOMODCACHE: path.join(scratch, 'empty-modcache'),
    GOPROXY: 'off',
    GOFLAGS: '-modcacherw',
  };
  const error = await ensureStack({ env, projectDir: scratch, log: () => {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const message = (error as UserError).message;
  expect(message).toMatch(/^building the collector builder failed \(exit code 1\): .*GOPROXY=off.*; full log in .*\.log\.$/);
  expect(message).not.toContain('\n');
}, 120_000);
