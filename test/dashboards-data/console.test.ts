/**
 * The live console and the trace page, in Chromium, on the real stack. The mixed scenario's first
 * 75 minutes (eu-west-1/orders failing moves, us-east-1/search stuck behind a wedged node) are
 * loaded twice: as metrics into a Prometheus (history with the rules backfilled, as `render` does)
 * and as spans through the stack's Collector into Jaeger, from the same seeded world. Then:
 * the console's panels have data and its plan-queue links open the trace page; the trace page of a
 * plan with a failed move shows its moves and the failure; the stuck plan's trace page, `trace`
 * and `render trace` show each stuck move with its source node, time since start and last drain
 * progress; the trace page matches its committed screenshot (docs/screenshots/trace-stuck-plan.png).
 * A plan with a known slow move, sent by the SDK through the same Collector as of now, gets its
 * exemplars from the Collector's span metrics into the stack's Prometheus: a second console, on that
 * Prometheus, draws them on the move-duration heatmap, and the slowest one opens that move's trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { ATTR, createRebalanceTelemetry, SPANS } from '../../src';
import { METRICS, SPAN_LABELS, SPAN_METRICS } from '../../src/schema';
import { startConsoleServer, type ConsoleServer } from '../../src/console/server';
import { ensureChromium, launchBrowser, type BrowserSession } from '../../src/render/browser';
import { startHistoryPrometheus, type HistoryPrometheus } from '../../src/render/history';
import { ensureStack } from '../../src/stack/install';
import { startStack, type RunningStack } from '../../src/stack/stack';
import { fetchPlanTrace, fetchTraceById } from '../../src/trace/jaeger';
import { promExemplars, promQuery, waitFor } from '../integration/helpers/backends';
import { otlpTracerProvider } from '../integration/helpers/tracer';
import { pushScenarioTraces } from '../helpers/scenario-traces';

const BIN = path.join(__dirname, '..', '..', 'bin', 'meshkit-rebalance-obs.js');
const SHOT = path.join(__dirname, '..', '..', 'docs', 'screenshots', 'trace-stuck-plan.png');
const SCENARIO = 'mixed';
const HOURS = 1.25;

let project: string;
let stack: RunningStack;
let prometheus: HistoryPrometheus;
let consoleServer: ConsoleServer;
/** The console on the stack's own Prometheus, which has the exemplars. */
let liveConsole: ConsoleServer;
let session: BrowserSession;
let spans: ReadableSpan[];
let endMs: number;
/** A plan of 500 moves sent by the SDK itself: every tenth failed, the last 20 still in flight. */
const BIG_PLAN = 'big-0-p500';
const BIG_MOVES = 500;

interface MoveTruth {
  traceId: string;
  planId: string;
  scope: string;
  shard: string;
  from: string;
  failed?: string;
}

const attr = (s: ReadableSpan, key: string) => String(s.attributes[key] ?? '');
const scopeOf = (s: ReadableSpan) => `${attr(s, ATTR.namespace)}/${attr(s, ATTR.cluster)}`;

/** Moves whose start marker was exported but whose own span was not: in flight at the end. */
function inFlightMoves(): MoveTruth[] {
  const ended = new Set(spans.filter((s) => s.name === SPANS.move).map((s) => s.spanContext().spanId));
  return spans
    .filter((s) => s.name === SPANS.moveStarted && !ended.has(s.parentSpanContext!.spanId))
    .map((s) => ({ traceId: s.spanContext().traceId, planId: attr(s, ATTR.planId), scope: scopeOf(s), shard: attr(s, ATTR.shardId), from: attr(s, ATTR.fromNode) }));
}

function failedMoves(): MoveTruth[] {
  return spans
    .filter((s) => s.name === SPANS.move && s.status.code === SpanStatusCode.ERROR && attr(s, ATTR.moveOutcome) === 'failed')
    .map((s) => ({ traceId: s.spanContext().traceId, planId: attr(s, ATTR.planId), scope: scopeOf(s), shard: attr(s, ATTR.shardId), from: attr(s, ATTR.fromNode), failed: attr(s, ATTR.failureReason) }));
}

