/**
 * `meshkit-rebalance-obs demo`: the tour's cues happen when it says (checked on a backfilled history
 * of the tour's first minutes), and the real command, run as a user would in a fresh directory,
 * starts the stack, gives the URL of a live console whose panels have data and whose trace page shows
 * the stuck plan's moves in flight, shows alerts firing, names a plan whose trace is there, and cleans
 * up — at the end of its duration, on Ctrl-C, with --keep, and without the stack.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AlertTracker, renderFrame } from '../../src/demo/screen';
import type { ActiveAlert, ScopeStatus, Snapshot } from '../../src/demo/status';
import { defaultTour, tourScopes } from '../../src/demo/tour';
import { ensureChromium, launchBrowser } from '../../src/render/browser';
import { pidAlive } from '../../src/stack/processes';
import { readState } from '../../src/stack/state';
import { evaluateRules, type RuleWindows } from './helpers/alert-windows';
import { startTourHistoryStack, type TourHistory } from './helpers/tour-history';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'meshkit-rebalance-obs.js');
const BUILD_TIMEOUT = 30 * 60_000;

interface Demo {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function runDemo(cwd: string, args: string[]): Demo {
  const child = spawn(process.execPath, [BIN, 'demo', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = out.match(pattern);
      if (match) return match;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the demo did not print ${pattern}:\n${out}`);
      await sleep(200);
    }
  };
  return { child, output: () => out, waitFor, exited };
}

/**
 * The demo's console in Chromium while the stuck plan is stuck: the on-call panels have data, the
 * plan queue links the plan to its trace page, and that page lists the plan's moves in flight with
 * their source node, time since start and last drain progress.
 */
async function checkConsole(url: string, stuckPlanId: string): Promise<void> {
  const session = await launchBrowser({ executable: await ensureChromium({ log: () => {} }), width: 1600, height: 1000 });
  try {
    const { page } = session;
    const drawn = () => page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'failed', undefined, { timeout: 90_000 });
    await page.goto(url);
    await drawn();
    expect(await page.evaluate(() => document.body.dataset.error)).toBe('');
    for (const title of ['Plan queue', 'Shards in flight vs limit', 'Controller loop state', 'Heartbeat age']) {
      expect([title, await page.locator(`.panel[data-title="${title}"] .nodata`).count()]).toEqual([title, 0]);
    }
    const link = page.locator('.panel[data-title="Plan queue"] a.link', { hasText: stuckPlanId });
    const href = await link.getAttribute('href');
    expect(href).toBe(`trace?planId=${stuckPlanId}`);
    await page.goto(new URL(href!, url).toString());
    await drawn();
    expect(await page.textContent('h1')).toContain(stuckPlanId);
    const flying = await page.locator('.move-list.in-flight li').allTextContents();
    expect(flying.length).toBeGreaterThan(0);
    for (const line of flying) expect(line).toMatch(/^\S+ from \S+ → \S+: started \S+ ago, \w+, (last drain progress \S+ ago: \d+ left|no drain progress reported yet)/);
  } finally {
    await session.close();
  }
}

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
}

describe('the tour', () => {
  const tour = defaultTour();
  const windowMs = 7 * 60_000;
  let h: TourHistory;
  let windows: RuleWindows[];

  beforeAll(async () => {
    h = await startTourHistoryStack(tour, windowMs);
    windows = await evaluateRules(h.stack.urls.prometheus, h.startMs / 1000, h.endMs / 1000, 5);
  }, BUILD_TIMEOUT);
  afterAll(async () => {
    await h?.stop();
  });

  /** When the cue's change happens in the recorded window (ms after the demo's start). */
  function happened(cue: (typeof tour.cues)[number]): number | undefined {
    const times: number[] = [];
    for (const w of windows) {
      if (w.rule.alert !== cue.alert) continue;
      const forMs = cue.change === 'pending' ? 0 : parseFor(w.rule.for);
      for (const f of w.firing) {
        if (`${f.labels.cluster}/${f.labels.namespace}` !== cue.scope) continue;
        for (const [first, last] of f.runs) {
          if (cue.change === 'resolved') {
            if (last * 1000 < h.endMs - 5000) times.push(last * 1000 + 5000 - h.startMs);
          } else {
            times.push(first * 1000 + forMs - h.startMs);
          }
        }
      }
    }
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  it.each(tour.cues.map((cue) => [`${cue.scope} ${cue.alert} ${cue.change} at ${cue.atMs / 1000} s`, cue] as const))('%s', (_name, cue) => {
    const at = happened(cue);
    expect(at).toBeDefined();
    // the cue allows for the few seconds export, evaluation and refresh take in the live demo
    expect(cue.atMs - at!).toBeGreaterThanOrEqual(-5000);
    expect(cue.atMs - at!).toBeLessThanOrEqual(20_000);
  });

  it('fires nothing besides what its cues announce', () => {
    const announced = new Set(tour.cues.map((c) => `${c.alert} ${c.scope}`));
    const fired = windows.flatMap((w) => w.firing.map((f) => `${f.alert} ${f.labels.cluster}/${f.labels.namespace}`));
    expect([...new Set(fired)].filter((f) => !announced.has(f))).toEqual([]);
  });

  it('has a slow completed plan with an id no other namespace uses, for `trace`', () => {
    const plan = h.run.slowestCompleted().find((p) => h.run.uniquePlanId(p.planId));
    expect(plan).toBeDefined();
    expect(plan!.moves).toBeGreaterThan(10);
  });
});

function parseFor(text: string | undefined): number {
  if (!text) return 0;
  const m = /^(\d+)(s|m)$/.exec(text);
  if (!m) throw new Error(`unexpected for: ${text}`);
  return Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000);
}

