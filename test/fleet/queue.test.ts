/**
 * Live data through the fleet's Collector agents, on the real processes: simulated controllers of
 * region eu push OTLP to the eu agent, which sends every batch to both eu replicas.
 *  - A replica down for 30 s: when it is back, the agent's queue for it delivers the samples of the
 *    outage, so it holds as many samples of that window as the replica that stayed up.
 *  - The agent SIGKILLed for 30 s: every leader previews a plan every 5 s (the workload's dry runs,
 *    counted in plans created), so the controllers count during the outage whatever their live plans
 *    do. Those counts reach both replicas within the bound the operator guide states once the agent
 *    is back, and so do the gauge samples of the outage (heartbeats): the killed agent's queue died
 *    with it, but the SDK kept every collection it could not send and sends them in order
 *    (docs/operator-guide/fleet.md).
 *  - Plans' traces reach the trace backend through the gateway tier (load-balanced by trace ID, tail
 *    sampled), `trace` reads one, and Thanos Query returns both replicas' series with dedup=false and
 *    one with dedup=true.
 * Opt-in: scripts/test-fleet.sh.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { METRICS } from '../../src/schema/metrics';
import { REPLICA_LABEL } from '../../src/fleet/topology';
import { regionScenario } from '../../src/fleet/workload';
import { runLive, type RunFigures } from '../../src/simulator/runner';
import { otelName } from '../../src/sdk/metric-producer';
import type { RebalanceTelemetryHandle } from '../../src/index';
import { fetchPlanTrace } from '../../src/trace/jaeger';
import { ATTR, SERVICE_NAME } from '../../src/schema/spans';
import { renderTimeline } from '../../src/trace/timeline';
import { sleep, until } from '../e2e/harness';
import { FLEET_TIMEOUT_MS, promQuery, startFleetUnderTest, type FleetUnderTest, type Sample } from './harness';

const BIN = path.join(__dirname, '..', '..', 'bin', 'meshkit-rebalance-obs.js');
const EXPORT_INTERVAL_MS = 5_000;
/** The bound the operator guide states for data of an agent outage: one export interval plus the SDK's 5 s retry back-off. */
const AGENT_BOUND_MS = EXPORT_INTERVAL_MS + 5_000;
const OUTAGE_MS = 30_000;
/** Every leader's plan previews (dry runs): two leaders (one cluster × two namespaces), so 2 plans counted per period. */
const DRY_RUN_EVERY_MS = 5_000;
const CLUSTER = 'eu-west-1';
const PLANS_CREATED = METRICS.plansCreated.name;
const HEARTBEAT = METRICS.heartbeat.name;
const LEADER = METRICS.leader.name;
const figures: string[] = [];
let f: FleetUnderTest;
let handles: RebalanceTelemetryHandle[] = [];
const abort = new AbortController();
let live: Promise<RunFigures>;

beforeAll(async () => {
  f = await startFleetUnderTest({});
  const endpoint = f.fleet.urls.regions.eu.otlp_http;
  live = runLive({
    scenario: regionScenario('eu', { clusters: 1, driftEveryMs: [15_000, 30_000], cooldownMs: 10_000, dryRunEveryMs: DRY_RUN_EVERY_MS }),
    seed: '1',
    speed: 1,
    durationMs: undefined,
    signal: abort.signal,
    exporters: () => ({ otlp: { endpoint, metricExportIntervalMillis: EXPORT_INTERVAL_MS } }),
    onStart: (started) => {
      handles = started.map((s) => s.handle);
    },
  });
  figures.push(`fleet up: install ${f.timings.installSeconds.toFixed(1)} s, start ${f.timings.startSeconds.toFixed(1)} s`);
}, FLEET_TIMEOUT_MS);

