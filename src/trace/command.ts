import type { Command } from '../cli/command';
import { UserError } from '../cli/user-error';
import { fetchPlanTrace } from './jaeger';
import { renderTimeline } from './timeline';

const USAGE = 'usage: meshkit-rebalance-obs trace <planId> [--query URL] [--width N] [--at TIME]';

async function defaultQueryUrl(): Promise<string> {
  const { recordedStackUrls } = await import('../stack/state');
  const { recordedFleetUrls } = await import('../fleet/state');
  const url = recordedStackUrls()?.trace_query ?? recordedFleetUrls()?.trace_query;
  if (!url) throw new UserError('neither the local stack nor the fleet is up; run "meshkit-rebalance-obs stack up" (or "fleet up") or pass --query URL of a Jaeger query API.');
  return url;
}

export const traceCommand: Command = {
  summary: 'print the per-shard drain timeline of one plan from the trace backend',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    let planId: string | undefined;
    let query: string | undefined;
    let at: string | undefined;
    let width = process.stdout.columns ? Math.max(30, process.stdout.columns - 80) : 60;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--query') query = args[++i];
      else if (arg === '--width') width = Number(args[++i]);
      else if (arg === '--at') at = args[++i] ?? '';
      else if (arg.startsWith('-')) throw new UserError(`unknown option ${arg}; ${USAGE}`);
      else if (planId === undefined) planId = arg;
      else throw new UserError(`one plan id at a time; ${USAGE}`);
    }
    if (!planId) throw new UserError(USAGE);
    if (query === undefined && args.includes('--query')) throw new UserError(`--query needs a URL; ${USAGE}`);
    if (!Number.isInteger(width) || width < 20 || width > 400) throw new UserError('--width must be a whole number from 20 to 400.');
    const nowMs = at === undefined ? Date.now() : Date.parse(at);
    // --at reads the trace as of a past time (an incident's): moves in flight end there.
    if (!Number.isFinite(nowMs)) throw new UserError(`--at must be a time such as 2026-01-05T01:15:00Z, not "${at}".`);
    const spans = await fetchPlanTrace(query ?? (await defaultQueryUrl()), planId, 48, nowMs);
    process.stdout.write(`${renderTimeline(spans, { width, nowUs: nowMs * 1000 })}\n`);
    return 0;
  },
};