describe('the screen', () => {
  const tour = defaultTour();
  const scopes = tourScopes(tour);
  const alert = (alertname: string, scope: string, state: 'pending' | 'firing', detail = ''): ActiveAlert => ({
    alertname,
    state,
    severity: 'page',
    scope,
    detail,
    key: `${alertname}|${scope}|${detail}`,
  });
  const status = (scope: string, extra: Partial<ScopeStatus>): ScopeStatus => ({
    scope,
    leader: `${scope.replace('/', '.')}.rebalancer-0`,
    plans: {},
    inFlight: 0,
    limit: 8,
    heartbeatAge: 3,
    completed5m: 0,
    failed5m: 0,
    ...extra,
  });

  it('turns alert lists into pending, firing and resolved events, ignoring what was active before the tour', () => {
    const tracker = new AlertTracker();
    tracker.baseline([alert('MeshKitRebalanceControllerHeartbeatMissing', 'eu-west-1/orders', 'firing', 'cause=series_vanished')]);
    const stuck = (state: 'pending' | 'firing') => alert('MeshKitRebalancePlanStuck', 'us-east-1/search', state, 'plan_id=search-0-p1');
    const old = alert('MeshKitRebalanceControllerHeartbeatMissing', 'eu-west-1/orders', 'firing', 'cause=series_vanished');
    expect(tracker.update([old, stuck('pending')], 1000).map((e) => e.change)).toEqual(['pending']);
    expect(tracker.update([old, stuck('firing')], 2000).map((e) => e.change)).toEqual(['firing']);
    expect(tracker.update([stuck('firing')], 3000)).toEqual([]); // the earlier alert went away: no event
    expect(tracker.earlierActive).toBe(0);
    expect(tracker.update([], 4000).map((e) => `${e.change} ${e.alert.alertname}`)).toEqual(['resolved MeshKitRebalancePlanStuck']);
    const [stuckCue, resolvedCue] = tour.cues.filter((c) => c.alert === 'MeshKitRebalancePlanStuck');
    expect(tracker.seenAt(stuckCue)).toBe(2000);
    expect(tracker.seenAt(resolvedCue)).toBe(4000);
  });

  it('draws a frame that fits the terminal, wide or narrow', () => {
    const tracker = new AlertTracker();
    const firing = alert('MeshKitRebalancePlanStuck', 'us-east-1/search', 'firing', 'plan_id=search-0-p1');
    tracker.update([firing], 42_000);
    const snapshot: Snapshot = {
      scopes: new Map(
        scopes.map((scope) => [
          scope,
          scope === 'eu-west-1/sessions' ? status(scope, { plans: { executing: 1 }, inFlight: 24, limit: 6 }) : status(scope, { plans: { pending_approval: 2 } }),
        ]),
      ),
      alerts: [firing],
      error: undefined,
    };
    const model = { elapsedMs: 61_000, durationMs: 360_000, source: 'SDK → OTLP → Collector → Prometheus', scopes, snapshot, snapshotAgeMs: 500, cues: tour.cues, tracker };
    for (const [width, height] of [[159, 49], [99, 29], [79, 23]]) {
      const { lines } = renderFrame(model, width, height);
      expect(lines.length).toBeLessThanOrEqual(height);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
      const text = lines.join('\n');
      expect(text).toContain('1:01 / 6:00');
      for (const scope of scopes) expect(text).toContain(scope);
      expect(text).toMatch(/eu-west-1\/sessions .* 24 \/ 6 .*OVER LIMIT/);
      expect(text).toMatch(/us-east-1\/search .*FIRING PlanStuck/);
    }
    const wide = renderFrame(model, 159, 49).lines.join('\n');
    expect(wide).toContain('✓ 0:42  us-east-1/search');
    expect(wide).toMatch(/0:42 {2}FIRING {4}PlanStuck .* plan_id=search-0-p1 {2}page/);
  });
});