/** Spans of one trace in the in-memory copy. */
const traceSpans = (traceId: string) => spans.filter((s) => s.spanContext().traceId === traceId);

/** The trace whose in-flight moves are the most: the stuck plan. */
function stuckPlan(): { traceId: string; planId: string; moves: MoveTruth[] } {
  const byTrace = new Map<string, MoveTruth[]>();
  for (const m of inFlightMoves()) byTrace.set(m.traceId, [...(byTrace.get(m.traceId) ?? []), m]);
  const [traceId, moves] = [...byTrace].sort((a, b) => b[1].length - a[1].length)[0]!;
  return { traceId, planId: moves[0]!.planId, moves };
}

async function sendBigPlan(): Promise<void> {
  let now = endMs - 3 * 3600_000;
  // Spans only: Prometheus refuses samples of the history's time, and with them the whole batch the
  // Collector sends, other controllers' samples included.
  const tracerProvider = otlpTracerProvider(stack.urls.otlp_http, 'big-0');
  const t = createRebalanceTelemetry({ namespace: 'big', cluster: 'loopback', controllerId: 'big-0', clock: () => now, tracerProvider });
  t.planCreated({ planId: BIG_PLAN, trigger: 'manual', movesPlanned: BIG_MOVES });
  t.planStarted({ planId: BIG_PLAN });
  for (let i = 0; i < BIG_MOVES; i++) {
    const shardId = `big-${String(i).padStart(3, '0')}`;
    t.moveStarted({ planId: BIG_PLAN, shardId, fromNode: `node-${i % 7}`, toNode: `node-${(i + 3) % 7}` });
    now += 15_000;
    t.moveDrainProgress({ planId: BIG_PLAN, shardId, remaining: 10, ratio: 0.5 });
    if (i >= BIG_MOVES - 20) continue;
    if (i % 10 === 9) t.moveFailed({ planId: BIG_PLAN, shardId, reason: 'drain_timeout' });
    else t.moveCompleted({ planId: BIG_PLAN, shardId });
  }
  await tracerProvider.forceFlush();
  await waitFor(`the ${BIG_MOVES} moves of ${BIG_PLAN} in Jaeger`, async () => {
    const spans = await fetchPlanTrace(stack.urls.trace_query, BIG_PLAN, 48, endMs).catch(() => []);
    return spans.filter((s) => s.name === SPANS.moveStarted).length === BIG_MOVES && spans.filter((s) => s.name === SPANS.move).length === BIG_MOVES - 20 ? true : undefined;
  }, 120_000);
  await t.shutdown();
  await tracerProvider.shutdown();
}

/** A plan of three moves, sent as of now: two quick ones, and the known slow move (40 minutes). */
const SLOW = { namespace: 'ledger', cluster: 'ap-south-1', planId: 'ledger-0-p1', shard: 'ledger-0003', from: 'node-05', to: 'node-01', seconds: 2400 };

async function sendSlowPlan(): Promise<void> {
  const start = Date.now() - 45 * 60_000;
  let now = start;
  const t = createRebalanceTelemetry({ namespace: SLOW.namespace, cluster: SLOW.cluster, controllerId: 'ledger-0', clock: () => now, otlp: { endpoint: stack.urls.otlp_http } });
  const { planId } = SLOW;
  const moves = [
    { shardId: 'ledger-0001', fromNode: 'node-02', toNode: 'node-06', seconds: 45 },
    { shardId: 'ledger-0002', fromNode: 'node-03', toNode: 'node-07', seconds: 90 },
    { shardId: SLOW.shard, fromNode: SLOW.from, toNode: SLOW.to, seconds: SLOW.seconds },
  ];
  t.planCreated({ planId, trigger: 'manual', movesPlanned: moves.length });
  t.planStarted({ planId });
  for (const { shardId, fromNode, toNode } of moves) t.moveStarted({ planId, shardId, fromNode, toNode });
  await t.forceFlush();
  for (const { shardId, seconds } of moves) {
    now = start + seconds * 1000;
    t.moveCompleted({ planId, shardId });
  }
  t.planCompleted({ planId });
  await t.forceFlush();
  await t.shutdown();
  // In Prometheus before the scenario is sent: the Collector batches the metrics of every sender, and
  // Prometheus refuses a whole batch (HTTP 400) if one sample in it is out of its time bounds.
  const histogram = `${METRICS.moveDuration.name}_count{namespace="${SLOW.namespace}"}`;
  await waitFor('the slow plan\'s move histogram in Prometheus', async () => ((await promQuery(stack.urls.prometheus, `${histogram}[1h]`)).length > 0 ? true : undefined), 60_000);
  await waitFor('the slow move\'s exemplar in Prometheus', async () => ((await slowExemplar()) ? true : undefined), 60_000);
}

