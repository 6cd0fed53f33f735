/** Launching, crashing and relaunching the recorded server processes of the stack or the fleet. */
import { killPid, launchServer, pidRuns, stopPid, type ServerSpec } from './processes';
import type { ComponentState } from './state';

/** The options startStack and startFleet share. */
export interface StartProcessesOptions {
  /** Directory for configs, data, logs and the state file (the CLI uses `.stack/run` and `.stack/fleet`). */
  dir: string;
  /** Environment passed to the servers and used to find the installed binaries. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Progress sink. @default a line on stderr */
  log?: (line: string) => void;
  /** How long each process may take to become ready. @default 60 s for the stack, 90 s for the fleet */
  readyTimeoutMs?: number;
  /** Rule files every Prometheus loads instead of the shipped ones (e.g. rules rendered for a test). */
  ruleFiles?: string[];
  /** An Alertmanager config (for every node) instead of the shipped one (e.g. receivers on loopback). */
  alertmanagerConfig?: string;
  /** Rule evaluation and scrape interval of every Prometheus. @default 5s */
  evaluationInterval?: string;
}

/** What startStack and startFleet hand back: detached processes of components N, and how to crash, restart and stop them. */
export interface RunningProcesses<N extends string, Urls, Ports> {
  dir: string;
  urls: Urls;
  ports: Ports;
  /** The pid of a component's current process. */
  pid(component: N): number;
  /** Stops every process (SIGTERM, SIGKILL after a timeout) and removes the state file. */
  stop(): Promise<void>;
  /** Stops one process if it runs and starts it again on the same ports; resolves when it is ready. */
  restart(component: N): Promise<void>;
  /** SIGKILLs one process, as a crash would; `restart` brings it back. */
  kill(component: N): Promise<void>;
}

export interface SuperviseOptions<N extends string> {
  cwd: string;
  specs: Record<N, ServerSpec>;
  /** How long each process may take to become ready. */
  timeoutMs: number;
  /** The state file's record of the processes: a launched one is entered as soon as its pid is known, then `save` runs. */
  components: Partial<Record<N, ComponentState>>;
  save: () => void;
  log: (line: string) => void;
  /** Progress lines start with it, e.g. "[stack]". */
  prefix: string;
  /** Also print "starting <name>…" before each launch. */
  announce?: boolean;
}

export interface Supervisor<N extends string> {
  /** Starts one process and resolves once it is ready. */
  launch(name: N): Promise<void>;
  /** The pid of a process's current run. */
  pid(name: N): number;
  /** SIGKILLs one process, as a crash would. */
  kill(name: N): Promise<void>;
  /** Stops a process if it still runs, then launches it again on the same ports. */
  relaunch(name: N): Promise<void>;
}

export function supervise<N extends string>(options: SuperviseOptions<N>): Supervisor<N> {
  const { components, log, prefix } = options;
  const recorded = (name: N): ComponentState => components[name]!;
  const runs = (name: N): boolean => pidRuns(recorded(name).pid, recorded(name).executable);
  const launch = async (name: N): Promise<void> => {
    const spec = options.specs[name];
    if (options.announce) log(`${prefix} starting ${name}…`);
    const started = Date.now();
    await launchServer(spec, {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      record: (pid) => {
        components[name] = { pid, executable: spec.executable, readyUrl: spec.readyUrl, log: spec.log };
        options.save();
      },
    });
    log(`${prefix} ${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  return {
    launch,
    pid: (name) => recorded(name).pid,
    kill: async (name) => {
      if (runs(name)) await killPid(recorded(name).pid);
    },
    relaunch: async (name) => {
      if (runs(name)) await stopPid(recorded(name).pid);
      await launch(name);
    },
  };
}

/** The handle a start returns: pid, kill and restart from its supervisor, and `stop` for the whole set. */
export function runningHandle<N extends string, Urls, Ports>(
  processes: Supervisor<N>,
  started: { dir: string; urls: Urls; ports: Ports },
  stopAll: () => Promise<unknown>,
): RunningProcesses<N, Urls, Ports> {
  return {
    ...started,
    pid: processes.pid,
    kill: processes.kill,
    restart: processes.relaunch,
    stop: async () => {
      await stopAll();
    },
  };
}

/** Like Promise.all, but waits for every launch to settle before rethrowing the first failure. */
export async function settleAll(launches: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(launches);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}
