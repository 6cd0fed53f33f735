/**
 * The fleet under an incident, on the real processes: region eu serves the stuck-plan scenario's
 * history cut inside its alert window, region us ordinary work in two clusters. Both eu replicas
 * fire; the Alertmanager cluster sends exactly one PagerDuty trigger per alert group and exactly
 * one resolve, also when one Prometheus replica and one Alertmanager node are killed mid-incident;
 * Thanos Query fills the dead replica's gap (deduplication) and returns no duplicate sample after
 * its restart. Then: the generated rules give the same answers on both replicas and through Thanos
 * Query, and the dashboards' queries and cluster variable through Thanos Query see both regions.
 *
 * The incident ends when the stuck plan makes progress: a progress timestamp of now is written into
 * both eu replicas (remote write). Waiting for the history to go stale instead (5 min after its end)
 * would end it together with the eu controllers' series, and the vanished-controllers alert that then
 * fires inhibits the stuck plan's resolve. Alertmanager runs with group_interval 60s and a 2s peer
 * timeout (harness.ts: why). This file takes about four minutes once the fleet is up. Opt-in:
 * scripts/test-fleet.sh.
 */
import { METRICS } from '../../src/schema/metrics';
import { REGION_LABEL, REPLICA_LABEL } from '../../src/fleet/topology';
import { regionScenario, REGION_CLUSTERS } from '../../src/fleet/workload';
import { parseDuration } from '../../src/alerting/promql';
import { ruleGroups } from '../../src/alerting/render';
import { DASHBOARD_FILES } from '../../src/dashboards/render';
import { findScenario } from '../../src/simulator/scenarios';
import { cutPoint, dedupKeyOf, promAlerts, sleep, until, type PagerDutyEvent } from '../e2e/harness';
import { ALL_VARIABLES } from '../dashboards-data/helpers';
import { substituteVariables } from '../../src/render/variables';
import { ensureChromium, launchBrowser } from '../../src/render/browser';
import { previewConfig, screenshot, VIEWPORT, VIEWS } from '../../src/render/render';
import { startPreviewServer } from '../../src/render/server';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FLEET_GROUP_INTERVAL, FLEET_TIMEOUT_MS, PEER_TIMEOUT, longestGap, notificationLogsInSync, promQuery, startFleetUnderTest, type FleetUnderTest } from './harness';
import { remoteWrite } from './remote-write';

const STUCK = { alertname: 'MeshKitRebalancePlanStuck', cluster: 'eu-west-1', namespace: 'orders' };
const KILL_MS = 20_000;
const figures: string[] = [];
let f: FleetUnderTest;

beforeAll(async () => {
  const cut = await cutPoint('stuck-plan', '1');
  f = await startFleetUnderTest({
    eu: { scenario: findScenario('stuck-plan')!, hours: cut.hours },
    us: { scenario: regionScenario('us', { clusters: 2 }), hours: 1 },
  });
  figures.push(`fleet up: install ${f.timings.installSeconds.toFixed(1)} s, histories ${f.timings.historySeconds.toFixed(1)} s, start ${f.timings.startSeconds.toFixed(1)} s`);
}, FLEET_TIMEOUT_MS);