/** The slow move's exemplar as Prometheus stores it: its trace and span id. */
async function slowExemplar() {
  const moves = `${SPAN_METRICS.duration.name}_bucket{namespace="${SLOW.namespace}", ${SPAN_LABELS.spanName.name}="${SPANS.move}"}`;
  const exemplars = await promExemplars(stack.urls.prometheus, moves, Date.now() / 1000 - 3600, Date.now() / 1000 + 60);
  return exemplars.find((e) => Math.abs(e.value - SLOW.seconds) < 1e-3);
}

async function openPage(url: string): Promise<void> {
  await session.page.goto(url, { waitUntil: 'load' });
  await session.page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'failed', undefined, { timeout: 90_000 });
  const state = await session.page.evaluate(() => ({ state: document.body.dataset.state, error: document.body.dataset.error }));
  if (state.state !== 'done') throw new Error(`${url}: ${state.error}`);
}

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'meshkit-console-'));
  await ensureStack({ projectDir: project, log: () => {} });
  stack = await startStack({ dir: path.join(project, '.stack', 'run'), log: () => {} });
  await sendSlowPlan();
  prometheus = await startHistoryPrometheus({ scenario: SCENARIO, hours: HOURS });
  endMs = prometheus.window.endMs;
  spans = await pushScenarioTraces({ scenario: SCENARIO, startMs: prometheus.window.startMs, endMs, otlpHttp: stack.urls.otlp_http });
  // Every span of the two traces the tests read must be in Jaeger before they start.
  for (const traceId of [stuckPlan().traceId, failedMoves()[0]!.traceId]) {
    const expected = traceSpans(traceId).length;
    await waitFor(`all ${expected} spans of trace ${traceId} in Jaeger`, async () => ((await fetchTraceById(stack.urls.trace_query, traceId).catch(() => [])).length >= expected ? true : undefined), 120_000);
  }
  await sendBigPlan();
  consoleServer = await startConsoleServer({ prometheusUrl: prometheus.url, traceQueryUrl: stack.urls.trace_query });
  liveConsole = await startConsoleServer({ prometheusUrl: stack.urls.prometheus, traceQueryUrl: stack.urls.trace_query });
  session = await launchBrowser({ executable: await ensureChromium({ log: () => {} }), width: 1600, height: 1000 });
}, 30 * 60_000);

