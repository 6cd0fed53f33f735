import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { UserError, progress } from '../cli/user-error';
import {
  PORT_NAMES,
  collectorEnv,
  httpUrl,
  jaegerConfig,
  loopback,
  minimalAlertmanagerConfig,
  prometheusConfig,
  ruleFiles,
  writeConfig,
  type StackPorts,
} from './configs';
import { stackBinaries, type StackBinaries } from './install';
import { shipped } from './paths';
import { freePorts } from './ports';
import type { ServerSpec } from './processes';
import { probe, readState, stopRecorded, writeState, type ComponentName, type StackState, type StackUrls } from './state';
import { runningHandle, settleAll, supervise, type RunningProcesses, type StartProcessesOptions } from './supervise';

export type { ComponentName, StackUrls } from './state';

export interface StartOptions extends StartProcessesOptions {
  /** A Prometheus TSDB directory to serve, e.g. one backfilled from a simulated history. */
  prometheusDataDir?: string;
  /**
   * Backends still building (`installStack`), each with a promise that settles when its binary is
   * there: the stack starts without them and launches each once it is built. Meanwhile Prometheus
   * keeps re-sending its alerts and the Collector retries its spans (up to 30 minutes).
   * @default every binary is installed already
   */
  builtLater?: Partial<Record<LateComponent, Promise<unknown>>>;
}

/** The backends the rest of the stack can start without. */
export type LateComponent = 'alertmanager' | 'jaeger';

/** A stack started by this process (its state file is state.json). */
export interface RunningStack extends RunningProcesses<ComponentName, StackUrls, StackPorts> {
  /** Resolves when the component is ready: at once, unless it was still building at start (`builtLater`). */
  up(component: ComponentName): Promise<void>;
}

interface ComponentSpec extends ServerSpec {
  name: ComponentName;
}

/** Alertmanager and Jaeger start together, then Prometheus, then the Collector once its backends are ready. */
const BACKENDS: readonly ComponentName[] = ['alertmanager', 'jaeger'];

/**
 * Starts Alertmanager, Jaeger v2, Prometheus and the Collector on free 127.0.0.1 ports, waits until
 * each is ready and records them in `<dir>/state.json`. The processes are detached: they outlive
 * this process until `stop()` or `stack down`.
 */
export async function startStack(options: StartOptions): Promise<RunningStack> {
  const dir = path.resolve(options.dir);
  const env = options.env ?? process.env;
  const log = options.log ?? progress;
  const timeout = options.readyTimeoutMs ?? 60_000;
  const previous = readState(dir);
  if (previous && (await probe(previous)).some((component) => component.running)) {
    throw new UserError(`a stack is already running from ${dir}; stop it first ("meshkit-rebalance-obs stack down").`);
  }
  const later = options.builtLater ?? {};
  const lateNames = Object.keys(later) as LateComponent[];
  // promtool is no server: a stack starts while it still builds.
  const binaries = stackBinaries({ env, pending: [...lateNames, 'promtool'] });
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const picked = await freePorts(PORT_NAMES.length);
  const ports = Object.fromEntries(PORT_NAMES.map((name, i) => [name, picked[i]])) as unknown as StackPorts;
  const specs = componentSpecs(dir, ports, binaries, env, options, new Set(lateNames));
  const state: StackState = {
    dir,
    startedAt: new Date().toISOString(),
    ports,
    urls: {
      prometheus: httpUrl(ports.prometheus),
      alertmanager: httpUrl(ports.alertmanager),
      otlp_http: httpUrl(ports.otlpHttp),
      trace_query: httpUrl(ports.jaegerQueryHttp),
    },
    components: {},
  };

  const processes = supervise({ cwd: dir, specs, timeoutMs: timeout, components: state.components, save: () => writeState(state), log, prefix: '[stack]', announce: true });
  const launch = processes.launch;

  let stopped = false;
  try {
    await settleAll(BACKENDS.filter((name) => !(name in later)).map(launch));
    // Prometheus after Alertmanager: an alert that fires on the first evaluation is otherwise held
    // back for the resend delay (a minute) because no Alertmanager answered yet.
    await launch('prometheus');
    await launch('otelcol');
  } catch (error) {
    await stopRecorded(state);
    throw error;
  }
  const lateLaunches: Promise<void>[] = [];
  const up = new Map<ComponentName, Promise<void>>();
  for (const name of lateNames) {
    log(`[stack] ${name} starts when its build is done`);
    const launched = (async () => {
      await later[name];
      if (stopped) throw new UserError(`the stack was stopped before ${name} started.`);
      const launching = launch(name);
      lateLaunches.push(launching);
      await launching;
    })();
    launched.catch(() => {}); // the caller decides whether a late backend matters
    up.set(name, launched);
  }

  const stopAll = async () => {
    stopped = true;
    await stopRecorded(state);
    // A late backend that was starting while the rest stopped: its pid is recorded by now.
    if (lateLaunches.length > 0) {
      await Promise.allSettled(lateLaunches);
      await stopRecorded(state);
    }
  };
  return { ...runningHandle(processes, { dir, urls: state.urls, ports }, stopAll), up: (name) => up.get(name) ?? Promise.resolve() };
}

