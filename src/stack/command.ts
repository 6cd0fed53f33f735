import path from 'node:path';
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { requireAllReady, runVerb } from '../cli/verb-args';
import { ensureStack } from './install';
import { stackRunDir } from './paths';
import { startStack } from './stack';
import { probe, readState, stopRecorded, type StackState, type StackUrls } from './state';

const USAGE = 'usage: meshkit-rebalance-obs stack install | up | down | status [--json]';

const runDir = (): string => stackRunDir();

export const stackCommand: Command = {
  summary: 'build, start, stop and inspect the local observability stack (Collector, Prometheus, Alertmanager, Jaeger)',
  run: (args: string[]): Promise<number> =>
    runVerb(args, USAGE, 'stack', {
      install: async () => {
        await ensureStack();
        return 0;
      },
      up,
      down,
      status,
    }),
};

async function up(): Promise<number> {
  const dir = runDir();
  const running = await runningState(dir);
  if (running) {
    progress(`[stack] already up (started ${running.startedAt})`);
    printUrls(running.urls);
    return 0;
  }
  await ensureStack();
  const previous = readState(dir);
  if (previous) await stopRecorded(previous); // leftovers of a stack that is only partly alive
  const stack = await startStack({ dir });
  printUrls(stack.urls);
  progress(`[stack] running in the background; logs in ${path.join(dir, 'logs')}; stop with "meshkit-rebalance-obs stack down"`);
  return 0;
}

async function down(): Promise<number> {
  const state = readState(runDir());
  if (!state) {
    progress('[stack] not running');
    return 0;
  }
  const stopped = await stopRecorded(state);
  progress(stopped.length > 0 ? `[stack] stopped ${stopped.join(', ')}` : '[stack] nothing was running; state cleared');
  return 0;
}

async function status(json: boolean): Promise<number> {
  const dir = runDir();
  const state = readState(dir);
  if (!state) throw new UserError('the stack is not up; start it with "meshkit-rebalance-obs stack up".', 1);
  const health = await probe(state);
  requireAllReady('stack', health, 'no component');
  if (json) {
    const { prometheus, alertmanager, otlp_http, trace_query } = state.urls;
    process.stdout.write(`${JSON.stringify({ prometheus, alertmanager, otlp_http, trace_query })}\n`);
  } else {
    for (const component of health) process.stdout.write(`${component.name.padEnd(14)} ready  pid ${component.pid}\n`);
    printUrls(state.urls);
  }
  return 0;
}

async function runningState(dir: string): Promise<StackState | undefined> {
  const state = readState(dir);
  if (!state) return undefined;
  const health = await probe(state);
  return health.length > 0 && health.every((component) => component.ready) ? state : undefined;
}

function printUrls(urls: StackUrls): void {
  for (const [name, url] of Object.entries(urls)) process.stdout.write(`${name.padEnd(14)} ${url}\n`);
}