afterAll(async () => {
  await f?.stop();
  process.stdout.write(`\n[fleet ha] figures:\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
});

const pagerduty = () => f.receivers.of('pagerduty').map((d) => d.body as PagerDutyEvent);
const events = (key: string, action: string) => pagerduty().filter((e) => e.dedup_key === key && e.event_action === action);

describe('an incident in one region of the fleet', () => {
  it(
    'reaches PagerDuty once and resolves once, through a replica and an Alertmanager node dying mid-incident',
    async () => {
      const eu = f.fleet.urls.regions.eu.prometheus;
      const stuckKey = dedupKeyOf('page', STUCK);
      // both replicas fire
      for (const replica of eu) {
        await until(`${replica} to fire ${STUCK.alertname}`, async () => ((await promAlerts(replica)).some((a) => a.labels.alertname === STUCK.alertname && a.state === 'firing') ? true : undefined), 120_000);
      }
      await until('the PagerDuty trigger', async () => (events(stuckKey, 'trigger').length > 0 ? true : undefined), 60_000);
      const firstTrigger = f.receivers.deliveries.find((d) => d.receiver === 'pagerduty')!.at;
      figures.push(`trigger ${((firstTrigger - f.endMs) / 1000).toFixed(1)} s after the history's end (fleet start included)`);

      // Mid-incident: the page is recorded in both nodes' notification logs, then one replica and one Alertmanager
      // node crash, and come back. (A node killed within a gossip interval of paging takes the only record of the
      // page with it, and its peer pages again after the peer timeout: Alertmanager fails open, docs/operator-guide/fleet.md.)
      const synced = Date.now();
      const nflog = await until('the page in every Alertmanager node\'s notification log', async () => {
        const state = await notificationLogsInSync(f.fleet.urls.alertmanagers);
        return state.inSync ? state : undefined;
      }, 30_000);
      expect(nflog.sent).toBeGreaterThanOrEqual(1);
      figures.push(`the page in both nodes' notification logs ${((Date.now() - firstTrigger) / 1000).toFixed(1)} s after it was sent (waited ${((Date.now() - synced) / 1000).toFixed(1)} s)`);
      const killedAt = Date.now();
      await Promise.all([f.fleet.kill('eu-prometheus-a'), f.fleet.kill('alertmanager-0')]);
      await sleep(KILL_MS);
      let backAt = 0; // when the replica is back (the Alertmanager node also waits to rejoin its peer)
      await Promise.all([f.fleet.restart('eu-prometheus-a').then(() => (backAt = Date.now())), f.fleet.restart('alertmanager-0')]);
      figures.push(`eu-prometheus-a and alertmanager-0 SIGKILLed, the replica back after ${((backAt - killedAt) / 1000).toFixed(1)} s, the node rejoined after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
      await until('the restarted replica to fire again', async () => ((await promAlerts(eu[0])).some((a) => a.labels.alertname === STUCK.alertname && a.state === 'firing') ? true : undefined), 60_000);
      expect(events(stuckKey, 'resolve')).toHaveLength(0); // the kill happened mid-incident

      // no gap over the kill through Thanos Query, a gap on the dead replica alone
      const windowS = Math.ceil((Date.now() - killedAt) / 1000) + 30;
      const selector = `ALERTS{alertname="${STUCK.alertname}",alertstate="firing",${REGION_LABEL}="eu"}[${windowS}s]`;
      const raw = await promQuery(f.fleet.urls.query, selector, undefined, { dedup: 'false' });
      const deduped = await promQuery(f.fleet.urls.query, selector, undefined, { dedup: 'true' });
      const [from, to] = [killedAt / 1000 + 1, backAt / 1000 - 1];
      const of = (replica: string) => raw.find((series) => series.metric[REPLICA_LABEL] === replica)!.values;
      const inOutage = (values: [number, string][]) => values.filter(([t]) => t > from && t < to).length;
      figures.push(
        `ALERTS samples inside the ${(to - from).toFixed(0)} s outage: replica a ${inOutage(of('a'))}, replica b ${inOutage(of('b'))}, deduplicated ${inOutage(deduped[0].values)}; ` +
          `longest gap deduplicated ${longestGap(deduped[0].values)} s, replica b ${longestGap(of('b'))} s`,
      );
      expect(raw.map((series) => series.metric[REPLICA_LABEL]).sort()).toEqual(['a', 'b']);
      expect(inOutage(of('a'))).toBe(0);
      expect(deduped).toHaveLength(1);
      expect(deduped[0].metric[REPLICA_LABEL]).toBeUndefined();
      expect(inOutage(of('b'))).toBeGreaterThan(0);
      // Thanos switches replicas only after a penalty (5 s at first, then twice the samples' spacing), so the
      // deduplicated series may skip that long where it switches, never the outage: at most that plus an evaluation either side.
      expect(inOutage(deduped[0].values)).toBeGreaterThanOrEqual(inOutage(of('b')) - 5);
      expect(longestGap(deduped[0].values)).toBeLessThanOrEqual(7);
      // What a dashboard reads: a range query at the evaluation interval has a point at every step over the outage.
      const [ranged] = await promQuery(f.fleet.urls.query, `ALERTS{alertname="${STUCK.alertname}",alertstate="firing",${REGION_LABEL}="eu"}`, { start: Math.ceil(from), end: Math.floor(to), step: 1 }, { dedup: 'true' });
      expect(ranged.values).toHaveLength(Math.floor(to) - Math.ceil(from) + 1);
      const times = deduped[0].values.map(([t]) => t);
      expect(new Set(times).size).toBe(times.length); // nothing duplicated after the restart
      expect(times).toEqual([...times].sort((a, b) => a - b));

      // the end of the incident: the stuck plan makes progress, on both eu replicas
      const progress = await promQuery(eu[1], `${METRICS.planLastProgress.name}{cluster="${STUCK.cluster}",namespace="${STUCK.namespace}"}`);
      expect(progress.length).toBeGreaterThan(0);
      const progressAt = Date.now();
      for (const replica of eu) await remoteWrite(replica, progress.map((series) => ({ labels: series.metric, value: progressAt / 1000, timestampMs: progressAt })));
      await until('the PagerDuty resolve', async () => (events(stuckKey, 'resolve').length > 0 ? true : undefined), 3 * 60_000);
      const resolvedAt = f.receivers.deliveries.filter((d) => d.receiver === 'pagerduty' && (d.body as PagerDutyEvent).event_action === 'resolve')[0].at;
      figures.push(`resolve ${((resolvedAt - progressAt) / 1000).toFixed(1)} s after the stuck plan's progress was written (${((resolvedAt - f.endMs) / 1000).toFixed(1)} s after the history's end)`);
      // room for a duplicate: a stale trigger shows within the peer timeout, a second resolve at the next flush
      await sleep((parseDuration(FLEET_GROUP_INTERVAL) + parseDuration(PEER_TIMEOUT)) * 1000 + 5_000);
      for (const d of f.receivers.of('pagerduty')) {
        const e = d.body as PagerDutyEvent;
        figures.push(`PagerDuty ${e.event_action} ${((d.at - f.endMs) / 1000).toFixed(1)} s after the history's end: ${e.payload.summary}`);
      }
      expect(events(stuckKey, 'trigger')).toHaveLength(1);
      expect(events(stuckKey, 'resolve')).toHaveLength(1);
      const byKey = new Map<string, PagerDutyEvent[]>();
      for (const e of pagerduty()) byKey.set(e.dedup_key, [...(byKey.get(e.dedup_key) ?? []), e]);
      for (const [key, list] of byKey) {
        const triggers = list.filter((e) => e.event_action === 'trigger').length;
        const resolves = list.filter((e) => e.event_action === 'resolve').length;
        figures.push(`PagerDuty group ${list[0].payload.summary}: ${triggers} trigger(s), ${resolves} resolve(s)`);
        expect([key, triggers]).toEqual([key, 1]);
        expect(resolves).toBeLessThanOrEqual(1);
      }
    },
    15 * 60_000,
  );

  it('evaluates every generated rule expression the same on both replicas and through Thanos Query', async () => {
    const at = String(f.endMs / 1000 - 120);
    const { urls } = f.fleet;
    const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).filter(([k]) => k !== REGION_LABEL).sort());
    let checked = 0;
    for (const group of ruleGroups().groups) {
      for (const rule of group.rules) {
        const expr = rule.expr;
        const perRegion = await Promise.all(
          (['eu', 'us'] as const).map(async (region) => {
            const [a, b] = await Promise.all(urls.regions[region].prometheus.map((p) => promQuery(p, expr, undefined, { time: at })));
            expect(new Map(b.map((s) => [key(s.metric), s.values[0][1]]))).toEqual(new Map(a.map((s) => [key(s.metric), s.values[0][1]])));
            return a;
          }),
        );
        const global = await promQuery(urls.query, expr, undefined, { time: at, dedup: 'true' });
        for (const s of global) expect(s.metric[REPLICA_LABEL]).toBeUndefined();
        const expected = new Map(perRegion.flat().map((s) => [key(s.metric), Number(s.values[0][1])]));
        const got = new Map(global.map((s) => [key(s.metric), Number(s.values[0][1])]));
        expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [k, v] of expected) expect(got.get(k)).toBeCloseTo(v, 6);
        checked++;
      }
    }
    figures.push(`${checked} rule expressions: replica a = replica b in each region, Thanos Query = union of the regions`);
    expect(checked).toBeGreaterThan(20);
  }, 300_000);

  it('serves the dashboards both regions through Thanos Query: every cluster in the cluster variable and in the exec panels', async () => {
    const { query } = f.fleet.urls;
    const clusters = async (match: string) => {
      const response = await fetch(`${query}/api/v1/label/cluster/values?${new URLSearchParams({ 'match[]': match, start: String(f.endMs / 1000 - 3600), end: String(f.endMs / 1000) })}`);
      return ((await response.json()) as { data: string[] }).data;
    };
    const variable = await clusters(METRICS.heartbeat.name);
    const expected = ['eu-west-1', ...REGION_CLUSTERS.us.slice(0, 2)];
    expect(variable.sort()).toEqual(expected.sort());
    figures.push(`cluster variable through Thanos Query: ${variable.join(', ')}`);

    const dashboard = JSON.parse(readFileSync(path.join(__dirname, '..', '..', DASHBOARD_FILES.exec), 'utf8')) as { panels: { title?: string; targets?: { expr: string }[]; panels?: unknown[] }[] };
    const panels = dashboard.panels.flatMap((p) => [p, ...((p.panels ?? []) as typeof dashboard.panels)]).filter((p) => p.targets?.length);
    const seen = new Set<string>();
    const time = { fromMs: f.endMs - 3_600_000, toMs: f.endMs, intervalMs: 30_000, scrapeIntervalMs: 15_000 };
    for (const panel of panels) {
      for (const target of panel.targets!) {
        const expr = substituteVariables(target.expr, ALL_VARIABLES, time);
        const series = await promQuery(query, expr, { start: time.fromMs / 1000, end: time.toMs / 1000, step: 30 }, { dedup: 'true' });
        for (const s of series) if (s.metric.cluster) seen.add(s.metric.cluster);
      }
    }
    figures.push(`exec dashboard through Thanos Query: ${panels.length} panels, clusters seen ${[...seen].sort().join(', ')}`);
    expect([...seen].sort()).toEqual(expected.sort());

    // the preview renderer, its data source pointed at Thanos Query, draws every panel of both views
    const session = await launchBrowser({ executable: await ensureChromium({ log: () => {} }), width: VIEWPORT.width, height: VIEWPORT.height });
    const server = await startPreviewServer(query);
    try {
      for (const view of VIEWS) {
        server.show(previewConfig(view, 'fleet', { startMs: time.fromMs, endMs: time.toMs, scrapeIntervalMs: 15_000 }));
        const png = await screenshot(session, server.url);
        figures.push(`preview of the ${view} view through Thanos Query: ${png.length} bytes of PNG, every panel drawn`);
        expect(png.length).toBeGreaterThan(10_000);
      }
    } finally {
      await server.close();
      await session.close();
    }
  }, 300_000);
});