afterAll(async () => {
  await session?.close();
  await consoleServer?.close();
  await liveConsole?.close();
  await prometheus?.stop();
  await stack?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the live console', () => {
  it('draws the on-call dashboard with data in its panels, and its plan queue links to the trace page', async () => {
    await openPage(`${consoleServer.url}?view=oncall&from=${prometheus.window.startMs}&to=${endMs}&refresh=off`);
    const page = session.page;
    expect(await page.textContent('.console-note')).toContain('the same dashboard JSON Grafana loads in production');
    for (const title of ['Plan queue', 'Shards in flight vs limit', 'Move duration', 'Items left to drain', 'Controller loop state']) {
      const panel = page.locator(`.panel[data-title="${title}"]`);
      expect(await panel.locator('.nodata, .panel-error').count()).toBe(0);
    }
    const links = page.locator('.panel[data-title="Plan queue"] a.link');
    expect(await links.count()).toBeGreaterThan(0);
    const stuck = stuckPlan();
    const link = page.locator(`.panel[data-title="Plan queue"] a.link`, { hasText: stuck.planId });
    expect(await link.getAttribute('href')).toBe(`trace?planId=${encodeURIComponent(stuck.planId)}`);
  });

  it('redraws on its refresh interval and on a change of view, time range or namespace', async () => {
    await openPage(`${consoleServer.url}?view=exec&from=now-5m&refresh=5s`);
    const page = session.page;
    await page.waitForFunction(() => Number(document.body.dataset.draws) >= 2, undefined, { timeout: 60_000 });
    await page.selectOption('select[name="time"]', 'now-1h');
    await page.waitForFunction(() => location.search.includes('from=now-1h'));
    await page.goto(`${consoleServer.url}?view=oncall&from=${prometheus.window.startMs}&to=${endMs}&refresh=off`);
    await page.waitForFunction(() => document.body.dataset.state === 'done');
    const options = await page.locator('.multi[data-name="namespace"] .multi-option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['All', 'orders', 'search']));
    const queries: string[] = [];
    page.on('request', (request) => request.url().endsWith('/api/v1/query_range') && queries.push(new URLSearchParams(request.postData() ?? '').get('query') ?? ''));
    /** Checks exactly `values` in the namespace dropdown and closes it, which redraws. */
    const pick = async (values: string[]) => {
      const draws = Number(await page.evaluate(() => document.body.dataset.draws));
      await page.click('button[name="namespace"]');
      for (const box of await page.locator('.multi[data-name="namespace"] input[type="checkbox"]:not([value=""])').all()) {
        await box.setChecked(values.includes((await box.getAttribute('value'))!));
      }
      await page.click('button[name="namespace"]');
      await page.waitForFunction((n) => Number(document.body.dataset.draws) > n && document.body.dataset.state === 'done', draws, { timeout: 60_000 });
    };
    const planQueueNamespaces = async () => new Set(await page.locator('.panel[data-title="Plan queue"] tr td:first-child').allTextContents());

    await pick(['orders', 'search']);
    expect(await page.evaluate(() => location.search)).toContain('namespace=orders&namespace=search');
    expect(await page.textContent('button[name="namespace"]')).toBe('orders + search');
    // Grafana's form of a multi-value selection in a regex matcher.
    expect(queries.some((q) => q.includes('namespace=~"(orders|search)"'))).toBe(true);
    const both = await planQueueNamespaces();
    expect(both.size).toBeGreaterThan(0);
    for (const ns of both) expect(['orders', 'search']).toContain(ns);

    await pick(['search']);
    expect(await page.evaluate(() => location.search)).not.toContain('namespace=orders');
    expect(await planQueueNamespaces()).toEqual(new Set(['search']));

    // The selection is in the address: opened again, the page shows it.
    await openPage(`${consoleServer.url}?view=oncall&from=${prometheus.window.startMs}&to=${endMs}&refresh=off&namespace=orders&namespace=search`);
    expect(await page.textContent('button[name="namespace"]')).toBe('orders + search');
    for (const ns of await planQueueNamespaces()) expect(['orders', 'search']).toContain(ns);
  });

  it('draws the exemplars of the move-duration heatmap, and the slowest opens the trace of the known slow move', async () => {
    const slow = (await slowExemplar())!;
    expect(slow).toBeDefined();
    const [planTrace] = await fetchPlanTrace(stack.urls.trace_query, SLOW.planId, 2);
    expect(slow.traceId).toBe(planTrace!.traceId);

    const page = session.page;
    await openPage(`${liveConsole.url}?view=oncall&from=now-1h&refresh=off&namespace=${SLOW.namespace}`);
    const heatmap = page.locator('.panel[data-title="Move duration"]');
    expect(await heatmap.locator('.nodata, .panel-error').count()).toBe(0);
    const dots = heatmap.locator('a.exemplar');
    const values = await dots.evaluateAll((links) => links.map((a) => Number((a as HTMLElement).dataset.value)));
    process.stdout.write(`[console] move-duration exemplars drawn: ${values.length} (${values.join(', ')} s)\n`);
    expect(values.length).toBeGreaterThan(0);
    const top = Math.max(...values);
    expect(top).toBeCloseTo(SLOW.seconds, 3);
    const dot = dots.nth(values.indexOf(top));
    // Drawn where it belongs: in the heatmap's top half (the 30 min – 1 h row of the move buckets).
    const canvas = (await heatmap.locator('canvas.heatmap').boundingBox())!;
    const at = (await dot.boundingBox())!;
    expect(at.y + at.height / 2).toBeLessThan(canvas.y + canvas.height / 2);
    await dot.hover();
    const tip = await page.textContent('.exemplar-tooltip');
    expect(tip).toContain(`trace_id: ${slow.traceId}`);
    expect(tip).toContain('value: 40 min');
    expect(tip).toContain(`namespace: ${SLOW.namespace}`);
    expect(await dot.getAttribute('href')).toBe(`trace?traceId=${slow.traceId}&spanId=${slow.spanId}`);

    await dot.click();
    await page.waitForURL((url) => url.pathname === '/trace');
    await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'failed', undefined, { timeout: 90_000 });
    expect(await page.evaluate(() => document.body.dataset.error ?? '')).toBe('');
    expect(await page.textContent('h1')).toContain(`Plan ${SLOW.planId}`);
    expect(await page.textContent('.exemplar-move')).toBe(`Opened from an exemplar: move ${SLOW.shard} from ${SLOW.from} → ${SLOW.to}, completed after 40m00s.`);
  });
});

