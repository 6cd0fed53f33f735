import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { recordedStackUrls } from '../stack/state';
import type { RebalanceTelemetryOptions } from '../index';
import { parseArgs, parseDuration, parsePort, parsePositive } from './args';
import { DEFAULT_HISTORY_START, HOUR, MINUTE } from './clock';
import { buildWorld, formatProgress, runHistory, runLive, type RunFigures } from './runner';
import { SCENARIOS, findScenario, type Scenario } from './scenarios';

const HELP = 'meshkit-rebalance-obs simulate --help';
const DEFAULT_SEED = '42';
const DEFAULT_PROMETHEUS_PORT = 9464;

const USAGE = `usage:
  meshkit-rebalance-obs simulate --list
  meshkit-rebalance-obs simulate --scenario NAME [--speed N] [--duration D] [--seed S]
                                 [--no-stack] [--otlp URL] [--prometheus-port P]
  meshkit-rebalance-obs simulate history --scenario NAME --out FILE [--hours H] [--seed S]
                                 [--scrape-interval D] [--start TIME]

live mode     runs the scenario on a virtual clock that advances at --speed × real time (default 1) for
              --duration of virtual time (default: until interrupted), exporting through the SDK:
              OTLP to --otlp URL (the local stack's Collector), or with --no-stack a Prometheus pull
              endpoint per controller on 127.0.0.1, from --prometheus-port (default ${DEFAULT_PROMETHEUS_PORT}) upwards.
history mode  runs --hours of virtual time (default: the scenario's own length) as fast as possible and
              writes what Prometheus would have scraped every --scrape-interval (default 15s) to --out as
              OpenMetrics, for "promtool tsdb create-blocks-from openmetrics FILE DIR". The history starts
              at --start (ISO 8601; default ${new Date(DEFAULT_HISTORY_START).toISOString()}, so that a seed gives the
              same bytes), or use --start now to end it at the current time.
durations     90s, 30m, 2h, 1h30m, 1d`;

/** The Collector's OTLP/HTTP URL of the stack `stack up` started in this project. */
export function stackCollectorEndpoint(): string | undefined {
  return recordedStackUrls()?.otlp_http;
}

export const simulateCommand: Command = {
  summary: 'run the simulated rebalancer: live telemetry, or an OpenMetrics history for promtool',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args[0] === 'history') return history(args.slice(1));
    return live(args);
  },
};

