/**
 * Every panel of both dashboards on data: each simulator scenario's deterministic history (seed 1,
 * from the simulator's fixed start) in a real Prometheus with the shipped recording and alerting
 * rules backfilled over it, every query of every panel run over the history's window with the
 * template variables substituted (All selected, $__interval 30s, $__rate_interval 1m at a 15 s
 * scrape interval, $__range the window).
 *
 * The claim checked is the panel → scenario table (src/dashboards/panel-scenarios.ts): a panel shows
 * its signal — some query that is not a reference line (a "… limit" series) has a non-zero sample
 * in the window — in exactly the scenarios the table lists, and there every query of the panel
 * returns series. The observed table is printed.
 *
 * hyperscale runs 3 virtual hours scraped every 60 s (its own length is 24 h), as in the hyperscale
 * query-time test; its claims are about that window.
 */
import { dashboardPanels, panelScenarios } from '../../src/dashboards/panel-scenarios';
import { SCENARIOS, type Scenario } from '../../src/dashboards/scenarios';
import { loadHistory, runPanels, type PanelResult } from './helpers';

const RUNS: { scenario: Scenario; hours?: number; scrapeIntervalMs?: number }[] = SCENARIOS.map((scenario) =>
  scenario === 'hyperscale' ? { scenario, hours: 3, scrapeIntervalMs: 60_000 } : { scenario },
);

/** A reference line drawn next to the signal (the policy limit), not the signal itself. */
const isReference = (legend: string | undefined) => /\blimit$/.test(legend ?? '');

function showsSignal(r: PanelResult): boolean {
  return r.targets.some((t, i) => t.nonZero && !isReference(r.panel.targets[i]!.legend));
}
const everyQueryAnswers = (r: PanelResult) => r.targets.every((t) => t.series > 0);

const observed = new Map<Scenario, PanelResult[]>();

beforeAll(async () => {
  for (const run of RUNS) {
    const history = await loadHistory(run.scenario, run);
    try {
      observed.set(run.scenario, await runPanels(history.prometheus, history.window));
    } finally {
      await history.stop();
    }
  }
}, 600_000);

afterAll(() => {
  if (observed.size === 0) return;
  process.stdout.write(`\n${table()}\n`);
});

/** Panels × scenarios: ● signal where listed, · quiet where not listed, ✗ where reality and the table disagree. */
function table(): string {
  const panels = dashboardPanels();
  const width = Math.max(...panels.map((p) => p.title.length)) + 2;
  const head = `${'panel'.padEnd(width)}${SCENARIOS.map((s) => s.slice(0, 6).padEnd(7)).join('')}`;
  const lines = panels.map((p, i) => {
    const cells = SCENARIOS.map((s) => {
      const r = observed.get(s)?.[i];
      if (!r) return '?'.padEnd(7);
      const listed = panelScenarios[p.title]!.includes(s);
      const signal = showsSignal(r);
      const mark = signal === listed ? (signal ? (everyQueryAnswers(r) ? '●' : '◐') : '·') : '✗';
      return mark.padEnd(7);
    });
    return `${p.title.padEnd(width)}${cells.join('')}`;
  });
  return [head, ...lines, '● signal, listed   · no signal, not listed   ✗ disagrees with panelScenarios   ◐ signal but a query of the panel returned nothing'].join('\n');
}

describe.each(dashboardPanels().map((p, i) => [`${p.dashboard} / ${p.title}`, i] as const))('%s', (_name, index) => {
  it('shows its signal in exactly the scenarios panelScenarios lists, with every query answering there', () => {
    const panel = dashboardPanels()[index]!;
    const withSignal = SCENARIOS.filter((s) => showsSignal(observed.get(s)![index]!));
    expect(withSignal).toEqual(SCENARIOS.filter((s) => panelScenarios[panel.title]!.includes(s)));
    const silent = withSignal.filter((s) => !everyQueryAnswers(observed.get(s)![index]!));
    expect(silent).toEqual([]);
  });
});
