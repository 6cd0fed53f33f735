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
}

/** A stack started by this process (its state file is state.json). */
export type RunningStack = RunningProcesses<ComponentName, StackUrls, StackPorts>;

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
  const binaries = stackBinaries({ env });
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const picked = await freePorts(PORT_NAMES.length);
  const ports = Object.fromEntries(PORT_NAMES.map((name, i) => [name, picked[i]])) as unknown as StackPorts;
  const specs = componentSpecs(dir, ports, binaries, env, options);
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

  try {
    await settleAll(BACKENDS.map(launch));
    // Prometheus after Alertmanager: an alert that fires on the first evaluation is otherwise held
    // back for the resend delay (a minute) because no Alertmanager answered yet.
    await launch('prometheus');
    await launch('otelcol');
  } catch (error) {
    await stopRecorded(state);
    throw error;
  }

  return runningHandle(processes, { dir, urls: state.urls, ports }, () => stopRecorded(state));
}

function componentSpecs(
  dir: string,
  ports: StackPorts,
  binaries: StackBinaries,
  env: NodeJS.ProcessEnv,
  options: StartOptions,
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
      ],
      env,
      readyUrl: `${httpUrl(ports.prometheus)}/-/ready`,
      log: logOf('prometheus'),
    },
    otelcol: {
      name: 'otelcol',
      executable: binaries.otelcol,
      args: [`--config=${shipped.collectorConfig()}`],
      env: { ...env, ...collectorEnv(ports) },
      readyUrl: `${httpUrl(ports.collectorHealth)}/`,
      log: logOf('otelcol'),
    },
  };
}