async function live(args: string[]): Promise<number> {
  const parsed = parseArgs(
    args,
    { list: 'flag', scenario: 'value', speed: 'value', duration: 'value', seed: 'value', 'no-stack': 'flag', otlp: 'value', 'prometheus-port': 'value' },
    HELP,
  );
  if (parsed.positional.length > 0) throw new UserError(`unexpected argument "${parsed.positional[0]}"; run "${HELP}" for the usage.`);
  if (parsed.flags.has('list')) {
    process.stdout.write(listScenarios());
    return 0;
  }
  const scenario = scenarioOf(parsed.values.get('scenario'));
  const speed = parsed.values.has('speed') ? parsePositive(parsed.values.get('speed')!, 'speed') : 1;
  const durationMs = parsed.values.has('duration') ? parseDuration(parsed.values.get('duration')!, 'duration') : undefined;
  const seed = seedOf(parsed.values.get('seed'));
  const noStack = parsed.flags.has('no-stack');
  const otlp = parsed.values.has('otlp') ? parseUrl(parsed.values.get('otlp')!) : noStack ? undefined : stackCollectorEndpoint();
  if (!otlp && !noStack) {
    throw new UserError('the local stack is not up; run "meshkit-rebalance-obs stack up", or pass --otlp URL (e.g. http://127.0.0.1:4318) or --no-stack to serve Prometheus pull endpoints.');
  }
  const basePort = parsed.values.has('prometheus-port') ? parsePort(parsed.values.get('prometheus-port')!, 'prometheus-port') : DEFAULT_PROMETHEUS_PORT;
  const pull = noStack || parsed.values.has('prometheus-port');
  if (pull) await checkPorts(basePort, await controllerCount(scenario, seed));

  const exporters = (i: number): Partial<RebalanceTelemetryOptions> => ({
    ...(pull ? { prometheus: { host: '127.0.0.1', port: basePort + i } } : {}),
    ...(otlp ? { otlp: { endpoint: otlp } } : {}),
  });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const howLong = durationMs === undefined ? 'until interrupted' : `for ${formatDuration(durationMs)} of virtual time (${formatDuration(durationMs / speed)} real)`;
  progress(`[simulate] ${scenario.name} (seed ${seed}) at ${speed}× real time, ${howLong}`);
  if (speed > 1) {
    progress(
      `[simulate] note: at ${speed}× the virtual clock runs ahead of the wall clock, so timestamp gauges (heartbeat, last progress, ` +
        'oldest pending approval) lie in Prometheus\'s future and age-based alerts fire late; use "simulate history" to test alerts.',
    );
  }
  try {
    const figures = await runLive({
      scenario,
      seed,
      speed,
      durationMs,
      exporters,
      signal: abort.signal,
      onStart: (started) => {
        for (const { controller, handle } of started) {
          const where = [handle.prometheusUrl ? `metrics at ${handle.prometheusUrl}` : '', otlp ? `OTLP to ${otlp}` : ''].filter(Boolean).join(', ');
          process.stdout.write(`[simulate] ${controller.id}: ${where}\n`);
        }
      },
      onProgress: (p) => progress(formatProgress(p)),
      onDeath: (controller) => progress(`[simulate] ${controller.id} died: its telemetry stops`),
    });
    progress(`[simulate] stopped after ${formatDuration(figures.virtualHours * HOUR)} of virtual time: ${summary(figures)}`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  return 0;
}

async function history(args: string[]): Promise<number> {
  const parsed = parseArgs(
    args,
    { scenario: 'value', hours: 'value', out: 'value', seed: 'value', 'scrape-interval': 'value', start: 'value' },
    HELP,
  );
  if (parsed.positional.length > 0) throw new UserError(`unexpected argument "${parsed.positional[0]}"; run "${HELP}" for the usage.`);
  const scenario = scenarioOf(parsed.values.get('scenario'));
  const hours = parsed.values.has('hours') ? parsePositive(parsed.values.get('hours')!, 'hours') : scenario.hours;
  if (hours > 24 * 366) throw new UserError('--hours must be at most a year (8784).');
  const out = parsed.values.get('out');
  if (!out) throw new UserError('history needs --out FILE, the OpenMetrics file to write.');
  const dir = path.dirname(path.resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`the directory of --out (${dir}) does not exist.`);
  const seed = seedOf(parsed.values.get('seed'));
  const scrapeIntervalMs = parsed.values.has('scrape-interval') ? parseDuration(parsed.values.get('scrape-interval')!, 'scrape-interval') : undefined;
  if (scrapeIntervalMs !== undefined && (scrapeIntervalMs < 1000 || scrapeIntervalMs % 1000 !== 0)) {
    throw new UserError('--scrape-interval must be a whole number of seconds, at least 1s.');
  }
  const startMs = startOf(parsed.values.get('start'), hours);

  progress(`[simulate] ${scenario.name} (seed ${seed}): ${formatHours(hours)} virtual h → ${out}`);
  const result = await runHistory({
    scenario,
    seed,
    hours,
    out,
    startMs,
    scrapeIntervalMs,
    onProgress: (p) => progress(formatProgress(p)),
  });
  progress(
    `[simulate] wrote ${out}: ${(result.bytes / 1e6).toFixed(1)} MB, ${result.samples} samples of ${result.series} series, ` +
      `${result.scrapes} scrapes; ${summary(result)}`,
  );
  progress(`[simulate] load it with: promtool tsdb create-blocks-from openmetrics ${out} DATA_DIR`);
  return 0;
}

function summary(f: RunFigures): string {
  return (
    `${f.plansCreated} plans, ${f.movesStarted} moves, ${f.hookCalls} hook calls in ${f.wallSeconds.toFixed(1)} s ` +
    `(${Math.round(f.hookCallsPerSecond)}/s), peak RSS ${Math.round(f.peakRssBytes / 1048576)} MiB, heap ${Math.round(f.peakHeapBytes / 1048576)} MiB`
  );
}

function listScenarios(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  const lines = SCENARIOS.map((s) => {
    const alerts = s.alerts.length === 0 ? 'no alerts' : s.alerts.join(', ');
    return `${s.name.padEnd(width)}  ${String(s.hours).padStart(2)} h  ${s.description}\n${' '.repeat(width + 8)}expects: ${alerts}`;
  });
  return `${lines.join('\n')}\n`;
}

function scenarioOf(name: string | undefined): Scenario {
  if (!name) throw new UserError(`--scenario NAME is required; run "meshkit-rebalance-obs simulate --list" for the scenarios.`);
  const scenario = findScenario(name);
  if (!scenario) throw new UserError(`unknown scenario "${name}"; run "meshkit-rebalance-obs simulate --list" for the scenarios.`);
  return scenario;
}

function seedOf(seed: string | undefined): string {
  if (seed === undefined) return DEFAULT_SEED;
  if (seed.length === 0 || seed.length > 64) throw new UserError('--seed must be 1 to 64 characters.');
  return seed;
}

function startOf(text: string | undefined, hours: number): number {
  if (text === undefined) return DEFAULT_HISTORY_START;
  if (text === 'now') return Math.floor((Date.now() - hours * HOUR) / MINUTE) * MINUTE;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new UserError(`--start "${text}" is neither an ISO 8601 time (2026-01-05T00:00:00Z) nor "now".`);
  return ms;
}

function parseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`--otlp "${text}" is not a URL like http://127.0.0.1:4318.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--otlp must be an http or https URL, not "${text}".`);
  return text.replace(/\/+$/, '');
}

/** How many controllers (and so pull endpoints) a scenario starts: its world, built and thrown away. */
async function controllerCount(scenario: Scenario, seed: string): Promise<number> {
  const world = buildWorld(scenario, seed, 0);
  await Promise.all([...world.handles.values()].map((h) => h.shutdown()));
  return world.controllers.length;
}

async function checkPorts(base: number, count: number): Promise<void> {
  if (base + count - 1 > 65535) throw new UserError(`--prometheus-port ${base} leaves no room for ${count} endpoints below 65536.`);
  for (let port = base; port < base + count; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (!free) {
      const range = count > 1 ? ` (this scenario needs ports ${base}-${base + count - 1})` : '';
      throw new UserError(`port ${port} on 127.0.0.1 is in use${range}; pick another base with --prometheus-port.`);
    }
  }
}

function formatHours(h: number): string {
  return Number.isInteger(h) ? String(h) : h.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** 4210000 → "1h10m10s"; under a minute with one decimal when needed. */
function formatDuration(ms: number): string {
  if (ms < MINUTE) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