describe('the trace page', () => {
  it('shows the moves of a plan and the failure of its failed move, with the reason on hover', async () => {
    const failed = failedMoves()[0]!;
    const moves = new Set(traceSpans(failed.traceId).filter((s) => s.name === SPANS.moveStarted).map((s) => s.parentSpanContext!.spanId));
    await openPage(`${consoleServer.url}trace?traceId=${failed.traceId}&now=${endMs}&full=1`);
    const page = session.page;
    expect(await page.textContent('h1')).toContain(failed.planId);
    expect(Number(await page.evaluate(() => document.body.dataset.moves))).toBe(moves.size);
    const failures = await page.locator('.move-list.failed li').allTextContents();
    expect(failures.some((l) => l.startsWith(`${failed.shard} from ${failed.from}`) && l.includes(failed.failed!))).toBe(true);
    // Hover each row until the failed move's: its tooltip names the reason.
    const box = (await page.locator('canvas.gantt').boundingBox())!;
    let tip = '';
    for (let row = 0; row < moves.size && !tip.includes(failed.shard); row++) {
      await page.mouse.move(box.x + 200, box.y + 44 + row * 18 + 9);
      tip = (await page.textContent('.gantt-tooltip')) ?? '';
    }
    expect(tip).toContain(`failed: ${failed.failed}`);
  });

  it('opens by plan id from the console link, and by trace id for exemplar links', async () => {
    const stuck = stuckPlan();
    await openPage(`${consoleServer.url}trace?planId=${encodeURIComponent(stuck.planId)}&now=${endMs}`);
    const byPlan = await session.page.textContent('h1');
    await openPage(`${consoleServer.url}trace?traceId=${stuck.traceId}&now=${endMs}`);
    expect(await session.page.textContent('h1')).toBe(byPlan);
    await session.page.goto(`${consoleServer.url}trace?traceId=0123456789abcdef0123456789abcdef`);
    await session.page.waitForFunction(() => document.body.dataset.state === 'failed');
    expect(await session.page.textContent('.trace-error')).toContain('no trace 0123456789abcdef0123456789abcdef');
  });

  it('shows each stuck move with its source node, time since start and last drain progress', async () => {
    const stuck = stuckPlan();
    expect(stuck.moves.length).toBeGreaterThan(1);
    await openPage(`${consoleServer.url}trace?traceId=${stuck.traceId}&now=${endMs}&full=1`);
    const lines = await session.page.locator('.move-list.in-flight li').allTextContents();
    expect(lines).toHaveLength(stuck.moves.length);
    for (const m of stuck.moves) {
      const line = lines.find((l) => l.startsWith(`${m.shard} from ${m.from} →`));
      expect(line).toMatch(/started \d+m\d\ds ago, drain, last drain progress \d+m\d\ds ago: \d+ left \(\d+ % drained\)/);
    }
  });

  it('stays readable at 500 moves: a fixed viewport of rows that scrolls, and a filter for the failed and in-flight moves', async () => {
    await openPage(`${consoleServer.url}trace?planId=${BIG_PLAN}&now=${endMs}`);
    const page = session.page;
    expect(Number(await page.evaluate(() => document.body.dataset.moves))).toBe(BIG_MOVES);
    const canvas = page.locator('canvas.gantt');
    const height = await canvas.evaluate((c: HTMLCanvasElement) => c.height);
    expect(height).toBeLessThan(1000);
    // Scrolled to the end, the last visible row is the last move.
    await page.locator('.gantt-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(100);
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 200, box.y + box.height - 9);
    expect(await page.textContent('.gantt-tooltip')).toContain(`big-${BIG_MOVES - 1}:`);
    await page.selectOption('#filter', 'failed');
    await page.mouse.move(box.x + 200, box.y + 44 + 9);
    expect(await page.textContent('.gantt-tooltip')).toContain('failed: drain_timeout');
    expect(await page.locator('.move-list.failed h2').textContent()).toBe(`Failed moves (${(BIG_MOVES - 20) / 10})`);
    expect(await page.locator('.move-list.in-flight h2').textContent()).toBe('Moves in flight (20)');
  });

  it('matches its committed screenshot', async () => {
    const stuck = stuckPlan();
    await openPage(`${consoleServer.url}trace?traceId=${stuck.traceId}&now=${endMs}&full=1`);
    const png = await session.page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
    if (process.env.MESHKIT_UPDATE_SCREENSHOTS === '1') writeFileSync(SHOT, png);
    expect(existsSync(SHOT)).toBe(true);
    const a = PNG.sync.read(png);
    const e = PNG.sync.read(readFileSync(SHOT));
    expect([a.width, a.height]).toEqual([e.width, e.height]);
    const diff = pixelmatch(a.data, e.data, null, a.width, a.height, { threshold: 0.1, includeAA: false });
    if (diff > 150) {
      const dir = mkdtempSync(path.join(tmpdir(), 'meshkit-screenshot-'));
      writeFileSync(path.join(dir, 'trace-stuck-plan.png'), png);
      throw new Error(`the trace page differs from docs/screenshots/trace-stuck-plan.png in ${diff} pixels; the new render is in ${dir}`);
    }
  });
});

