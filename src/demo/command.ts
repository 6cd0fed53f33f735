/**
 * `meshkit-rebalance-obs demo`: installs and starts the local stack (or reuses the running one),
 * runs the tour of simulated scenarios through the SDK → Collector → Prometheus / Jaeger, shows
 * what Prometheus sees as it happens, and ends by saying where to look.
 */
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { SERVICE_NAME, type RebalanceTelemetryOptions } from '../index';
import { parseArgs, parseDuration } from '../simulator/args';
import { MINUTE, SECOND } from '../simulator/clock';
import { packageRoot } from '../stack/paths';
import { freePorts } from '../stack/ports';
import { fetchPlanTrace } from '../trace/jaeger';
import { formatDuration as formatSpan, renderTimeline } from '../trace/timeline';
import { startConsoleServer, type ConsoleServer } from '../console/server';
import { bringUpStack, finishInstall, traceBackendUp, type DemoStack } from './demo-stack';
import { TourRun, countControllers, type CompletedPlan } from './engine';
import { AlertTracker, LiveScreen, clock, renderFrame, type AlertEvent, type FrameModel } from './screen';
import { LocalStatus, PrometheusStatus, type Snapshot } from './status';
import { defaultTour, storyOf, tourScopes, type Tour } from './tour';

const HELP = 'meshkit-rebalance-obs demo --help';
const DEFAULT_DURATION_MS = 6 * MINUTE;
const MIN_DURATION_MS = 30 * SECOND;
const MAX_DURATION_MS = 24 * 60 * MINUTE;
const DEFAULT_PULL_PORT = 9464;
/** How often each controller pushes its metrics to the Collector during the demo. */
const EXPORT_INTERVAL_MS = 5000;
const TICK_MS = 200;
const REDRAW_MS = 1000;
const REFRESH_MS = 2000;

const USAGE = `usage: meshkit-rebalance-obs demo [--duration D] [--keep] [--no-stack] [--console-port N]

Runs a tour of the simulator's scenarios across two clusters for --duration of wall-clock time
(default ${clock(DEFAULT_DURATION_MS)}; 90s, 5m, 1h30m), each controller reporting through the SDK over OTLP to the
local stack's Collector, and shows what Prometheus sees: plans by state, moves in flight against the
limit, and alerts as they fire and resolve. At the start it prints the URL of the live console: the
exec and on-call dashboards drawn against that Prometheus, and a trace page per plan. At the end it
says where to look: Prometheus, the trace backend, the trace of a slow plan, the dashboards.

  --duration D  how long the tour runs (at least 30s)
  --keep        leave the stack up at the end (by default the demo stops the stack it started;
                a stack that was already up always stays up)
  --no-stack    no Collector, Prometheus or alerts: each simulated controller serves its metrics on
                its own Prometheus pull endpoint on 127.0.0.1, from port ${DEFAULT_PULL_PORT} upwards
                (and no console, which draws from Prometheus)
  --console-port N  the console's port on 127.0.0.1 (default: a free one)

The first run builds the stack from Go modules (minutes); later runs start it in seconds.
Ctrl-C ends the tour early and still cleans up.`;

export const demoCommand: Command = {
  summary: 'a guided tour: simulated rebalancers across two clusters, their metrics, alerts and traces on the local stack',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const parsed = parseArgs(args, { duration: 'value', keep: 'flag', 'no-stack': 'flag', 'console-port': 'value' }, HELP);
    if (parsed.positional.length > 0) throw new UserError(`unexpected argument "${parsed.positional[0]}"; run "${HELP}" for the usage.`);
    const durationMs = parsed.values.has('duration') ? parseDuration(parsed.values.get('duration')!, 'duration') : DEFAULT_DURATION_MS;
    if (durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS) throw new UserError('--duration must be from 30s to 24h.');
    const noStack = parsed.flags.has('no-stack');
    const keep = parsed.flags.has('keep');
    if (noStack && keep) throw new UserError('--keep keeps the stack up, and --no-stack runs without one: pick one.');
    const portText = parsed.values.get('console-port');
    const consolePort = portText === undefined ? undefined : Number(portText);
    if (consolePort !== undefined && !(Number.isInteger(consolePort) && consolePort >= 1 && consolePort <= 65535)) {
      throw new UserError(`--console-port must be a whole number from 1 to 65535, not "${portText}".`);
    }
    if (noStack && consolePort !== undefined) throw new UserError('--console-port: the console draws from the stack\'s Prometheus, and --no-stack runs without one.');
    return runDemo({ durationMs, noStack, keep, consolePort, tour: defaultTour() });
  },
};

