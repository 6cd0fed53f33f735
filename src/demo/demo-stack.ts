/** The demo's stack: the one `stack up` left running, or one it installs and starts, Alertmanager and Jaeger possibly still building. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { progress } from '../cli/user-error';
import { installStack, type ComponentId } from '../stack/install';
import { stackRunDir } from '../stack/paths';
import { startStack, type LateComponent } from '../stack/stack';
import { probe, readState, stopRecorded, type StackUrls } from '../stack/state';

export interface DemoStack {
  urls: StackUrls;
  startedHere: boolean;
  stop(): Promise<void>;
  /** Resolves when the trace backend is up; rejects when its late build or start failed. */
  traceBackend: Promise<void>;
  /** True when the trace backend started after the rest: spans reach it when the Collector reconnects. */
  traceBackendLate: boolean;
  /** The whole install, the late parts' builds included. */
  installed: Promise<unknown>;
  /** While a backend still builds or failed to start: one line saying so, for the live screen. */
  lateNote(): string | undefined;
  /** Where install and trace-backend lines go from now on (the live screen owns a terminal); undefined restores stderr. */
  routeLog(sink: ((line: string) => void) | undefined): void;
}

/** What the tour needs before it starts: the Collector (and its builder) and Prometheus, which evaluates the rules. */
const METRICS_PATH: readonly ComponentId[] = ['otelcol', 'prometheus'];
/** Built after the metrics path and started when built: Prometheus re-sends its alerts and the Collector retries its spans until then. */
const LATE: readonly LateComponent[] = ['alertmanager', 'jaeger'];
const LABEL: Record<LateComponent, string> = { alertmanager: 'Alertmanager', jaeger: 'Jaeger' };

/** Reuses the stack `stack up` left running in this project, or installs and starts one in `.stack/run`. */
export async function bringUpStack(interrupts: { readonly aborted: boolean }): Promise<DemoStack | undefined> {
  const dir = stackRunDir();
  const previous = readState(dir);
  if (previous) {
    const health = await probe(previous);
    if (health.length > 0 && health.every((c) => c.ready)) {
      progress(`[demo] using the stack that is already up (started ${previous.startedAt})`);
      return {
        urls: previous.urls,
        startedHere: false,
        stop: async () => {},
        traceBackend: Promise.resolve(),
        traceBackendLate: false,
        installed: Promise.resolve(),
        lateNote: () => undefined,
        routeLog: () => {},
      };
    }
    await stopRecorded(previous); // leftovers of a stack that is only partly alive
  }
  progress('[demo] installing the stack if needed: Collector, Prometheus, Alertmanager, Jaeger…');
  // One line per part, built or cached, with its time against the last build, then the total. The
  // tour starts once the metrics path is there; Alertmanager and Jaeger may finish building during it.
  let sink: (line: string) => void = progress;
  const log = (line: string) => sink(line);
  // promtool is for the tests and `verify`: it builds last, with the late parts.
  const install = installStack({ log, background: [...LATE, 'promtool'] });
  install.all.catch(() => {}); // reported through the stack's late launches
  try {
    await install.parts(METRICS_PATH);
  } catch (error) {
    if (interrupts.aborted) {
      progress('[demo] interrupted during the install; run the demo again to resume it');
      return undefined;
    }
    throw error;
  }
  if (interrupts.aborted) return undefined;
  progress('[demo] starting the stack…');
  // A Prometheus of its own, empty at every start: data of an earlier demo would fire alerts of its own.
  const dataDir = path.join(dir, 'demo-prometheus-data');
  rmSync(dataDir, { recursive: true, force: true });
  const late = LATE.filter((name) => !install.cached(name));
  const running = await startStack({ dir, prometheusDataDir: dataDir, builtLater: Object.fromEntries(late.map((name) => [name, install.parts([name])])) });
  const since = Date.now();
  const pending = new Map<LateComponent, string>(late.map((name) => [name, 'building']));
  for (const name of late) {
    running.up(name).then(
      () => {
        pending.delete(name);
        log(`[demo] ${LABEL[name]} is up${name === 'jaeger' ? ': traces flow to it' : ': Prometheus sends its alerts to it'}`);
      },
      (error) => {
        pending.set(name, `did not start (${(error as Error).message})`);
        log(`[demo] ${LABEL[name]} ${pending.get(name)}; the tour goes on without it`);
      },
    );
  }
  const stack: DemoStack = {
    urls: running.urls,
    startedHere: true,
    stop: () => running.stop(),
    traceBackend: running.up('jaeger'),
    traceBackendLate: late.includes('jaeger'),
    installed: install.all,
    lateNote: () => lateNote(pending, since),
    routeLog: (next) => (sink = next ?? progress),
  };
  if (interrupts.aborted) {
    await stack.stop();
    progress('[demo] interrupted; the stack is stopped again');
    return undefined;
  }
  return stack;
}

/** `still building: Alertmanager, Jaeger (95 s) — …`, or what failed; undefined once every late part is up. */
function lateNote(pending: ReadonlyMap<LateComponent, string>, since: number): string | undefined {
  if (pending.size === 0) return undefined;
  const building = [...pending].filter(([, status]) => status === 'building').map(([name]) => LABEL[name]);
  const failed = [...pending].filter(([, status]) => status !== 'building').map(([name, status]) => `${LABEL[name]} ${status}`);
  const parts = building.length > 0 ? [`still building: ${building.join(', ')} (${Math.round((Date.now() - since) / 1000)} s); Prometheus and the Collector hold alerts and spans until they start`] : [];
  return [...parts, ...failed].join('; ');
}

/** Waits for a trace backend that is still building or starting (the install's own lines show its progress); false when it failed or on Ctrl-C. */
export async function traceBackendUp(stack: DemoStack, skip: () => boolean): Promise<boolean> {
  let up: boolean | undefined;
  stack.traceBackend.then(
    () => (up = true),
    () => (up = false),
  );
  await Promise.resolve();
  if (up === undefined) progress("[demo] waiting for the trace backend's build to finish, to show a plan's trace (Ctrl-C skips)…");
  while (up === undefined && !skip()) await new Promise((resolve) => setTimeout(resolve, 500));
  return up === true;
}

/** A short demo can end before the trace backend's build: it finishes, so that the next run starts at once. */
export async function finishInstall(installed: Promise<unknown>): Promise<void> {
  let done = false;
  const settled = installed.then(
    () => (done = true),
    () => (done = true),
  );
  await Promise.resolve();
  if (done) return;
  progress('[demo] the trace backend is still building; waiting for it so that the next run starts at once (Ctrl-C stops it)…');
  await settled;
}