describe('meshkit-rebalance-obs demo', () => {
  let project: string;
  beforeEach(() => {
    project = mkdtempSync(path.join(tmpdir(), 'meshkit-demo-'));
  });
  afterEach(() => {
    // a failed test must not leave a stack behind
    spawnSync(process.execPath, [BIN, 'stack', 'down'], { cwd: project, timeout: 60_000 });
    rmSync(project, { recursive: true, force: true });
  });

  it('answers bad arguments with one sentence and exit code 2', () => {
    for (const args of [['--duration', 'soon'], ['--bogus'], ['--duration', '10s'], ['now'], ['--keep', '--no-stack']]) {
      const result = cli(project, 'demo', ...args);
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 2]);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^meshkit-rebalance-obs demo: .+\.$/)]);
      expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
    }
  });

  it(
    'starts the stack, shows the stuck plan firing, says where to look, and stops the stack at the end',
    async () => {
      const demo = runDemo(project, ['--duration', '60s']);
      await demo.waitFor(/\[stack\] otelcol ready/, BUILD_TIMEOUT);
      const state = readState(path.join(project, '.stack', 'run'))!;
      const pids = Object.values(state.components).map((c) => c!.pid);
      expect(pids).toHaveLength(4);
      await demo.waitFor(/\[demo \d:\d\d\] FIRING MeshKitRebalancePlanStuck us-east-1\/search plan_id=search-0-p1/, 90_000);
      expect(await demo.exited).toBe(0);
      const out = demo.output();
      expect(out).toContain('FIRING MeshKitRebalanceExcessiveConcurrentMoves eu-west-1/sessions');
      expect(out).toMatch(/The tour is over after 1:0\d\./);
      expect(out).toContain(`Prometheus    ${state.urls.prometheus}`);
      expect(out).toContain(`Traces        ${state.urls.trace_query}`);
      expect(out).toMatch(/A slow plan   meshkit-rebalance-obs trace orders-0-p1 /);
      expect(out).toContain('dashboards/meshkit-rebalance-oncall.json');
      // its trace was fetched from Jaeger and previewed
      expect(out).toContain('The trace of orders-0-p1, as "meshkit-rebalance-obs trace orders-0-p1" prints it:');
      expect(out).toMatch(/^plan orders-0-p1 /m);
      expect(out).toContain('[demo] stack stopped');
      expect(readState(path.join(project, '.stack', 'run'))).toBeUndefined();
      for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    },
    BUILD_TIMEOUT,
  );

  it(
    'stops cleanly on Ctrl-C and, with --keep, leaves the stack up for `trace` and `stack down`',
    async () => {
      const demo = runDemo(project, ['--duration', '10m', '--keep']);
      const [, consoleUrl] = await demo.waitFor(/Open the live console: (http:\/\/127\.0\.0\.1:\d+\/\S*)/, BUILD_TIMEOUT);
      await demo.waitFor(/FIRING MeshKitRebalanceExcessiveConcurrentMoves/, BUILD_TIMEOUT);
      await demo.waitFor(/FIRING MeshKitRebalancePlanStuck us-east-1\/search plan_id=search-0-p1/, 120_000);
      await checkConsole(consoleUrl!, 'search-0-p1');
      demo.child.kill('SIGINT');
      expect(await demo.exited).toBe(0);
      const out = demo.output();
      expect(out).toMatch(/Stopped by Ctrl-C after 0:\d\d\./);
      expect(out).toContain('The stack keeps running (--keep)');
      const planId = /meshkit-rebalance-obs trace (\S+)/.exec(out)![1];
      const status = cli(project, 'stack', 'status', '--json');
      expect(status.status).toBe(0);
      const trace = cli(project, 'trace', planId, '--width', '40');
      expect(trace.stderr).toBe('');
      expect(trace.stdout).toContain(`plan ${planId}`);
      const down = cli(project, 'stack', 'down');
      expect(down.status).toBe(0);
      expect(readState(path.join(project, '.stack', 'run'))).toBeUndefined();
    },
    BUILD_TIMEOUT,
  );

  it('without the stack, says so, serves a pull endpoint per controller, and stops on Ctrl-C', async () => {
    const demo = runDemo(project, ['--no-stack', '--duration', '5m']);
    const [, url] = await demo.waitFor(/\n {2}(http:\/\/127\.0\.0\.1:\d+\/metrics) {2}eu-west-1\.payments\.rebalancer-0/, 60_000);
    expect(demo.output()).toContain('--no-stack: no Collector, no Prometheus, no trace backend, so no alerts are evaluated');
    let body = '';
    for (let i = 0; i < 50 && !body.includes('meshkit_rebalance_controller_leader'); i++) {
      body = await fetch(url).then((r) => r.text()).catch(() => '');
      await sleep(200);
    }
    expect(body).toContain('meshkit_rebalance_controller_leader');
    expect(body).toContain('namespace="payments"');
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(/Stopped by Ctrl-C after 0:\d\d\./);
    expect(readState(path.join(project, '.stack', 'run'))).toBeUndefined();
    await expect(fetch(url)).rejects.toThrow();
  }, 120_000);
});
