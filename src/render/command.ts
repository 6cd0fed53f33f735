/** `meshkit-rebalance-obs render`: the dashboards' preview screenshots, from simulated histories. */
import path from 'node:path';
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { parseArgs } from '../simulator/args';
import { SCENARIOS, findScenario } from '../simulator/scenarios';
import { packageRoot } from '../stack/paths';
import { renderShots, SHOTS, VIEWS, VIEWPORT, type Shot, type View } from './render';

const HELP = 'meshkit-rebalance-obs render --help';

const USAGE = `usage:
  meshkit-rebalance-obs render [--out DIR] [--view exec|oncall] [--scenario NAME]

Draws the dashboards (dashboards/*.json) as PNGs, ${VIEWPORT.width} px wide, from a simulated history loaded
into a local Prometheus with the shipped rules backfilled over it (seed 1, fixed start, UTC), so the
same inputs give the same pictures. Needs the stack's binaries ("meshkit-rebalance-obs stack install")
and Debian's chromium, which it installs with apt-get when /usr/bin/chromium is missing.

  --out DIR        where the PNGs go (default: docs/screenshots of the project)
  --view V         only the exec or the oncall view (default: both)
  --scenario NAME  draw that scenario's whole history, to <view>-<NAME>.png; without it, the committed
                   set: <view>-healthy.png (healthy-rebalance) and <view>-failing.png (mixed, first 75 min)`;

export const renderCommand: Command = {
  summary: 'render the dashboards as PNG screenshots from simulated histories',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const parsed = parseArgs(args, { out: 'value', view: 'value', scenario: 'value' }, HELP);
    if (parsed.positional.length > 0) throw new UserError(`unexpected argument "${parsed.positional[0]}"; run "${HELP}" for the usage.`);
    const view = parsed.values.get('view');
    if (view !== undefined && !(VIEWS as readonly string[]).includes(view)) throw new UserError(`--view must be exec or oncall, not "${view}".`);
    const scenario = parsed.values.get('scenario');
    if (scenario !== undefined && !findScenario(scenario)) {
      throw new UserError(`unknown scenario "${scenario}"; one of ${SCENARIOS.map((s) => s.name).join(', ')}.`);
    }
    const out = path.resolve(parsed.values.get('out') ?? path.join(packageRoot(), 'docs', 'screenshots'));
    const views = view ? [view as View] : [...VIEWS];
    const shots: Shot[] = scenario ? views.map((v) => ({ view: v, label: scenario, scenario })) : SHOTS.filter((s) => views.includes(s.view));
    const started = Date.now();
    const pngs = await renderShots({ shots, out, log: progress });
    progress(`[render] ${pngs.size} screenshot(s) in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  },
};