function componentSpecs(
  dir: string,
  ports: StackPorts,
  binaries: StackBinaries,
  env: NodeJS.ProcessEnv,
  options: StartOptions,
  late: ReadonlySet<LateComponent>,
): Record<ComponentName, ComponentSpec> {
  const logOf = (name: ComponentName) => path.join(dir, 'logs', `${name}.log`);
  const file = (name: string) => path.join(dir, name);

  writeConfig(file('jaeger.yml'), jaegerConfig(ports));
  writeConfig(file('prometheus.yml'), prometheusConfig(ports, options.ruleFiles ?? ruleFiles(), options.evaluationInterval));
  let alertmanagerConfig = options.alertmanagerConfig ?? shipped.alertmanagerConfig();
  if (!existsSync(alertmanagerConfig)) {
    alertmanagerConfig = file('alertmanager.yml');
    writeConfig(alertmanagerConfig, minimalAlertmanagerConfig());
  }

  return {
    alertmanager: {
      name: 'alertmanager',
      executable: binaries.alertmanager,
      args: [
        `--config.file=${alertmanagerConfig}`,
        `--storage.path=${file('alertmanager-data')}`,
        `--web.listen-address=${loopback(ports.alertmanager)}`,
        `--web.external-url=${httpUrl(ports.alertmanager)}/`,
        '--cluster.listen-address=',
      ],
      env,
      readyUrl: `${httpUrl(ports.alertmanager)}/-/ready`,
      log: logOf('alertmanager'),
    },
    jaeger: {
      name: 'jaeger',
      executable: binaries.jaeger,
      args: [`--config=${file('jaeger.yml')}`],
      env,
      readyUrl: `${httpUrl(ports.jaegerHealth)}/status`,
      log: logOf('jaeger'),
    },
    prometheus: {
      name: 'prometheus',
      executable: binaries.prometheus,
      args: [
        `--config.file=${file('prometheus.yml')}`,
        `--storage.tsdb.path=${options.prometheusDataDir ?? file('prometheus-data')}`,
        // Histories are backfilled into the past; keep them however old their timestamps are.
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=${loopback(ports.prometheus)}`,
        `--web.external-url=${httpUrl(ports.prometheus)}/`,
        '--web.enable-otlp-receiver',
        '--web.enable-remote-write-receiver',
        '--web.enable-lifecycle',
        '--enable-feature=exemplar-storage',
        // Alerts whose sending failed while Alertmanager was still building go again within seconds
        // of it starting, not after the default minute.
        ...(late.has('alertmanager') ? ['--rules.alert.resend-delay=5s'] : []),
      ],
      env,
      readyUrl: `${httpUrl(ports.prometheus)}/-/ready`,
      log: logOf('prometheus'),
    },
    otelcol: {
      name: 'otelcol',
      executable: binaries.otelcol,
      args: [`--config=${shipped.collectorConfig()}`],
      env: { ...env, ...collectorEnv(ports, late.has('jaeger') ? '30m' : '5m') },
      readyUrl: `${httpUrl(ports.collectorHealth)}/`,
      log: logOf('otelcol'),
    },
  };
}
