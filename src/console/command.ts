/** `meshkit-rebalance-obs console`: serves the live console on 127.0.0.1 until Ctrl-C. */
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { parseArgs } from '../simulator/args';
import { startConsoleServer } from './server';

const HELP = 'meshkit-rebalance-obs console --help';

const USAGE = `usage: meshkit-rebalance-obs console [--port N] [--prometheus URL] [--trace-query URL]

Serves on 127.0.0.1 a page with the exec and on-call dashboards (dashboards/*.json, the JSON Grafana
loads in production) drawn live by the preview renderer against Prometheus, refreshing on the
dashboard's interval, with the time picker and the namespace and cluster variables (several values
or All); exemplars on the duration heatmaps, each a link to its trace; and a trace page per plan
(/trace?planId=ID or /trace?traceId=ID) read from the trace backend. Runs until Ctrl-C.

  --port N           the port (default: a free one)
  --prometheus URL   Prometheus (default: the local stack's, "meshkit-rebalance-obs stack up")
  --trace-query URL  the Jaeger query API (default: the local stack's)`;

/** Checks that a server answers at all, so an unreachable one is named before the console starts. */
async function reachable(url: string, what: string, flag: string): Promise<void> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch {
    throw new UserError(`${what} at ${url} is not reachable; start the stack with "meshkit-rebalance-obs stack up" or pass ${flag} URL.`);
  }
}

export const consoleCommand: Command = {
  summary: 'serve the live console: the dashboards drawn against Prometheus, and a trace page per plan',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const parsed = parseArgs(args, { port: 'value', prometheus: 'value', 'trace-query': 'value' }, HELP);
    if (parsed.positional.length > 0) throw new UserError(`unexpected argument "${parsed.positional[0]}"; run "${HELP}" for the usage.`);
    const portText = parsed.values.get('port');
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new UserError(`--port must be a whole number from 1 to 65535, not "${portText}".`);
    let prometheusUrl = parsed.values.get('prometheus');
    let traceQueryUrl = parsed.values.get('trace-query');
    if (!prometheusUrl || !traceQueryUrl) {
      const { recordedStackUrls } = await import('../stack/state');
      const urls = recordedStackUrls();
      if (!urls) throw new UserError('the local stack is not up; run "meshkit-rebalance-obs stack up", or pass --prometheus URL and --trace-query URL.');
      prometheusUrl ??= urls.prometheus;
      traceQueryUrl ??= urls.trace_query;
    }
    for (const [url, flag] of [[prometheusUrl, '--prometheus'], [traceQueryUrl, '--trace-query']] as const) {
      if (!/^https?:\/\/[^/]+/.test(url)) throw new UserError(`${flag} must be an http:// or https:// URL, not "${url}".`);
    }
    prometheusUrl = prometheusUrl.replace(/\/$/, '');
    traceQueryUrl = traceQueryUrl.replace(/\/$/, '');
    await reachable(`${prometheusUrl}/-/ready`, 'Prometheus', '--prometheus');
    await reachable(traceQueryUrl, 'the trace backend', '--trace-query');
    const server = await startConsoleServer({ prometheusUrl, traceQueryUrl, port });
    process.stdout.write(`Console: ${server.url}  (dashboards live from ${prometheusUrl}; plan traces from ${traceQueryUrl})\n`);
    progress('[console] serving until Ctrl-C');
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
