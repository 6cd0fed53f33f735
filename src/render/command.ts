/** `meshkit-rebalance-obs render`: the dashboards' preview screenshots, from simulated histories. */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { parseArgs } from '../simulator/args';
import { SCENARIOS, findScenario } from '../simulator/scenarios';
import { packageRoot } from '../stack/paths';
import { planViewOf } from '../trace-page/routes';
import { renderTracePng } from '../trace-page/render';
import { ensureChromium } from './browser';
import { renderShots, SHOTS, VIEWS, VIEWPORT, type Shot, type View } from './render';

const HELP = 'meshkit-rebalance-obs render --help';

const USAGE = `usage:
  meshkit-rebalance-obs render [--out DIR] [--view exec|oncall] [--scenario NAME]
  meshkit-rebalance-obs render --install-chromium
  meshkit-rebalance-obs render trace <planId> --out FILE.png [--query URL] [--at TIME]
  meshkit-rebalance-obs render trace --trace-id ID --out FILE.png [--query URL] [--at TIME]

Draws the dashboards (dashboards/*.json) as PNGs, ${VIEWPORT.width} px wide, from a simulated history loaded
into a local Prometheus with the shipped rules backfilled over it (seed 1, fixed start, UTC), so the
same inputs give the same pictures. Needs the stack's binaries ("meshkit-rebalance-obs stack install")
and Debian's chromium, which it installs with apt-get when /usr/bin/chromium is missing
(--install-chromium only does that; scripts/setup.sh runs it).

  --out DIR        where the PNGs go (default: docs/screenshots of the project)
  --view V         only the exec or the oncall view (default: both)
  --scenario NAME  draw that scenario's whole history, to <view>-<NAME>.png; without it, the committed
                   set: <view>-healthy.png (healthy-rebalance) and <view>-failing.png (mixed, first 75 min)

"render trace" draws the trace page of one plan (every move, its phases, failures, drain reports,
moves in flight up to now) to a PNG for incident notes, from the trace backend (--query URL of a
Jaeger query API; default: the local stack's). --at TIME (ISO 8601, e.g. 2026-01-05T01:15:00Z) draws
it as of that time: moves in flight end there.`;

export const renderCommand: Command = {
  summary: 'render the dashboards as PNG screenshots from simulated histories',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args[0] === 'trace') return renderTrace(args.slice(1));
    const parsed = parseArgs(args, { out: 'value', view: 'value', scenario: 'value', 'install-chromium': 'flag' }, HELP);
    if (parsed.flags.has('install-chromium')) {
      if (args.length > 1) throw new UserError('--install-chromium takes no other argument.');
      progress(`[render] Chromium: ${await ensureChromium()}`);
      return 0;
    }
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

async function renderTrace(args: string[]): Promise<number> {
  const parsed = parseArgs(args, { out: 'value', query: 'value', 'trace-id': 'value', at: 'value' }, HELP);
  const at = parsed.values.get('at');
  const atMs = at === undefined ? undefined : Date.parse(at);
  if (atMs !== undefined && !Number.isFinite(atMs)) throw new UserError(`--at must be a time such as 2026-01-05T01:15:00Z, not "${at}".`);
  const traceId = parsed.values.get('trace-id');
  if (parsed.positional.length > 1) throw new UserError(`one plan id at a time; run "${HELP}" for the usage.`);
  const planId = parsed.positional[0];
  if (!planId === !traceId) throw new UserError(`give a plan id or --trace-id ID; run "${HELP}" for the usage.`);
  if (traceId !== undefined && !/^[0-9a-f]{1,32}$/i.test(traceId)) throw new UserError(`"${traceId}" is not a trace id (up to 32 hex digits).`);
  const outArg = parsed.values.get('out');
  if (!outArg) throw new UserError(`render trace needs --out FILE.png; run "${HELP}" for the usage.`);
  if (!outArg.endsWith('.png')) throw new UserError(`--out must name a .png file, not "${outArg}".`);
  const out = path.resolve(outArg);
  if (!existsSync(path.dirname(out))) throw new UserError(`the directory of --out, ${path.dirname(out)}, does not exist.`);
  let query = parsed.values.get('query');
  if (!query) {
    const { recordedStackUrls } = await import('../stack/state');
    query = recordedStackUrls()?.trace_query;
    if (!query) throw new UserError('the local stack is not up; run "meshkit-rebalance-obs stack up" or pass --query URL of a Jaeger query API.');
  }
  const params = new URLSearchParams(planId ? { planId } : { traceId: traceId! });
  if (atMs !== undefined) params.set('now', String(atMs));
  // Find the trace before starting Chromium: a wrong id or an unreachable backend is said at once.
  const view = await planViewOf(query, params);
  progress(`[render] plan ${view.planId}: ${view.moves.length} moves; drawing…`);
  const started = Date.now();
  const png = await renderTracePng({ traceQueryUrl: query, query: params });
  writeFileSync(out, png);
  progress(`[render] ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}
