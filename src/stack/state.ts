import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackPorts } from './configs';
import { stackRunDir } from './paths';
import { httpOk, pidRuns, stopPid } from './processes';

export type ComponentName = 'alertmanager' | 'jaeger' | 'prometheus' | 'otelcol';

/** The four addresses `stack status --json` prints, in this order. */
export interface StackUrls {
  prometheus: string;
  alertmanager: string;
  otlp_http: string;
  trace_query: string;
}

export interface ComponentState {
  pid: number;
  executable: string;
  readyUrl: string;
  log: string;
}

/** `<dir>/state.json`: what `stack down` and `stack status` need from another process. */
export interface StackState {
  dir: string;
  startedAt: string;
  ports: StackPorts;
  urls: StackUrls;
  components: Partial<Record<ComponentName, ComponentState>>;
}

export const stateFile = (dir: string): string => path.join(dir, 'state.json');

/** The URLs of the stack `stack up` started in this project, if its state file is there. */
export function recordedStackUrls(projectDir: string = process.cwd()): StackUrls | undefined {
  return readState(stackRunDir(projectDir))?.urls;
}

/** A state file's content; undefined when it is missing or unreadable (a half-written or foreign file). */
export function readStateFile<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes a state file whole (through a rename), so that a reader never sees half of it. */
export function writeStateFile(file: string, state: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export const readState = (dir: string): StackState | undefined => readStateFile<StackState>(stateFile(dir));

export const writeState = (state: StackState): void => writeStateFile(stateFile(state.dir), state);

export function removeState(dir: string): void {
  rmSync(stateFile(dir), { force: true });
}

export interface ComponentHealth<N extends string = ComponentName> {
  name: N;
  pid: number;
  running: boolean;
  ready: boolean;
}

/** Probes every recorded component: its pid still runs our binary, and its readiness URL answers. */
export async function probe<N extends string = ComponentName>(state: { components: Partial<Record<N, ComponentState>> }): Promise<ComponentHealth<N>[]> {
  return Promise.all(
    (Object.entries(state.components) as [N, ComponentState][]).map(async ([name, component]) => {
      const running = pidRuns(component.pid, component.executable);
      return { name, pid: component.pid, running, ready: running && (await httpOk(component.readyUrl)) };
    }),
  );
}

/**
 * Stops every recorded component that still runs our binary: the Collector first (it flushes to
 * the backends), then the rest together. Removes the state file.
 */
export async function stopRecorded(state: StackState): Promise<ComponentName[]> {
  const stopped: ComponentName[] = [];
  const stop = async (name: ComponentName) => {
    const component = state.components[name];
    if (component && pidRuns(component.pid, component.executable)) {
      await stopPid(component.pid);
      stopped.push(name);
    }
  };
  await stop('otelcol');
  await Promise.all((['prometheus', 'jaeger', 'alertmanager'] as const).map(stop));
  removeState(state.dir);
  return stopped;
}
