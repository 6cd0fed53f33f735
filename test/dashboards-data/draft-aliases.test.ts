/**
 * A panel written with the discovery draft's names shows the same data as the same panel written with
 * ours, on a real Prometheus: the healthy-rebalance history (seed 1) backfilled, the opt-in alias group
 * (alerting/draft-aliases/) backfilled over it at the scrape interval, and each query of the panel run
 * both ways over the window (variables substituted, All selected); the two must agree series by
 * series, sample by sample.
 *
 * An alias is a recording rule: its samples sit at the rule group's evaluation instants, which
 * Prometheus offsets within the interval by a hash of the group. So the history is shifted to be
 * scraped at those instants (found first by backfilling a probe rule), as a live Prometheus that
 * scrapes and evaluates at the same phase would have it; then even `rate` over the aliases sees the
 * same samples at the same times as over ours.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DRAFT_ALIASES_FILE, draftAliasSeries } from '../../src/alerting/draft-aliases';
import { backfillRules, historyWindow, type HistoryWindow } from '../../src/render/history';
import { DRAFT_ALIASES } from '../../src/schema';
import { findScenario } from '../../src/simulator/scenarios';
import { ensureStack, stackBinaries } from '../../src/stack/install';
import { startStack } from '../../src/stack/stack';
import { HOUR } from '../../src/simulator/clock';
import { startHistoryStack, type HistoryStack } from '../helpers/history-stack';
import { concreteExpr, queryRange, type Series } from './helpers';

const SCENARIO = 'healthy-rebalance';
const alias = (source: string) => DRAFT_ALIASES.find((a) => a.source === source)!.name;
const scope = '{namespace=~"$namespace", cluster=~"$cluster"}';

/** The panel as a team on the draft would have written it. */
const DRAFT_PANEL = [
  `max by (namespace, cluster, state) (${alias('state')}${scope})`,
  `sum by (namespace, cluster) (${alias('shardsInFlight')}${scope})`,
  `histogram_quantile(0.9, sum by (namespace, cluster, le) (rate(${alias('planDuration')}_bucket${scope}[$__rate_interval])))`,
  `sum by (namespace, cluster, decision) (increase(${alias('approvals')}${scope}[1h]))`,
];

/** The same query over our series. */
function ours(expr: string): string {
  return draftAliasSeries()
    .sort((a, b) => b.alias.length - a.alias.length)
    .reduce((e, { alias: from, source }) => e.replace(new RegExp(`\\b${from}\\b(?!_)`, 'g'), source), expr);
}

/** Where in the scrape interval the backfilled rule groups evaluate (ms after a multiple of it). */
async function evaluationPhaseMs(step: number): Promise<number> {
  const project = mkdtempSync(path.join(tmpdir(), 'meshkit-phase-'));
  await ensureStack({ projectDir: project, log: () => {} });
  const stack = await startStack({ log: () => {}, dir: path.join(project, '.stack', 'run'), prometheusDataDir: path.join(project, 'tsdb') });
  try {
    const probe = path.join(project, 'probe.rules.yml');
    writeFileSync(probe, JSON.stringify({ groups: [{ name: 'probe', rules: [{ record: 'probe', expr: 'vector(1)' }] }] }));
    const w = historyWindow(0.25, step);
    await backfillRules({ promtool: stackBinaries().promtool, prometheusUrl: stack.urls.prometheus, window: w, ruleFiles: [probe], restart: () => stack.restart('prometheus') });
    const [series] = await queryRange(stack.urls.prometheus, 'timestamp(probe)', w, step);
    return Math.round(Number(series!.values.at(-1)![1]) * 1000) % step;
  } finally {
    await stack.stop();
    rmSync(project, { recursive: true, force: true });
  }
}

let history: HistoryStack;
let window: HistoryWindow;
let prometheus: string;

beforeAll(async () => {
  const hours = findScenario(SCENARIO)!.hours;
  const base = historyWindow(hours);
  const step = base.scrapeIntervalMs;
  const shift = (((await evaluationPhaseMs(step)) - (base.startMs % step)) % step + step) % step;
  window = { startMs: base.startMs + shift, endMs: base.startMs + shift + hours * HOUR, scrapeIntervalMs: step };
  history = await startHistoryStack({ scenario: SCENARIO, seed: '1', hours, endMs: window.endMs, scrapeIntervalMs: window.scrapeIntervalMs });
  prometheus = history.stack.urls.prometheus;
  await backfillRules({
    promtool: stackBinaries().promtool,
    prometheusUrl: prometheus,
    window,
    ruleFiles: [path.join(__dirname, '..', '..', DRAFT_ALIASES_FILE)],
    restart: () => history.stack.restart('prometheus'),
  });
}, 600_000);

afterAll(async () => {
  await history?.stop();
});

/** The alias group's evaluation instants inside the window, from the timestamps of its samples. */
async function evaluationWindow(): Promise<HistoryWindow> {
  const [series] = await queryRange(prometheus, `timestamp(${alias('shardsInFlight')})`, window, window.scrapeIntervalMs);
  const lastMs = Math.round(Number(series!.values.at(-1)![1]) * 1000);
  const step = window.scrapeIntervalMs;
  // Skip the first hour: the `increase(...[1h])` query needs a full window of recorded samples.
  const startMs = lastMs - Math.floor((lastMs - window.startMs - 3_600_000) / step) * step;
  return { startMs, endMs: lastMs, scrapeIntervalMs: step };
}

const key = (s: Series) => JSON.stringify(Object.entries(s.metric).sort());

describe(`a panel on the draft names, ${SCENARIO}`, () => {
  it.each(DRAFT_PANEL.map((e) => [e] as const))('%s returns what our names return', async (draft) => {
    const at = await evaluationWindow();
    const run = (expr: string) => queryRange(prometheus, concreteExpr(expr, at, at.scrapeIntervalMs), at, at.scrapeIntervalMs);
    const [a, b] = await Promise.all([run(draft), run(ours(draft))]);
    expect(ours(draft)).not.toEqual(draft);
    // Not vacuous: the scenario gives the query data, and some of it is not 0.
    expect(b.length).toBeGreaterThan(0);
    expect(b.some((s) => s.values.some(([, v]) => Number(v) !== 0 && !Number.isNaN(Number(v))))).toBe(true);
    expect(a.map(key).sort()).toEqual(b.map(key).sort());
    const byKey = new Map(b.map((s) => [key(s), s.values]));
    for (const s of a) expect(s.values).toEqual(byKey.get(key(s)));
  });
});
