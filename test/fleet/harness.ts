/**
 * The fleet harness: a real fleet (src/fleet) whose regions' Prometheus pairs serve simulated
 * histories (backfilled with promtool, the same TSDB copied into both replicas of a region), the
 * rules generated from src/alerting, and an Alertmanager cluster that notifies the loopback
 * PagerDuty and Teams stand-ins of the e2e harness. Compressed as the e2e harness does, and only
 * that: `for:` ×1/60, evaluation every 1s, group_wait 1s; group_interval 60s (5m shipped) and the
 * Alertmanager cluster's peer timeout 2s (15s by default), see PEER_TIMEOUT.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFleet, type RunningFleet } from '../../src/fleet/fleet';
import type { Region } from '../../src/fleet/topology';
import { HOUR } from '../../src/simulator/clock';
import { runHistory } from '../../src/simulator/runner';
import type { Scenario } from '../../src/simulator/scenarios';
import { backfillOpenMetrics } from '../../src/stack/backfill';
import { ruleFiles } from '../../src/stack/configs';
import { ensureStack, ensureThanos } from '../../src/stack/install';
import { EVALUATION_INTERVAL, Receivers, renderedTestRules, writeAlertingFiles, type AlertingFiles } from '../e2e/harness';

/**
 * Alertmanager timing of the fleet runs. The node at position n waits n × peer timeout before it
 * checks the notification log and sends what its flush took in at the start of the wait; a peer's
 * resolve that lands inside that wait makes it page the resolved group again (prometheus/alertmanager
 * #2447, #4008). So the peer timeout is kept far below group_interval (chance of that race per resolve
 * ≈ peer timeout² / (2 × group_interval²), about 0.06 % here) and above the time a notification takes
 * to reach the other node's log (under a second on loopback, measured by ha.test.ts).
 */
export const PEER_TIMEOUT = '2s';
export const FLEET_GROUP_INTERVAL = '60s';
/** A cold machine builds the stack and Thanos first. */
export const FLEET_TIMEOUT_MS = 45 * 60_000;

export interface RegionHistory {
  scenario: Scenario;
  /** Virtual hours, ending now. */
  hours: number;
  seed?: string;
}

export interface FleetUnderTest {
  fleet: RunningFleet;
  receivers: Receivers;
  files: AlertingFiles;
  /** Unix ms where the histories end (the fleet's start). */
  endMs: number;
  /** Wall seconds of the steps: builds (cached or not), histories + backfill, start. */
  timings: { installSeconds: number; historySeconds: number; startSeconds: number };
  stop(): Promise<void>;
}

/**
 * Builds what is missing, writes each region's history into a TSDB, and starts the fleet on them.
 * `shippedRules` loads alerting/rules unchanged (no `for:` compression) instead of the test rendering.
 */
