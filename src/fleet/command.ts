/** `meshkit-rebalance-obs fleet up | down | status [--json]`: the fleet topology on 127.0.0.1. */
import path from 'node:path';
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { requireAllReady, runVerb } from '../cli/verb-args';
import { ensureStack, ensureThanos } from '../stack/install';
import { startFleet } from './fleet';
import { fleetRunDir, probeFleet, readFleetState, stopFleet, type FleetState, type FleetUrls } from './state';
import { startWaves } from './topology';

const USAGE = 'usage: meshkit-rebalance-obs fleet up | down | status [--json]';

export const fleetCommand: Command = {
  summary: 'start, stop and inspect the fleet topology: two regions of Prometheus HA pairs, an Alertmanager cluster, Thanos Query',
  run: (args: string[]): Promise<number> => runVerb(args, USAGE, 'fleet', { up, down, status }),
};

async function up(): Promise<number> {
  const dir = fleetRunDir();
  const previous = readFleetState(dir);
  if (previous) {
    const health = await probeFleet(previous);
    if (health.length > 0 && health.every((component) => component.ready)) {
      progress(`[fleet] already up (started ${previous.startedAt})`);
      printUrls(previous.urls);
      return 0;
    }
    await stopFleet(previous, startWaves()); // leftovers of a fleet that is only partly alive
  }
  await ensureStack();
  await ensureThanos();
  const fleet = await startFleet({ dir });
  printUrls(fleet.urls);
  progress(`[fleet] running in the background; logs in ${path.join(dir, 'logs')}; stop with "meshkit-rebalance-obs fleet down"`);
  return 0;
}

async function down(): Promise<number> {
  const state = readFleetState(fleetRunDir());
  if (!state) {
    progress('[fleet] not running');
    return 0;
  }
  const stopped = await stopFleet(state, startWaves());
  progress(stopped.length > 0 ? `[fleet] stopped ${stopped.length} processes` : '[fleet] nothing was running; state cleared');
  return 0;
}

async function status(json: boolean): Promise<number> {
  const state: FleetState | undefined = readFleetState(fleetRunDir());
  if (!state) throw new UserError('the fleet is not up; start it with "meshkit-rebalance-obs fleet up".', 1);
  const health = await probeFleet(state);
  requireAllReady('fleet', health, 'no process');
  if (json) {
    process.stdout.write(`${JSON.stringify(state.urls)}\n`);
  } else {
    for (const component of health) process.stdout.write(`${component.name.padEnd(22)} ready  pid ${component.pid}\n`);
    printUrls(state.urls);
  }
  return 0;
}

function printUrls(urls: FleetUrls): void {
  const line = (name: string, value: string) => process.stdout.write(`${name.padEnd(22)} ${value}\n`);
  line('query', urls.query);
  urls.alertmanagers.forEach((url, i) => line(`alertmanager-${i}`, url));
  for (const [region, own] of Object.entries(urls.regions)) {
    line(`${region} otlp_http`, own.otlp_http);
    line(`${region} prometheus`, own.prometheus.join(' '));
  }
  line('trace_query', urls.trace_query);
}
