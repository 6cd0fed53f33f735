/** Build progress: times of the last build are kept per part and shown while parts build. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BuildTicker } from '../../../src/stack/build-progress';

let cache: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  cache = mkdtempSync(path.join(tmpdir(), 'meshkit-build-times-'));
  env = { MESHKIT_OBS_CACHE_DIR: cache };
});
afterEach(() => {
  jest.useRealTimers();
  rmSync(cache, { recursive: true, force: true });
});

test('a finished build is remembered for the next install; a failed one is not', () => {
  const first = new BuildTicker(() => {}, env);
  expect(first.lastBuild('prometheus')).toBeUndefined();
  first.begin('prometheus', 'prometheus + promtool', Date.now());
  first.end('prometheus', 168.44);
  first.begin('jaeger', 'jaeger', Date.now());
  first.end('jaeger');
  const second = new BuildTicker(() => {}, env);
  expect(second.lastBuild('prometheus')).toBe('last build took 168 s');
  expect(second.lastBuild('jaeger')).toBeUndefined();
  expect(JSON.parse(readFileSync(path.join(cache, 'build-times.json'), 'utf8'))).toEqual({ prometheus: 168.4 });
});

test('while parts build, a line every 30 s gives each one elapsed and expected time', () => {
  writeFileSync(path.join(cache, 'build-times.json'), JSON.stringify({ otelcol: 187 }));
  jest.useFakeTimers({ now: 1_000_000 });
  const lines: string[] = [];
  const ticker = new BuildTicker((line) => lines.push(line), env);
  ticker.begin('otelcol', 'collector', Date.now());
  ticker.begin('jaeger', 'jaeger', Date.now());
  jest.advanceTimersByTime(30_000);
  expect(lines).toEqual(['[install] still building: collector 30 s of ~187 s, jaeger 30 s']);
  ticker.end('otelcol', 31);
  jest.advanceTimersByTime(30_000);
  expect(lines[1]).toBe('[install] still building: jaeger 60 s');
  ticker.end('jaeger', 61);
  jest.advanceTimersByTime(120_000);
  expect(lines).toHaveLength(2); // nothing building, no more lines
});

test('an unreadable times file counts as no earlier build', () => {
  writeFileSync(path.join(cache, 'build-times.json'), '{not json');
  expect(new BuildTicker(() => {}, env).lastBuild('otelcol')).toBeUndefined();
  writeFileSync(path.join(cache, 'build-times.json'), JSON.stringify({ otelcol: 'soon', jaeger: -1, prometheus: 12 }));
  const ticker = new BuildTicker(() => {}, env);
  expect([ticker.lastBuild('otelcol'), ticker.lastBuild('jaeger'), ticker.lastBuild('prometheus')]).toEqual([undefined, undefined, 'last build took 12 s']);
});
