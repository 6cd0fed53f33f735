/**
 * The hyperscale scenario in history mode for a few virtual hours: 4 namespaces × 250 nodes and
 * 25,000 shards, a plan every ~35 s in each. Prints the rate (simulator events and SDK hook calls per
 * wall-clock second), the speed-up over real time, and memory as the run goes on. Nothing asserts on
 * time; memory is printed, not bounded (heap figures include whatever this worker did before).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_HISTORY_START, HOUR } from '../../src/simulator/clock';
import { runHistory } from '../../src/simulator/runner';
import { findScenario } from '../../src/simulator/scenarios';

const HOURS = 4;
const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshkit-hyperscale-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(`hyperscale: ${HOURS} virtual hours in history mode, with events/s and memory`, async () => {
  const scenario = findScenario('hyperscale')!;
  const out = path.join(dir, 'hyperscale.om');
  /** The last memory sample taken in each virtual hour. */
  const memory = new Map<number, string>();
  const result = await runHistory({
    scenario,
    seed: '1',
    hours: HOURS,
    out,
    startMs: DEFAULT_HISTORY_START,
    progressEveryMs: 1000,
    onProgress: (p) => {
      const m = process.memoryUsage();
      memory.set(Math.floor(p.doneHours), `${p.doneHours.toFixed(1)} h: rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}, ${p.plansCreated} plans, ${p.movesInFlight} moves in flight`);
    },
  });
  const perHour = (n: number) => Math.round(n / HOURS);
  const lines = [
    `[hyperscale] ${HOURS} virtual h (1,000 nodes, 100,000 shards) in ${result.wallSeconds.toFixed(1)} s wall: ${Math.round((HOURS * HOUR) / 1000 / result.wallSeconds)}× real time`,
    `[hyperscale] ${result.simulatorEvents} simulator events: ${Math.round(result.simulatorEvents / result.wallSeconds)} events/s`,
    `[hyperscale] ${result.hookCalls} SDK hook calls: ${Math.round(result.hookCallsPerSecond)} calls/s`,
    `[hyperscale] ${result.plansCreated} plans (${perHour(result.plansCreated)}/virtual h, ${perHour(result.plansCreated) * 24}/day), ${result.movesStarted} moves`,
    `[hyperscale] history: ${result.scrapes} scrapes, ${result.samples} samples of ${result.series} series, ${mib(result.bytes)} (${mib(result.bytes / HOURS)}/virtual h)`,
    `[hyperscale] peak rss ${mib(result.peakRssBytes)}, peak heap ${mib(result.peakHeapBytes)}`,
    ...[...memory.values()].map((m) => `[hyperscale]   at ${m}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  expect(result.virtualHours).toBe(HOURS);
  expect(result.scrapes).toBe((HOURS * HOUR) / 15_000);
  // ~10,000 plans a day across the four namespaces
  expect(result.plansCreated).toBeGreaterThanOrEqual(HOURS * 380);
  expect(result.movesStarted).toBeGreaterThan(result.plansCreated * 10);
  expect(result.hookCalls).toBeGreaterThan(result.simulatorEvents);
  expect(statSync(out).size).toBe(result.bytes);
}, 10 * 60_000);