export async function startFleetUnderTest(
  histories: Partial<Record<Region, RegionHistory>>,
  options: { log?: (line: string) => void; shippedRules?: boolean; evaluationInterval?: string } = {},
): Promise<FleetUnderTest> {
  const log = options.log ?? (() => {});
  const receivers = new Receivers();
  await receivers.start();
  const dir = mkdtempSync(path.join(tmpdir(), 'meshkit-fleet-'));
  let fleet: RunningFleet | undefined;
  try {
    let t = Date.now();
    const binaries = await ensureStack({ projectDir: dir, log });
    await ensureThanos({ projectDir: dir, log });
    const installSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    const endMs = Date.now();
    const regionData: Partial<Record<Region, string>> = {};
    for (const [region, history] of Object.entries(histories) as [Region, RegionHistory][]) {
      const out = path.join(dir, `${region}.om`);
      await runHistory({ scenario: history.scenario, seed: history.seed ?? '1', hours: history.hours, out, startMs: endMs - history.hours * HOUR });
      regionData[region] = path.join(dir, `${region}-tsdb`);
      backfillOpenMetrics(binaries.promtool, out, regionData[region]!);
      rmSync(out, { force: true });
    }
    const historySeconds = (Date.now() - t) / 1000;
    const files = writeAlertingFiles(path.join(dir, 'alerting'), receivers, { groupInterval: FLEET_GROUP_INTERVAL });
    writeFileSync(files.ruleFile, options.shippedRules ? readFileSync(ruleFiles()[0], 'utf8') : renderedTestRules());
    t = Date.now();
    fleet = await startFleet({
      dir: path.join(dir, 'fleet'),
      log,
      ruleFiles: [files.ruleFile],
      alertmanagerConfig: files.alertmanagerConfig,
      regionData,
      evaluationInterval: options.evaluationInterval ?? EVALUATION_INTERVAL,
      peerTimeout: PEER_TIMEOUT,
      // every healthy plan kept (10 % shipped), so that a test finds the plan it looks for
      gatewayEnv: { TAIL_SAMPLING_HEALTHY_PERCENT: '100' },
      readyTimeoutMs: 180_000,
    });
    const startSeconds = (Date.now() - t) / 1000;
    const running = fleet;
    return {
      fleet: running,
      receivers,
      files,
      endMs,
      timings: { installSeconds, historySeconds, startSeconds },
      stop: async () => {
        await running.stop();
        await receivers.stop();
        keepLogs(dir);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fleet?.stop();
    await receivers.stop();
    keepLogs(dir);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** With MESHKIT_FLEET_LOGS=<dir>, the processes' logs are copied there before the fleet's directory is removed. */
function keepLogs(dir: string): void {
  const to = process.env.MESHKIT_FLEET_LOGS;
  const logs = path.join(dir, 'fleet', 'logs');
  if (to && existsSync(logs)) cpSync(logs, path.join(to, path.basename(dir)), { recursive: true });
}

export interface Sample {
  metric: Record<string, string>;
  values: [number, string][];
}

/** An instant or range query against a Prometheus API (a replica or Thanos Query); throws unless `success`. */
export async function promQuery(base: string, expr: string, range?: { start: number; end: number; step: number }, extra: Record<string, string> = {}): Promise<Sample[]> {
  const params = new URLSearchParams({ query: expr, ...extra });
  if (range) {
    params.set('start', String(range.start));
    params.set('end', String(range.end));
    params.set('step', String(range.step));
  }
  const response = await fetch(`${base}/api/v1/${range ? 'query_range' : 'query'}`, { method: 'POST', body: params });
  type Entry = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] };
  const json = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: Entry[] } };
  if (json.status !== 'success') throw new Error(`${expr}: ${json.error ?? response.status}`);
  // A matrix (a range query, or an instant query of a range selector) has `values`; a vector `value`.
  return json.data!.result.map((r) => ({ metric: r.metric, values: r.values ?? [r.value!] }));
}

/** Series a Prometheus API holds for `match` between `start` and `end` (seconds). */
export async function seriesCount(base: string, match: string, start: number, end: number): Promise<number> {
  const response = await fetch(`${base}/api/v1/series`, { method: 'POST', body: new URLSearchParams({ 'match[]': match, start: String(start), end: String(end) }) });
  const json = (await response.json()) as { status: string; error?: string; data?: unknown[] };
  if (json.status !== 'success') throw new Error(`series ${match}: ${json.error ?? response.status}`);
  return json.data!.length;
}

/** Sum of every sample of `metric` in a Prometheus text exposition (all label sets). */
function metricSum(text: string, metric: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric} `) || line.startsWith(`${metric}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/**
 * Whether every Alertmanager node's notification log holds every notification the other nodes sent:
 * each node has merged from gossip (`alertmanager_nflog_gossip_messages_propagated_total`, counted
 * once per new entry) at least as many entries as the others sent successfully. Until then a node
 * that dies takes the only record of its notification with it, and a peer notifies again.
 */
export async function notificationLogsInSync(alertmanagers: readonly string[]): Promise<{ inSync: boolean; sent: number }> {
  const nodes = await Promise.all(
    alertmanagers.map(async (url) => {
      const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
      const sent = metricSum(text, 'alertmanager_notifications_total') - metricSum(text, 'alertmanager_notifications_failed_total');
      return { sent, merged: metricSum(text, 'alertmanager_nflog_gossip_messages_propagated_total') };
    }),
  );
  const sent = nodes.reduce((n, node) => n + node.sent, 0);
  return { inSync: nodes.every((node) => node.merged >= sent - node.sent), sent };
}

/** Longest gap, in seconds, between consecutive samples of a range series. */
export function longestGap(values: readonly [number, string][]): number {
  let gap = 0;
  for (let i = 1; i < values.length; i++) gap = Math.max(gap, values[i][0] - values[i - 1][0]);
  return gap;
}

/** Resident memory of a process, from /proc. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : NaN;
}