interface DemoOptions {
  durationMs: number;
  noStack: boolean;
  keep: boolean;
  consolePort: number | undefined;
  tour: Tour;
}

/** The stack the demo talks to: one it started, or one `stack up` left running. */
/** Ctrl-C (or SIGTERM): the first ends the tour, the second skips what is left but cleaning up, the third leaves at once. */
class Interrupts {
  readonly controller = new AbortController();
  count = 0;
  private readonly handler = () => {
    this.count++;
    if (this.count === 1) {
      this.controller.abort();
    } else if (this.count === 2) {
      progress('\n[demo] cleaning up; press Ctrl-C once more to leave at once');
    } else {
      progress('\n[demo] leaving now; if a stack is still running, stop it with "meshkit-rebalance-obs stack down"');
      showCursor();
      process.exit(130);
    }
  };

  constructor() {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  get aborted(): boolean {
    return this.count > 0;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}

const isTty = (): boolean => Boolean(process.stdout.isTTY);
const color = (): boolean => isTty() && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
const say = (text = ''): void => void process.stdout.write(`${text}\n`);
const bold = (text: string): string => (color() ? `\x1b[1m${text}\x1b[0m` : text);
function showCursor(): void {
  if (isTty()) process.stdout.write('\x1b[?25h');
}

async function runDemo(options: DemoOptions): Promise<number> {
  const interrupts = new Interrupts();
  let stack: DemoStack | undefined;
  let run: TourRun | undefined;
  let consoleServer: ConsoleServer | undefined;
  try {
    const scopes = tourScopes(options.tour);
    const controllers = await countControllers(options.tour);
    let exporters: (i: number) => Partial<RebalanceTelemetryOptions>;
    let pullUrls: string[] = [];
    if (options.noStack) {
      progress('[demo] --no-stack: no Collector, no Prometheus, no trace backend, so no alerts are evaluated;');
      progress('[demo] each simulated controller serves its own metrics on a Prometheus pull endpoint instead.');
      const ports = await pullPorts(controllers);
      pullUrls = ports.map((p) => `http://127.0.0.1:${p}/metrics`);
      exporters = (i) => ({ prometheus: { host: '127.0.0.1', port: ports[i] } });
    } else {
      stack = await bringUpStack(interrupts);
      if (!stack) return 130;
      consoleServer = await startConsole(stack, options.consolePort);
      const endpoint = stack.urls.otlp_http;
      exporters = () => ({ otlp: { endpoint, metricExportIntervalMillis: EXPORT_INTERVAL_MS } });
    }

    const startMs = Date.now();
    run = new TourRun({ tour: options.tour, startMs, exporters });
    intro(options, run, scopes, stack, pullUrls, consoleServer);
    progress(`[demo] fast-forwarding each scenario to where the tour picks it up…`);
    const ff = Date.now();
    run.fastForward();
    progress(`[demo] done in ${((Date.now() - ff) / 1000).toFixed(1)} s; from now on every clock is the wall clock`);
    say();

    const tracker = new AlertTracker();
    const source = stack
      ? new PrometheusStatus(stack.urls.prometheus, scopes)
      : new LocalStatus(() => run!.alive(), scopes);
    const sourceLine = stack
      ? `SDK → OTLP → Collector ${stack.urls.otlp_http} → Prometheus ${stack.urls.prometheus} (rules evaluated every 5 s)`
      : `each controller's own metric data, as its pull endpoint serves it (no Prometheus, no alerts)`;
    const cues = options.tour.cues.filter((c) => c.atMs <= options.durationMs);
    // Alerts a reused stack already had (from earlier data) are not the tour's: no events for them.
    const before = await source.snapshot();
    if (before.alerts) tracker.baseline(before.alerts);
    // The live screen owns a terminal: install lines wait below it (its frame says what still builds).
    const held: string[] = [];
    if (isTty()) stack?.routeLog((line) => held.push(line));
    await live({
      run,
      startMs,
      durationMs: options.durationMs,
      signal: interrupts.controller.signal,
      refresh: () => source.snapshot(),
      onSnapshot: (snapshot, elapsed) => (snapshot.alerts ? tracker.update(snapshot.alerts, elapsed) : []),
      frame: (elapsedMs, snapshot, snapshotAgeMs) => ({
        elapsedMs,
        durationMs: options.durationMs,
        source: sourceLine,
        scopes,
        snapshot,
        snapshotAgeMs,
        cues: stack ? cues : [],
        tracker,
        noAlertsReason: stack ? undefined : 'none: alerts need Prometheus; run the demo without --no-stack to see them fire.',
        stackNote: stack?.lateNote(),
      }),
    });
    stack?.routeLog(undefined);
    for (const line of held) progress(line);
    const elapsed = Date.now() - startMs;
    say();
    say(bold(interrupts.aborted ? `Stopped by Ctrl-C after ${clock(elapsed)}.` : `The tour is over after ${clock(elapsed)}.`));
    if (stack) recap(tracker);
    progress('[demo] flushing the controllers\' telemetry…');
    const finished = run;
    run = undefined;
    await withTimeout(finished.shutdown(), 15_000);
    const slow = await slowPlan(finished, stack, () => interrupts.count > 1);
    whereToLook(stack, options.keep, pullUrls, slow, consoleServer);
    return 0;
  } catch (error) {
    if (interrupts.aborted && !(error instanceof UserError)) {
      progress('[demo] interrupted');
      return 130;
    }
    throw error;
  } finally {
    showCursor();
    await consoleServer?.close();
    if (run) await withTimeout(run.shutdown(), 10_000);
    if (stack?.startedHere) {
      if (options.keep) {
        say(`The stack keeps running (--keep): "meshkit-rebalance-obs stack status" shows it, "meshkit-rebalance-obs stack down" stops it.`);
      } else {
        progress('[demo] stopping the stack the demo started (pass --keep to leave it up and explore)…');
        await stack.stop();
        progress('[demo] stack stopped');
      }
    } else if (stack) {
      say('The stack was up before the demo and stays up; "meshkit-rebalance-obs stack down" stops it.');
    }
    if (stack) await finishInstall(stack.installed);
    interrupts.dispose();
  }
}

/** Ports for the pull endpoints: 9464 upwards when they are all free, else any free ones. */
async function pullPorts(count: number): Promise<number[]> {
  const wanted = Array.from({ length: count }, (_, i) => DEFAULT_PULL_PORT + i);
  const free = await Promise.all(wanted.map(portFree));
  return free.every(Boolean) ? wanted : freePorts(count);
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The console on the demo's stack; the tour runs without it when it cannot start (no esbuild, a taken port). */
async function startConsole(stack: DemoStack, port: number | undefined): Promise<ConsoleServer | undefined> {
  try {
    return await startConsoleServer({ prometheusUrl: stack.urls.prometheus, traceQueryUrl: stack.urls.trace_query, port });
  } catch (error) {
    progress(`[demo] the live console could not start (${(error as Error).message}); the tour runs without it`);
    return undefined;
  }
}

/** The console link the demo gives: the last quarter hour, the dashboards' own refresh. */
const consoleLink = (server: ConsoleServer) => `${server.url}?view=oncall&from=now-15m`;

function intro(options: DemoOptions, run: TourRun, scopes: string[], stack: DemoStack | undefined, pullUrls: string[], consoleServer: ConsoleServer | undefined): void {
  const clusters = new Set(scopes.map((s) => s.split('/')[0])).size;
  say();
  if (consoleServer) {
    say(bold(`Open the live console: ${consoleLink(consoleServer)}`));
    say('  the exec and on-call dashboards drawn live against the stack\'s Prometheus, and a trace page per plan (click a plan id)');
  }
  say();
  say(bold(`MeshKit rebalancer demo: ${run.controllers.length} simulated controllers in ${scopes.length} namespaces of ${clusters} clusters, for ${clock(options.durationMs)}`));
  if (stack) {
    say(`Every controller reports through the SDK over OTLP to the Collector (${stack.urls.otlp_http}), which forwards`);
    say(`metrics to Prometheus (${stack.urls.prometheus}) and traces to Jaeger (${stack.urls.trace_query}).`);
  } else {
    say('Every controller serves its metrics on its own pull endpoint (scrape them with any Prometheus):');
    run.controllers.forEach(({ controller }, i) => say(`  ${pullUrls[i]}  ${controller.id}`));
  }
  say('Each scenario starts part-way through its story (the earlier part is fast-forwarded), then runs in real time:');
  const rows = scopes.map((scope) => {
    const act = options.tour.acts.find((a) => a.stories[scope])!;
    return [scope, `${act.scenario.name} from ${minutes(act.preludeMs)} in`, storyOf(options.tour, scope) ?? ''];
  });
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [scope, where, story] of rows) say(`  ${scope.padEnd(widths[0])}  ${where.padEnd(widths[1])}  ${story}`);
  say();
}

interface LiveOptions {
  run: TourRun;
  startMs: number;
  durationMs: number;
  signal: AbortSignal;
  refresh: () => Promise<Snapshot>;
  onSnapshot: (snapshot: Snapshot, elapsedMs: number) => AlertEvent[];
  frame: (elapsedMs: number, snapshot: Snapshot | undefined, snapshotAgeMs: number) => FrameModel;
}

/** Advances the worlds with the wall clock, refreshes the figures and redraws until the end or Ctrl-C. */
async function live(o: LiveOptions): Promise<void> {
  const tty = isTty();
  const screen = tty ? new LiveScreen(process.stdout, color()) : undefined;
  let snapshot: Snapshot | undefined;
  let snapshotAt = 0;
  let refreshing = false;
  let lastSummary = -15_000; // a first summary 15 s in, then every 30 s
  if (tty) process.stdout.write('\x1b[?25l');

  const elapsed = () => Date.now() - o.startMs;
  const draw = () => {
    if (screen) screen.draw(renderFrame(o.frame(Math.min(elapsed(), o.durationMs), snapshot, Date.now() - snapshotAt), screen.width, screen.height));
    else if (snapshot && elapsed() - lastSummary >= 30_000) {
      lastSummary = elapsed();
      say(plainSummary(elapsed(), snapshot));
    }
  };
  const refresh = async () => {
    if (refreshing) return;
    refreshing = true;
    try {
      const next = await o.refresh();
      const at = elapsed();
      snapshot = next;
      snapshotAt = Date.now();
      const events = o.onSnapshot(next, at);
      if (!screen) for (const e of events) say(plainEvent(e));
    } finally {
      refreshing = false;
    }
  };

  await new Promise<void>((resolve) => {
    const end = o.startMs + o.durationMs;
    const tick = setInterval(() => o.run.advanceTo(Math.min(Date.now(), end)), TICK_MS);
    const redraw = setInterval(draw, REDRAW_MS);
    const poll = setInterval(() => void refresh(), REFRESH_MS);
    const stop = setTimeout(finish, Math.max(0, end - Date.now()));
    o.signal.addEventListener('abort', finish);
    if (o.signal.aborted) finish();
    draw();
    function finish() {
      clearInterval(tick);
      clearInterval(redraw);
      clearInterval(poll);
      clearTimeout(stop);
      o.signal.removeEventListener('abort', finish);
      o.run.advanceTo(Math.min(Date.now(), end));
      resolve();
    }
  });
  // One last look, so the final frame shows the end state.
  await withTimeout(refresh(), 5000);
  draw();
  screen?.close();
  showCursor();
}

/** 3230000 → "53m50s". */
function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${s % 60 ? `${String(s % 60).padStart(2, '0')}s` : ''}`;
}

function plainEvent(e: AlertEvent): string {
  const change = e.change === 'firing' ? 'FIRING' : e.change === 'resolved' ? 'RESOLVED' : 'PENDING';
  return `[demo ${clock(e.atMs)}] ${change} ${e.alert.alertname} ${e.alert.scope ?? ''} ${e.alert.detail}`.trimEnd();
}

function plainSummary(elapsedMs: number, snapshot: Snapshot): string {
  let live = 0;
  let inFlight = 0;
  for (const s of snapshot.scopes.values()) {
    for (const n of Object.values(s.plans)) live += n;
    inFlight += s.inFlight ?? 0;
  }
  const firing = snapshot.alerts?.filter((a) => a.state === 'firing').length;
  const pending = snapshot.alerts?.filter((a) => a.state === 'pending').length;
  const alerts = firing === undefined ? '' : `, alerts ${firing} firing, ${pending} pending`;
  return `[demo ${clock(elapsedMs)}] ${live} live plans, ${Math.round(inFlight)} moves in flight${alerts}${snapshot.error ? ` (${snapshot.error})` : ''}`;
}

function recap(tracker: AlertTracker): void {
  const fired = new Map<string, { alert: string; scope: string; detail: string; resolved: boolean }>();
  for (const e of tracker.events) {
    const key = e.alert.key;
    if (e.change === 'firing') fired.set(key, { alert: e.alert.alertname, scope: e.alert.scope ?? '', detail: e.alert.detail, resolved: false });
    else if (e.change === 'resolved' && fired.has(key)) fired.get(key)!.resolved = true;
  }
  if (fired.size === 0) {
    say('No alert fired while it ran (the tour needs a minute or two for that).');
    return;
  }
  say('Alerts that fired:');
  const width = Math.max(...[...fired.values()].map((f) => f.alert.length));
  for (const f of fired.values()) say(`  ${f.alert.padEnd(width)}  ${f.scope.padEnd(20)}  ${f.resolved ? 'resolved' : 'still firing'}${f.detail ? `  ${f.detail}` : ''}`);
}

interface SlowPlan {
  plan: CompletedPlan;
  /** Its drain timeline, cut to a preview; undefined when the trace backend did not return it. */
  timeline: string | undefined;
}

/** The slowest plan that completed, among those whose id no other namespace used, with its trace. */
async function slowPlan(run: TourRun, stack: DemoStack | undefined, skip: () => boolean): Promise<SlowPlan | undefined> {
  const plan = run.slowestCompleted().find((p) => run.uniquePlanId(p.planId));
  if (!plan) return undefined;
  if (!stack || skip()) return { plan, timeline: undefined };
  if (!(await traceBackendUp(stack, skip))) return { plan, timeline: undefined };
  // Spans kept while Jaeger was building go once the Collector's gRPC connection retries, which backs
  // off up to two minutes; otherwise they reach Jaeger seconds after the flush.
  const waitMs = stack.traceBackendLate ? 150_000 : 20_000;
  progress(`[demo] fetching the trace of ${plan.planId} from Jaeger${stack.traceBackendLate ? ' (it started late: the Collector sends the spans it kept once it reconnects, within two minutes)' : ''}…`);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const spans = await fetchPlanTrace(stack.urls.trace_query, plan.planId, 2);
      const width = Math.max(20, Math.min(50, (process.stdout.columns || 120) - 64));
      return { plan, timeline: preview(renderTimeline(spans, { width }), 12) };
    } catch {
      // not stored yet: spans reach Jaeger a few seconds after the flush
    }
    if (Date.now() > deadline || skip()) return { plan, timeline: undefined };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The timeline's head, its first `rows` moves and its legend. */
function preview(timeline: string, rows: number): string {
  const lines = timeline.split('\n');
  const header = lines.findIndex((l) => l.startsWith('shard'));
  if (header < 0 || lines.length <= header + rows + 2) return timeline;
  const moves = lines.length - header - 2;
  return [...lines.slice(0, header + 1 + rows), `… ${moves - rows} more moves`, lines[lines.length - 1]].join('\n');
}

function whereToLook(stack: DemoStack | undefined, keep: boolean, pullUrls: string[], slow: SlowPlan | undefined, consoleServer: ConsoleServer | undefined): void {
  const rel = (file: string) => {
    const relative = path.relative(process.cwd(), file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };
  const root = packageRoot();
  const dashboards = listFiles(path.join(root, 'dashboards'), '.json').map((f) => rel(f));
  say();
  say(bold('Where to look'));
  if (stack?.startedHere && !keep) say('  (the demo stops the stack it started in a moment: run it with --keep to explore these afterwards)');
  const row = (label: string, text: string) => say(`  ${label.padEnd(14)}${text}`);
  if (stack && consoleServer) {
    const again = stack.startedHere && !keep ? '' : '; "meshkit-rebalance-obs console" serves it again while the stack is up';
    row('Console', `${consoleLink(consoleServer)}  (served until the demo ends${again})`);
  }
  if (stack) {
    row('Prometheus', `${stack.urls.prometheus}  (HTTP API, e.g. /api/v1/alerts or /api/v1/query?query=ALERTS; this build has no web UI)`);
    row('Alertmanager', `${stack.urls.alertmanager}  (/api/v2/alerts)`);
    row('Traces', `${stack.urls.trace_query}  (Jaeger query API, e.g. /api/traces?service=${SERVICE_NAME}&limit=20)`);
  } else {
    row('Metrics', pullUrls.length > 0 ? `${pullUrls[0]} … ${pullUrls[pullUrls.length - 1]} (served while the demo ran; one per controller)` : 'none');
    row('Traces', 'none without the stack: spans go to an OTLP endpoint (the stack\'s Collector)');
  }
  if (slow && stack) {
    const p = slow.plan;
    const move = p.slowestMove ? `; its slowest move, ${p.slowestMove.shardId}, took ${formatSpan(p.slowestMove.ms * 1000)}` : '';
    row('A slow plan', `meshkit-rebalance-obs trace ${p.planId}   (${p.scope}: ${p.moves} moves in ${formatSpan((p.endedAt - p.startedAt) * 1000)}${move})`);
    if (consoleServer) row('', `its trace page: ${consoleServer.url}trace?planId=${encodeURIComponent(p.planId)}`);
  }
  row('Dashboards', `${dashboards.join(', ')} (Grafana JSON)`);
  row('', `provisioning: ${rel(path.join(root, 'dashboards', 'provisioning'))}/ (set MESHKIT_PROMETHEUS_URL, MESHKIT_JAEGER_URL, MESHKIT_DASHBOARDS_DIR)`);
  row('Alert rules', `${rel(path.join(root, 'alerting', 'rules'))}/ · runbooks: ${rel(path.join(root, 'docs', 'runbooks'))}/`);
  if (slow?.timeline) {
    say();
    say(bold(`The trace of ${slow.plan.planId}, as "meshkit-rebalance-obs trace ${slow.plan.planId}" prints it:`));
    say(slow.timeline);
  }
  say();
}

function listFiles(dir: string, ext: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