afterAll(async () => {
  abort.abort();
  await live;
  await f?.stop();
  process.stdout.write(`\n[fleet queue] figures:\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
});

/** Samples of `expr`'s series on one replica with timestamps in [from, to] (seconds). */
async function samplesIn(prometheus: string, metric: string, from: number, to: number): Promise<number> {
  const series = await promQuery(prometheus, `${metric}{cluster="${CLUSTER}"}[${Math.ceil(to - from) + 5}s]`, undefined, { time: String(to) });
  return series.flatMap((s) => s.values).filter(([t]) => t >= from && t <= to).length;
}

/** The controllers' own total of plans created, as their SDK would export it now. */
async function sdkPlansCreated(): Promise<number> {
  let total = 0;
  for (const handle of handles) {
    for (const metric of handle.metricProducer.collectMetrics()) {
      if (metric.descriptor.name === otelName(METRICS.plansCreated)) for (const p of metric.dataPoints) total += p.value as number;
    }
  }
  return total;
}

const promPlansCreated = async (prometheus: string): Promise<number> => {
  const [s] = await promQuery(prometheus, `sum(${PLANS_CREATED}{cluster="${CLUSTER}"})`);
  return s ? Number(s.values[0][1]) : 0;
};

describe('live data through the fleet agents', () => {
  it('a replica down for 30 s gets the samples of its outage from the agent queue when it is back', async () => {
    const [a, b] = f.fleet.urls.regions.eu.prometheus;
    const metric = HEARTBEAT;
    await until('heartbeats on both replicas', async () => ((await samplesIn(b, metric, Date.now() / 1000 - 30, Date.now() / 1000)) > 0 ? true : undefined), 120_000);
    const downAt = Date.now() / 1000;
    await f.fleet.kill('eu-prometheus-b');
    await sleep(OUTAGE_MS);
    await f.fleet.restart('eu-prometheus-b');
    const upAt = Date.now() / 1000;
    const [from, to] = [downAt + 2, upAt - 2];
    const onA = await samplesIn(a, metric, from, to);
    const onB = await until('the queued samples on the restarted replica', async () => {
      const n = await samplesIn(b, metric, from, to);
      return n >= onA ? n : undefined;
    }, 120_000);
    figures.push(`replica b down ${(upAt - downAt).toFixed(1)} s: heartbeat samples of the outage on a ${onA}, on b after restart ${onB} (${((Date.now() / 1000 - upAt)).toFixed(1)} s after it was back)`);
    expect(onA).toBeGreaterThan(0);
    expect(onB).toBe(onA);
    await f.fleet.queryServesAll();
    figures.push(`Thanos Query serves replica b again ${(Date.now() / 1000 - upAt).toFixed(1)} s after it was back`);
  }, 300_000);

  it('an agent SIGKILLed for 30 s: the counts and the gauge samples of the outage reach both replicas once it is back', async () => {
    const [a, b] = f.fleet.urls.regions.eu.prometheus;
    await until('plans counted on both replicas', async () => ((await promPlansCreated(a)) > 0 && (await promPlansCreated(b)) > 0 ? true : undefined), 180_000);
    const before = await sdkPlansCreated();
    const killedAt = Date.now();
    await f.fleet.kill('eu-agent');
    await sleep(OUTAGE_MS);
    const during = await sdkPlansCreated();
    await f.fleet.restart('eu-agent');
    const readyAt = Date.now();
    const arrived = await Promise.all(
      [a, b].map((replica) => until(`the outage's counts on ${replica}`, async () => ((await promPlansCreated(replica)) >= during ? Date.now() : undefined), 120_000)),
    );
    const delays = arrived.map((t) => t - readyAt);
    // Heartbeat samples (a gauge, one per export) stamped inside the outage, against as long a window before it.
    const [from, to] = [killedAt / 1000, readyAt / 1000];
    const heartbeats = async () =>
      Promise.all([a, b].map(async (replica) => ({ control: await samplesIn(replica, HEARTBEAT, from - (to - from), from), outage: await samplesIn(replica, HEARTBEAT, from + 1, to) })));
    // The SDK's waiting collections go out with its next export after the agent is back. Lost: per
    // controller, the export the agent had taken when it was killed, and one at a window edge.
    const allowed = 2 * handles.length;
    const lost = await until('the outage\'s heartbeats on both replicas', async () => {
      const counts = await heartbeats();
      return counts.every(({ control, outage }) => outage >= control - allowed) ? counts : undefined;
    }, AGENT_BOUND_MS + 10_000).catch(heartbeats);
    figures.push(
      `agent down ${(to - from).toFixed(1)} s: plans counted by the SDK before ${before}, by the restart ${during}; ` +
        `on replicas a, b ${delays.map((d) => (d / 1000).toFixed(1)).join(' s, ')} s after the agent was ready (bound ${AGENT_BOUND_MS / 1000} s); ` +
        `heartbeat samples stamped in the outage a ${lost[0].outage}, b ${lost[1].outage}, in as long a window before it a ${lost[0].control}, b ${lost[1].control} (${handles.length} controllers)`,
    );
    expect(during - before).toBeGreaterThanOrEqual(2 * Math.floor(OUTAGE_MS / DRY_RUN_EVERY_MS) - 2);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(AGENT_BOUND_MS);
    for (const { control, outage } of lost) {
      expect(control).toBeGreaterThan(0);
      expect(outage).toBeGreaterThanOrEqual(control - allowed);
    }
  }, 400_000);

  it('trace (the function and the command) reads a plan of the fleet from its trace backend, through the gateway tier, and Thanos Query deduplicates the live series', async () => {
    const [plan] = await promQuery(f.fleet.urls.query, `${PLANS_CREATED}{cluster="${CLUSTER}"}`, undefined, { dedup: 'true' });
    expect(plan.metric[REPLICA_LABEL]).toBeUndefined();
    const leader = `${LEADER}{cluster="${CLUSTER}"}`;
    const raw = await promQuery(f.fleet.urls.query, leader, undefined, { dedup: 'false' });
    const deduped = await promQuery(f.fleet.urls.query, leader, undefined, { dedup: 'true' });
    const direct = await Promise.all(f.fleet.urls.regions.eu.prometheus.map((replica) => promQuery(replica, leader)));
    const perReplica = (series: Sample[]) => JSON.stringify(Object.fromEntries(['a', 'b'].map((r) => [r, series.filter((x) => x.metric[REPLICA_LABEL] === r).length])));
    figures.push(`live leader series: direct a ${direct[0].length}, b ${direct[1].length}; Thanos dedup=false ${raw.length} ${perReplica(raw)}, dedup=true ${deduped.length}`);
    expect(direct[0].length).toBeGreaterThan(0);
    expect(deduped.length).toBe(direct[0].length);
    expect(raw.length).toBe(2 * deduped.length);
    // Traces reach the trace backend through the gateway tier, which holds a plan until its plan span
    // (the root) has been in for TAIL_SAMPLING_AFTER_PLAN_END (10 s): the leaders' previews are whole
    // plans of one span every 5 s; a live plan of this workload runs for minutes.
    type JaegerTrace = { traceID: string; spans: { tags: { key: string; value: unknown }[]; processID: string }[]; processes: Record<string, { tags: { key: string; value: unknown }[] }> };
    const search = new URLSearchParams({ service: SERVICE_NAME, start: String((Date.now() - 3_600_000) * 1000), end: String((Date.now() + 3_600_000) * 1000), limit: '100' });
    const tag = (tags: { key: string; value: unknown }[], key: string) => tags.find((t) => t.key === key)?.value;
    const traces = await until('a previewed plan in the trace backend', async () => {
      const body = (await (await fetch(`${f.fleet.urls.trace_query}/api/traces?${search}`)).json()) as { data?: JaegerTrace[] };
      const previews = (body.data ?? []).filter((t) => t.spans.some((span) => String(tag(span.tags, ATTR.dryRun)) === 'true'));
      return previews.length > 0 ? previews : undefined;
    }, 120_000);
    const gateways = new Set(traces.flatMap((t) => t.spans.map((span) => String(tag(t.processes[span.processID].tags, 'meshkit.collector.gateway')))));
    const planId = String(tag(traces[0].spans[0].tags, ATTR.planId));
    const spans = await fetchPlanTrace(f.fleet.urls.trace_query, planId, 1);
    figures.push(`traces of ${traces.length} previewed plans in the trace backend, through ${[...gateways].sort().join(', ')}; trace reads plan ${planId}: ${spans.length} span(s)`);
    for (const gateway of gateways) expect(gateway).toMatch(/^gateway-[01]$/);
    const timeline = renderTimeline(spans, { width: 60 });
    expect(spans.length).toBeGreaterThan(0);
    expect(timeline.length).toBeGreaterThan(0);
    // The command line, pointed at the fleet's trace backend.
    const cli = spawnSync(process.execPath, [BIN, 'trace', planId, '--query', f.fleet.urls.trace_query], { encoding: 'utf8', timeout: 60_000 });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`plan ${planId}`);
  }, 300_000);
});
