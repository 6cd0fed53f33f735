import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where the package's shipped files live (otel-collector/, alerting/): the nearest ancestor of this
 * module that holds the builder manifest. Works from src/stack in a checkout and from dist/ when
 * the package is installed.
 */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'otel-collector', 'manifest.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`otel-collector/manifest.yaml not found above ${__dirname}`);
    dir = parent;
  }
}

/** Shipped files, resolved against the package root. */
export const shipped = {
  manifest: () => path.join(packageRoot(), 'otel-collector', 'manifest.yaml'),
  collectorConfig: () => path.join(packageRoot(), 'otel-collector', 'config.yaml'),
  jaegerBuild: () => path.join(packageRoot(), 'otel-collector', 'jaeger-build'),
  thanosBuild: () => path.join(packageRoot(), 'otel-collector', 'thanos-build'),
  fleetAgentConfig: () => path.join(packageRoot(), 'otel-collector', 'fleet-agent.yaml'),
  gatewayConfig: () => path.join(packageRoot(), 'otel-collector', 'gateway.yaml'),
  alertRulesDir: () => path.join(packageRoot(), 'alerting', 'rules'),
  alertmanagerConfig: () => path.join(packageRoot(), 'alerting', 'alertmanager', 'alertmanager.yml'),
};

/**
 * Built binaries are cached outside the work tree, keyed by component, version and recipe hash:
 * `${MESHKIT_OBS_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/meshkit-rebalance-obs}`.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MESHKIT_OBS_CACHE_DIR) return path.resolve(env.MESHKIT_OBS_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(homedir(), '.cache');
  return path.join(xdg, 'meshkit-rebalance-obs');
}

/** The project-local, git-ignored `.stack/` directory: `bin/` symlinks and the `run/` state of `stack up`. */
export function stackDir(projectDir: string = process.cwd()): string {
  return path.join(path.resolve(projectDir), '.stack');
}

/** `.stack/run` of a project holds the configs, data, logs and state of `stack up`. */
export function stackRunDir(projectDir: string = process.cwd()): string {
  return path.join(stackDir(projectDir), 'run');
}
