/**
 * Sizing the fleet on the real processes: 40 simulated controllers (2 regions × 5 clusters ×
 * 2 namespaces × leader + standby) for one virtual hour at a 15 s scrape interval, backfilled into
 * both replicas of their region, the shipped rules evaluated every 15 s. Measured and printed:
 * series per replica, rule-evaluation time per replica, every exec dashboard query through Thanos
 * Query against the same query on one replica directly, and the resident memory of every process.
 * The only assertions are the ones that make the figures mean something (data in every region,
 * every query answered). Opt-in: scripts/test-fleet.sh.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_FILES } from '../../src/dashboards/render';
import { REGIONS, startWaves } from '../../src/fleet/topology';
import { controllerCount, regionScenario, REGION_CLUSTERS } from '../../src/fleet/workload';
import { substituteVariables } from '../../src/render/variables';
import { promRuleGroups, until } from '../e2e/harness';
import { ALL_VARIABLES } from '../dashboards-data/helpers';
import { FLEET_TIMEOUT_MS, promQuery, rssBytes, seriesCount, startFleetUnderTest, type FleetUnderTest } from './harness';

const REPEATS = 3;
const figures: string[] = [];
let f: FleetUnderTest;

beforeAll(async () => {
  f = await startFleetUnderTest(
    { eu: { scenario: regionScenario('eu'), hours: 1 }, us: { scenario: regionScenario('us'), hours: 1 } },
    { shippedRules: true, evaluationInterval: '15s' },
  );
  const controllers = REGIONS.map((r) => controllerCount(r)).reduce((a, b) => a + b);
  figures.push(`${controllers} controllers, ${REGIONS.length} regions, ${REGIONS.length * REGION_CLUSTERS.eu.length} clusters, 1 virtual hour at 15 s`);
  figures.push(`histories + backfill ${f.timings.historySeconds.toFixed(1)} s, fleet start ${f.timings.startSeconds.toFixed(1)} s`);
}, FLEET_TIMEOUT_MS);

afterAll(async () => {
  await f?.stop();
  process.stdout.write(`\n[fleet scale] figures:\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(base: string, expr: string, range: { start: number; end: number; step: number }, extra: Record<string, string> = {}): Promise<{ ms: number; series: number }> {
  const ms: number[] = [];
  let series = 0;
  for (let i = 0; i < REPEATS; i++) {
    const started = process.hrtime.bigint();
    series = (await promQuery(base, expr, range, extra)).length;
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: median(ms), series };
}

describe('the fleet at 40 controllers', () => {
  it('reports series and rule-evaluation time per replica', async () => {
    const at = String(f.endMs / 1000);
    for (const region of REGIONS) {
      for (const [i, replica] of f.fleet.urls.regions[region].prometheus.entries()) {
        const hour = await seriesCount(replica, '{__name__=~".+",job!~"prometheus|otelcol"}', f.endMs / 1000 - 3600, f.endMs / 1000);
        const [live] = await promQuery(replica, 'count({__name__=~".+",job!~"prometheus|otelcol"})', undefined, { time: at });
        const groups = await until('two evaluations of every rule group', async () => {
          const g = await promRuleGroups(replica);
          return g.length === 2 && g.every((group) => group.lastEvaluation && !group.lastEvaluation.startsWith('0001')) ? g : undefined;
        }, 120_000);
        const evaluation = groups.map((g) => `${g.name} ${(g.evaluationTime * 1000).toFixed(1)} ms`).join(', ');
        figures.push(`${region} replica ${'ab'[i]}: ${hour} series in the hour, ${live.values[0][1]} at its end; rule evaluation ${evaluation}`);
        expect(hour).toBeGreaterThan(100);
      }
    }
  }, 300_000);

  it('times every exec dashboard query through Thanos Query against one replica directly', async () => {
    const dashboard = JSON.parse(readFileSync(path.join(__dirname, '..', '..', DASHBOARD_FILES.exec), 'utf8')) as { panels: { title?: string; targets?: { expr: string }[]; panels?: unknown[] }[] };
    const panels = dashboard.panels.flatMap((p) => [p, ...((p.panels ?? []) as typeof dashboard.panels)]).filter((p) => p.targets?.length);
    // The last hour up to now: the history, then the recorded series the replicas evaluated since they started.
    const now = Date.now();
    const time = { fromMs: now - 3_600_000, toMs: now, intervalMs: 30_000, scrapeIntervalMs: 15_000 };
    const range = { start: time.fromMs / 1000, end: time.toMs / 1000, step: 30 };
    const ratios: number[] = [];
    for (const panel of panels) {
      for (const target of panel.targets!) {
        const expr = substituteVariables(target.expr, ALL_VARIABLES, time);
        const direct = await timed(f.fleet.urls.regions.eu.prometheus[0], expr, range);
        const global = await timed(f.fleet.urls.query, expr, range, { dedup: 'true' });
        ratios.push(global.ms / Math.max(direct.ms, 0.1));
        figures.push(`"${panel.title}": replica eu-a ${direct.ms.toFixed(1)} ms (${direct.series} series), Thanos Query ${global.ms.toFixed(1)} ms (${global.series} series, both regions)`);
        expect(global.series).toBeGreaterThanOrEqual(direct.series);
      }
    }
    figures.push(`Thanos Query / direct, median of ${ratios.length} queries: ${median(ratios).toFixed(2)}×, worst ${Math.max(...ratios).toFixed(2)}×`);
  }, 600_000);

  it('reports the resident memory of every process', () => {
    for (const name of startWaves().flat()) {
      figures.push(`RSS ${name}: ${(rssBytes(f.fleet.pid(name)) / 2 ** 20).toFixed(0)} MiB`);
    }
    const total = startWaves().flat().reduce((sum, name) => sum + rssBytes(f.fleet.pid(name)), 0);
    figures.push(`RSS all processes: ${(total / 2 ** 20).toFixed(0)} MiB`);
    expect(total).toBeGreaterThan(0);
  });
});
