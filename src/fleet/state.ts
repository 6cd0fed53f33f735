/** `<dir>/fleet.json`: what `fleet down` and `fleet status` need from another process. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { probe, readStateFile, writeStateFile, type ComponentHealth, type ComponentState } from '../stack/state';
import { pidRuns, stopPid } from '../stack/processes';
import { stackDir } from '../stack/paths';
import type { FleetComponent, FleetPorts, Region } from './topology';

/** The addresses `fleet status --json` prints. */
export interface FleetUrls {
  /** Thanos Query: the global, deduplicated Prometheus API (dashboards point here). */
  query: string;
  alertmanagers: string[];
  regions: Record<Region, { otlp_http: string; prometheus: string[] }>;
  trace_query: string;
}

export interface FleetState {
  dir: string;
  startedAt: string;
  ports: FleetPorts;
  urls: FleetUrls;
  components: Partial<Record<FleetComponent, ComponentState>>;
}

/** `.stack/fleet` of a project: configs, data, logs and fleet.json of `fleet up`. */
export const fleetRunDir = (projectDir: string = process.cwd()): string => path.join(stackDir(projectDir), 'fleet');

const stateFile = (dir: string): string => path.join(dir, 'fleet.json');

export const readFleetState = (dir: string): FleetState | undefined => readStateFile<FleetState>(stateFile(dir));

/** The URLs of the fleet `fleet up` started in this project, if its state file is there. */
export const recordedFleetUrls = (projectDir: string = process.cwd()): FleetUrls | undefined => readFleetState(fleetRunDir(projectDir))?.urls;

export const writeFleetState = (state: FleetState): void => writeStateFile(stateFile(state.dir), state);

/** Probes every recorded process: its pid still runs our binary, and its readiness URL answers. */
export const probeFleet = (state: FleetState): Promise<ComponentHealth<FleetComponent>[]> => probe(state);

/**
 * Stops every recorded process that still runs our binary, in reverse start order: agents first
 * (they flush), then Query, sidecars, Prometheus replicas, and the Alertmanager nodes and the trace
 * backend last. Removes the state file.
 */
export async function stopFleet(state: FleetState, waves: FleetComponent[][]): Promise<FleetComponent[]> {
  const stopped: FleetComponent[] = [];
  for (const wave of [...waves].reverse()) {
    await Promise.all(
      wave.map(async (name) => {
        const component = state.components[name];
        if (component && pidRuns(component.pid, component.executable)) {
          await stopPid(component.pid);
          stopped.push(name);
        }
      }),
    );
  }
  rmSync(stateFile(state.dir), { force: true });
  return stopped;
}