describe('the command line during the stuck plan', () => {
  const at = () => new Date(endMs).toISOString();

  it('trace prints each stuck move with its source node, time since start and last drain progress', () => {
    const stuck = stuckPlan();
    const run = spawnSync(process.execPath, [BIN, 'trace', stuck.planId, '--query', stack.urls.trace_query, '--at', at(), '--width', '40'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${stuck.moves.length} moves in flight:`);
    for (const m of stuck.moves) {
      const line = run.stdout.split('\n').find((l) => l.trim().startsWith(m.shard) && l.includes(`from ${m.from}`));
      expect(line).toMatch(/started \d+m\d\ds ago {2}drain {2}last drain progress \d+m\d\ds ago: \d+ left \(\d+ % drained\)/);
    }
  });

  it('render trace draws the plan to a PNG, and answers a wrong plan id in one sentence', () => {
    const stuck = stuckPlan();
    const out = path.join(project, 'plan.png');
    const run = spawnSync(process.execPath, [BIN, 'render', 'trace', stuck.planId, '--out', out, '--query', stack.urls.trace_query, '--at', at()], { encoding: 'utf8', timeout: 180_000 });
    expect(run.status).toBe(0);
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBe(1600);
    expect(png.height).toBeGreaterThan(300);
    const wrong = spawnSync(process.execPath, [BIN, 'render', 'trace', 'no-such-plan', '--out', out, '--query', stack.urls.trace_query], { encoding: 'utf8', timeout: 60_000 });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr.trim().split('\n')).toEqual(['meshkit-rebalance-obs render: no trace found for plan no-such-plan in the last 48 hours.']);
  });
});
