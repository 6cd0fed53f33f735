/** Starts, supervises and stops the fleet topology's processes (see docs/operator-guide/fleet.md). */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError, progress } from '../cli/user-error';
import { httpUrl, minimalAlertmanagerConfig, ruleFiles, writeConfig } from '../stack/configs';
import { stackBinaries, thanosBinary } from '../stack/install';
import { shipped } from '../stack/paths';
import { freePorts } from '../stack/ports';
import { runningHandle, settleAll, supervise, type RunningProcesses, type StartProcessesOptions } from '../stack/supervise';
import { componentSpecs, prometheusDataDir } from './specs';
import { probeFleet, readFleetState, stopFleet, writeFleetState, type FleetState, type FleetUrls } from './state';
import { PORT_COUNT, REGIONS, REPLICAS, assignPorts, startWaves, type FleetComponent, type FleetPorts, type Region } from './topology';

export interface StartFleetOptions extends StartProcessesOptions {
  /** A TSDB (e.g. a backfilled history) copied into both replicas of a region before they start. */
  regionData?: Partial<Record<Region, string>>;
  /** Alertmanager `--cluster.peer-timeout`. @default 15s (Alertmanager's own) */
  peerTimeout?: string;
  /** Extra environment of every gateway, e.g. TAIL_SAMPLING_HEALTHY_PERCENT. @default gateway.yaml's defaults */
  gatewayEnv?: Record<string, string>;
}

/** A fleet started by this process (its state file is fleet.json). */
export interface RunningFleet extends RunningProcesses<FleetComponent, FleetUrls, FleetPorts> {
  /**
   * Resolves once Thanos Query serves every sidecar again. After a replica restart its sidecar says
   * "not ready" until its next check of Prometheus (`--prometheus.get_config_interval`), and Query
   * answers from the other replica alone until then.
   */
  queryServesAll(): Promise<void>;
}

/**
 * Starts the fleet on free 127.0.0.1 ports, wave by wave (topology.ts), waits until each process is
 * ready and Thanos Query sees every sidecar, and records it all in `<dir>/fleet.json`. The processes
 * are detached: they outlive this process until `stop()` or `fleet down`.
 */
export async function startFleet(options: StartFleetOptions): Promise<RunningFleet> {
  const dir = path.resolve(options.dir);
  const env = options.env ?? process.env;
  const log = options.log ?? progress;
  const timeout = options.readyTimeoutMs ?? 90_000;
  const previous = readFleetState(dir);
  if (previous && (await probeFleet(previous)).some((component) => component.running)) {
    throw new UserError(`a fleet is already running from ${dir}; stop it first ("meshkit-rebalance-obs fleet down").`);
  }
  const binaries = { ...stackBinaries({ env }), thanos: thanosBinary({ env }) };
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  for (const region of REGIONS) {
    const data = options.regionData?.[region];
    if (!data) continue;
    for (const replica of REPLICAS) cpSync(data, prometheusDataDir(dir, region, replica), { recursive: true });
  }
  let alertmanagerConfig = options.alertmanagerConfig ?? shipped.alertmanagerConfig();
  if (!existsSync(alertmanagerConfig)) {
    alertmanagerConfig = path.join(dir, 'alertmanager.yml');
    writeConfig(alertmanagerConfig, minimalAlertmanagerConfig());
  }
  const ports = assignPorts(await freePorts(PORT_COUNT));
  const specs = componentSpecs(ports, {
    dir,
    env,
    binaries,
    ruleFiles: options.ruleFiles ?? ruleFiles(),
    alertmanagerConfig,
    evaluationInterval: options.evaluationInterval ?? '5s',
    peerTimeout: options.peerTimeout ?? '15s',
    gatewayEnv: options.gatewayEnv,
  });
  const state: FleetState = { dir, startedAt: new Date().toISOString(), ports, urls: fleetUrls(ports), components: {} };
  const waves = startWaves();

  const processes = supervise({ cwd: dir, specs, timeoutMs: timeout, components: state.components, save: () => writeFleetState(state), log, prefix: '[fleet]' });
  try {
    for (const wave of waves) {
      log(`[fleet] starting ${wave.join(', ')}…`);
      await settleAll(wave.map(processes.launch));
      if (wave.includes('query')) await waitForStores(state.urls.query, REGIONS.length * REPLICAS.length, timeout);
      // Prometheus only once the nodes see each other: a node alone notifies on its own, a duplicate page.
      if (wave.includes('alertmanager-0')) await waitForCluster(state.urls.alertmanagers, timeout);
    }
  } catch (error) {
    await stopFleet(state, waves);
    throw error;
  }

  return {
    ...runningHandle(processes, { dir, urls: state.urls, ports }, () => stopFleet(state, waves)),
    restart: async (name) => {
      await processes.relaunch(name);
      if (name.startsWith('alertmanager-')) await waitForCluster(state.urls.alertmanagers, timeout);
    },
    queryServesAll: () => waitForStores(state.urls.query, REGIONS.length * REPLICAS.length, timeout),
  };
}

function fleetUrls(ports: FleetPorts): FleetUrls {
  const regions = Object.fromEntries(
    REGIONS.map((region) => {
      const own = ports.regions[region];
      return [region, { otlp_http: httpUrl(own.agent.otlpHttp), prometheus: REPLICAS.map((replica) => httpUrl(own.prometheus[replica])) }];
    }),
  ) as FleetUrls['regions'];
  return {
    query: httpUrl(ports.query.http),
    alertmanagers: ports.alertmanager.map((node) => httpUrl(node.web)),
    regions,
    trace_query: httpUrl(ports.jaeger.jaegerQueryHttp),
  };
}

/** Thanos Query answers before it has connected to its endpoints: wait until it lists `count` stores. */
export async function waitForStores(query: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  for (;;) {
    try {
      const response = await fetch(`${query}/api/v1/stores`, { signal: AbortSignal.timeout(2_000) });
      const body = (await response.json()) as { data?: Record<string, { lastError?: string | null }[]> };
      seen = Object.values(body.data ?? {})
        .flat()
        .filter((store) => !store.lastError).length;
      if (seen >= count) return;
    } catch {
      // not answering yet
    }
    if (Date.now() >= deadline) throw new UserError(`Thanos Query sees ${seen} of ${count} sidecars after ${Math.round(timeoutMs / 1000)} s.`);
    await sleep(300);
  }
}

/** Waits until every Alertmanager node lists all of them as cluster peers (`/api/v2/status`). */
export async function waitForCluster(alertmanagers: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const peers = await Promise.all(
      alertmanagers.map(async (url) => {
        try {
          const response = await fetch(`${url}/api/v2/status`, { signal: AbortSignal.timeout(2_000) });
          const body = (await response.json()) as { cluster?: { status?: string; peers?: unknown[] } };
          return body.cluster?.status === 'ready' ? (body.cluster.peers?.length ?? 0) : 0;
        } catch {
          return 0;
        }
      }),
    );
    if (peers.every((n) => n === alertmanagers.length)) return;
    if (Date.now() >= deadline) throw new UserError(`the Alertmanager nodes did not form a cluster within ${Math.round(timeoutMs / 1000)} s (peers seen: ${peers.join(', ')}).`);
    await sleep(300);
  }
}
