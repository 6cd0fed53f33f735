import type { Command } from '../cli/command';
import { UserError } from '../cli/user-error';
import { fetchPlanTrace } from './jaeger';
import { renderTimeline } from './timeline';

const USAGE = 'usage: meshkit-rebalance-obs trace <planId> [--query URL] [--width N]';

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
    let width = process.stdout.columns ? Math.max(30, process.stdout.columns - 80) : 60;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--query') query = args[++i];
      else if (arg === '--width') width = Number(args[++i]);
      else if (arg.startsWith('-')) throw new UserError(`unknown option ${arg}; ${USAGE}`);
      else if (planId === undefined) planId = arg;
      else throw new UserError(`one plan id at a time; ${USAGE}`);
    }
    if (!planId) throw new UserError(USAGE);
    if (query === undefined && args.includes('--query')) throw new UserError(`--query needs a URL; ${USAGE}`);
    if (!Number.isInteger(width) || width < 20 || width > 400) throw new UserError('--width must be a whole number from 20 to 400.');
    const spans = await fetchPlanTrace(query ?? (await defaultQueryUrl()), planId);
    process.stdout.write(`${renderTimeline(spans, { width })}\n`);
    return 0;
  },
};
