import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError, progress } from '../cli/user-error';
import { findGo, runLogged, type GoToolchain } from './go';
import { withLock } from './lock';
import { BuildTicker } from './build-progress';
import { cacheRoot, shipped, stackDir } from './paths';
import * as V from './versions';

/** Absolute paths of the stack's executables. */
export interface StackBinaries {
  otelcol: string;
  prometheus: string;
  promtool: string;
  alertmanager: string;
  amtool: string;
  jaeger: string;
}

export interface InstallOptions {
  /** Where `.stack/bin/` symlinks go. @default process.cwd() */
  projectDir?: string;
  /** Environment for the cache location and the builds. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Progress sink. @default a line on stderr */
  log?: (line: string) => void;
}

/** No symbol table or DWARF: a shorter link, as the Collector builder does for the Collector. */
const STRIPPED = '-ldflags=-s -w';

/** Niceness of builds off the longest chain. */
const BACKGROUND_NICENESS = 10;

export type ComponentId = 'builder' | 'otelcol' | 'prometheus' | 'promtool' | 'alertmanager' | 'jaeger' | 'thanos';

interface BuildContext {
  go: GoToolchain;
  /** Empty directory the recipe leaves its binaries in. */
  out: string;
  logFile: string;
  builder: string;
  /** Niceness of the build's processes: parts off the longest chain yield the CPU to it. */
  priority: number;
}

interface Recipe {
  id: ComponentId;
  /** The component whose binary this build runs (the Collector needs its builder). */
  needs?: ComponentId;
  /** Built only after this one, to reuse its compiled packages from the Go build cache instead of compiling them twice at once. */
  after?: ComponentId;
  /** On the longest build chain (builder → Collector): built at normal priority, the rest niced. */
  critical?: boolean;
  label: string;
  version: string;
  binaries: readonly string[];
  /** Everything that decides the build's output; hashed into the cache key. */
  inputs: string;
  build(ctx: BuildContext): Promise<void>;
}

/** A stack install under way: each part resolves to its cache directory as soon as it is there. */
export interface StackInstall {
  /** Resolves once the named parts are built or found in the cache; rejects when one of them fails. */
  parts(ids: readonly ComponentId[]): Promise<void>;
  /** True when the part was in the cache already as the install started. */
  cached(id: ComponentId): boolean;
  /** Every part: binaries linked into `.stack/bin/`, the total printed. */
  all: Promise<StackBinaries>;
}

/**
 * Installs every component of the stack that is missing from the cache, then points `.stack/bin/`
 * at the cached binaries. Components that do not depend on each other build concurrently (the
 * Collector waits only for its builder); a second call only checks marker files. One progress line
 * per part says where it came from and how long it took against the last build, then a total.
 */
export async function ensureStack(options: InstallOptions = {}): Promise<StackBinaries> {
  return installStack(options).all;
}

/**
 * Starts the install and returns at once, so a caller can go on when the parts it needs first are
 * there (the demo starts on the metrics path while Alertmanager and the trace backend still build).
 * Parts listed in `background` start once every other part is built, at low priority, so they take
 * nothing from the first ones; without it, the parts off the longest chain build at low priority.
 */
export function installStack(options: InstallOptions & { background?: readonly ComponentId[] } = {}): StackInstall {
  const env = options.env ?? process.env;
  const log = options.log ?? progress;
  const started = Date.now();
  let go: GoToolchain | undefined;
  const toolchain = () => (go ??= findGo(env));
  const all = recipes();
  const byId = new Map(all.map((recipe) => [recipe.id, recipe]));
  const background = new Set(options.background ?? []);
  const wasCached = new Set(all.filter((recipe) => isComplete(recipe, componentDir(recipe, env))).map((recipe) => recipe.id));
  const niced = (recipe: Recipe) => (options.background ? background.has(recipe.id) : !recipe.critical);
  const built = new Map<ComponentId, Promise<string>>();
  const ticker = new BuildTicker(log, env);
  let foreground: Promise<unknown> = Promise.resolve();
  const ensure = (recipe: Recipe): Promise<string> => {
    let dir = built.get(recipe.id);
    if (!dir) {
      dir = (async () => {
        if (background.has(recipe.id)) await foreground;
        if (recipe.after) await ensure(byId.get(recipe.after)!);
        const builder = recipe.needs ? path.join(await ensure(byId.get(recipe.needs)!), 'builder') : '';
        return ensureComponent(recipe, env, ticker, toolchain, builder, niced(recipe) ? BACKGROUND_NICENESS : 0);
      })();
      built.set(recipe.id, dir);
    }
    return dir;
  };
  foreground = Promise.allSettled(all.filter((recipe) => !background.has(recipe.id)).map(ensure));
  const settled = Promise.allSettled(all.map(async (recipe) => [recipe.id, await ensure(recipe)] as const));
  const done = (async () => {
    try {
      // allSettled: a failed part must not leave another build running unseen behind the error.
      const results = await settled;
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      const dirs = new Map(results.map((result) => (result as PromiseFulfilledResult<readonly [ComponentId, string]>).value));
      const binaries = binaryPaths((id) => dirs.get(id)!);
      linkBinaries(binaries, options.projectDir);
      log(`[install] stack ready in ${seconds(started)} s (binaries linked in ${path.join(stackDir(options.projectDir), 'bin')})`);
      return binaries;
    } finally {
      ticker.stop();
    }
  })();
  // A failure is reported through `parts` or `all`; here it only must not count as unobserved.
  for (const dir of built.values()) dir.catch(() => {});
  return {
    parts: async (ids) => {
      await Promise.all(ids.map((id) => built.get(id)!));
    },
    cached: (id) => wasCached.has(id),
    all: done,
  };
}

/**
 * Paths of the installed binaries; throws a UserError when the stack has not been installed.
 * `pending` parts are still building: their paths are given without checking they exist.
 */
export function stackBinaries(options: { env?: NodeJS.ProcessEnv; pending?: readonly ComponentId[] } = {}): StackBinaries {
  const env = options.env ?? process.env;
  const all = recipes();
  const dirs = new Map(all.map((recipe) => [recipe.id, componentDir(recipe, env)]));
  const binaries = binaryPaths((id) => dirs.get(id)!);
  const pending = new Set<string>(all.filter((recipe) => options.pending?.includes(recipe.id)).flatMap((recipe) => recipe.binaries));
  const missing = Object.entries(binaries).find(([name, file]) => !pending.has(name) && !existsSync(file));
  if (missing) {
    throw new UserError(`the observability stack is not installed (no ${missing[0]} in ${cacheRoot(env)}); run "meshkit-rebalance-obs stack up" once to build it.`);
  }
  return binaries;
}

function binaryPaths(dir: (id: ComponentId) => string): StackBinaries {
  return {
    otelcol: path.join(dir('otelcol'), 'otelcol'),
    prometheus: path.join(dir('prometheus'), 'prometheus'),
    promtool: path.join(dir('promtool'), 'promtool'),
    alertmanager: path.join(dir('alertmanager'), 'alertmanager'),
    amtool: path.join(dir('alertmanager'), 'amtool'),
    jaeger: path.join(dir('jaeger'), 'jaeger'),
  };
}

function recipes(): Recipe[] {
  const manifest = readFileSync(shipped.manifest(), 'utf8');
  const jaegerDir = shipped.jaegerBuild();
  const jaegerMod = readFileSync(path.join(jaegerDir, 'go.mod'), 'utf8');
  const jaegerSum = readFileSync(path.join(jaegerDir, 'go.sum'), 'utf8');
  checkPins(manifest, jaegerMod);
  return [
    {
      id: 'builder',
      critical: true,
      label: 'collector builder (ocb)',
      version: V.COLLECTOR_VERSION,
      binaries: ['builder'],
      inputs: `${V.BUILDER_MODULE}@${V.COLLECTOR_VERSION}`,
      build: ({ go, out, logFile, priority }) => goInstall({ go, out, logFile, priority }, 'the collector builder', [`${V.BUILDER_MODULE}@${V.COLLECTOR_VERSION}`]),
    },
    {
      id: 'otelcol',
      needs: 'builder',
      critical: true,
      label: 'collector',
      version: V.COLLECTOR_VERSION,
      binaries: ['otelcol'],
      inputs: manifest,
      build: async ({ go, out, logFile, builder, priority }) => {
        const buildDir = path.join(out, 'build');
        const tempManifest = path.join(out, 'manifest.yaml');
        writeFileSync(tempManifest, withOutputPath(manifest, buildDir));
        await runLogged('the collector', builder, ['--config', tempManifest], { cwd: out, env: go.env, logFile, priority });
        renameSync(path.join(buildDir, distName(manifest)), path.join(out, 'otelcol'));
        rmSync(buildDir, { recursive: true, force: true });
        rmSync(tempManifest);
      },
    },
    // Two parts, so the demo waits for the server only; promtool then reuses its compiled packages.
    ...(['prometheus', 'promtool'] as const).map(
      (cmd): Recipe => ({
        id: cmd,
        label: cmd,
        version: V.PROMETHEUS_VERSION,
        binaries: [cmd],
        ...(cmd === 'promtool' ? { after: 'prometheus' as const } : {}),
        inputs: `${V.PROMETHEUS_MODULE}/cmd/${cmd}@${V.PROMETHEUS_VERSION} -tags ${V.PROMETHEUS_BUILD_TAGS} ${STRIPPED}`,
        build: ({ go, out, logFile, priority }) =>
          goInstall({ go, out, logFile, priority }, cmd, [`${V.PROMETHEUS_MODULE}/cmd/${cmd}@${V.PROMETHEUS_VERSION}`], ['-tags', V.PROMETHEUS_BUILD_TAGS, STRIPPED]),
      }),
    ),
    {
      id: 'alertmanager',
      label: 'alertmanager + amtool',
      version: V.ALERTMANAGER_VERSION,
      binaries: ['alertmanager', 'amtool'],
      inputs: `${V.ALERTMANAGER_MODULE}/cmd/{alertmanager,amtool}@${V.ALERTMANAGER_VERSION}`,
      build: ({ go, out, logFile, priority }) =>
        goInstall({ go, out, logFile, priority }, 'alertmanager', ['alertmanager', 'amtool'].map((cmd) => `${V.ALERTMANAGER_MODULE}/cmd/${cmd}@${V.ALERTMANAGER_VERSION}`)),
    },
    {
      id: 'jaeger',
      label: 'jaeger',
      version: V.JAEGER_VERSION,
      binaries: ['jaeger'],
      inputs: `${jaegerMod}\n${jaegerSum}`,
      // `go install` refuses Jaeger (its go.mod has a replace), so build from the wrapper module.
      build: (ctx) => wrapperBuild(ctx, jaegerDir, 'jaeger', V.JAEGER_PACKAGE, V.JAEGER_GONOSUMDB),
    },
  ];
}

/** Thanos, for the fleet topology only: never part of ensureStack(). */
function thanosRecipe(): Recipe {
  const dir = shipped.thanosBuild();
  const mod = readFileSync(path.join(dir, 'go.mod'), 'utf8');
  const sum = readFileSync(path.join(dir, 'go.sum'), 'utf8');
  if (!new RegExp(`^\\s*(require\\s+)?${V.THANOS_MODULE.replace(/\./g, '\\.')} ${V.THANOS_VERSION}\\b`, 'm').test(mod)) {
    throw new UserError(`otel-collector/thanos-build/go.mod does not require ${V.THANOS_MODULE} ${V.THANOS_VERSION} as src/stack/versions.ts says.`);
  }
  return {
    id: 'thanos',
    label: 'thanos',
    version: V.THANOS_VERSION,
    binaries: ['thanos'],
    inputs: `${mod}\n${sum}\n-tags ${V.THANOS_BUILD_TAGS}`,
    // Thanos' go.mod has replace directives: built from a wrapper module that repeats them.
    build: (ctx) => wrapperBuild(ctx, dir, 'thanos', V.THANOS_PACKAGE, V.THANOS_GONOSUMDB, ['-tags', V.THANOS_BUILD_TAGS]),
  };
}

/**
 * Builds the Thanos binary (sidecar and query of the fleet topology) into the cache unless it is
 * there, and links it into `.stack/bin/thanos`. Only `fleet up` and the fleet tests call it, so the
 * plain stack and the demo never wait for it.
 */
export async function ensureThanos(options: InstallOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const ticker = new BuildTicker(options.log ?? progress, env);
  let go: GoToolchain | undefined;
  try {
    const dir = await ensureComponent(thanosRecipe(), env, ticker, () => (go ??= findGo(env)), '', BACKGROUND_NICENESS);
    const thanos = path.join(dir, 'thanos');
    linkBinaries({ thanos }, options.projectDir);
    return thanos;
  } finally {
    ticker.stop();
  }
}

/** Path of the installed Thanos binary; throws a UserError when it has not been built. */
export function thanosBinary(options: { env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env;
  const file = path.join(componentDir(thanosRecipe(), env), 'thanos');
  if (!existsSync(file)) throw new UserError(`Thanos is not installed (no thanos in ${cacheRoot(env)}); run "meshkit-rebalance-obs fleet up" once to build it.`);
  return file;
}

/** `go build` of `pkg` inside a copy of a committed wrapper module (go.mod + go.sum). */
async function wrapperBuild(
  { go, out, logFile, priority }: BuildContext,
  moduleDir: string,
  binary: string,
  pkg: string,
  gonosumdb: string,
  flags: string[] = [],
): Promise<void> {
  const src = path.join(out, 'src');
  mkdirSync(src);
  for (const file of ['go.mod', 'go.sum']) copyFileSync(path.join(moduleDir, file), path.join(src, file));
  const nosumdb = [go.env.GONOSUMDB, gonosumdb].filter(Boolean).join(',');
  await runLogged(binary, go.go, ['build', ...flags, '-o', path.join(out, binary), pkg], { cwd: src, env: { ...go.env, GONOSUMDB: nosumdb }, logFile, priority });
  rmSync(src, { recursive: true, force: true });
}

function goInstall(
  { go, out, logFile, priority }: Pick<BuildContext, 'go' | 'out' | 'logFile' | 'priority'>,
  what: string,
  targets: string[],
  flags: string[] = [],
): Promise<void> {
  return runLogged(what, go.go, ['install', ...flags, ...targets], { cwd: out, env: { ...go.env, GOBIN: out }, logFile, priority });
}

async function ensureComponent(
  recipe: Recipe,
  env: NodeJS.ProcessEnv,
  ticker: BuildTicker,
  toolchain: () => GoToolchain,
  builder: string,
  priority: number,
): Promise<string> {
  const dir = componentDir(recipe, env);
  const name = `${recipe.label} ${recipe.version}`;
  const log = ticker.log;
  if (isComplete(recipe, dir)) {
    const last = ticker.lastBuild(recipe.id);
    log(`[install] ${name}: cached${last ? ` (${last})` : ''}`);
    return dir;
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  const onWait = (pid: number) => log(`[install] ${name}: waiting for another install (pid ${pid}) to finish…`);
  return withLock(`${dir}.lock`, onWait, async () => {
    if (isComplete(recipe, dir)) {
      log(`[install] ${name}: built by the other install`);
      return dir;
    }
    const go = toolchain();
    const out = `${dir}.tmp-${process.pid}`;
    const logFile = `${dir}.log`;
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    writeFileSync(logFile, `# ${name}, ${go.version}, ${new Date().toISOString()}\n`);
    log(`[install] building ${name} (${ticker.lastBuild(recipe.id) ?? 'no earlier build here; takes minutes'})…`);
    const started = Date.now();
    ticker.begin(recipe.id, recipe.label, started);
    // The builder leaves an empty temp dir behind on every run: keep temp files in the staging dir.
    const tmp = path.join(out, '.tmp');
    mkdirSync(tmp);
    try {
      await recipe.build({ go: { ...go, env: { ...go.env, TMPDIR: tmp } }, out, logFile, builder, priority });
      rmSync(tmp, { recursive: true, force: true });
      for (const binary of recipe.binaries) {
        if (!existsSync(path.join(out, binary))) throw new UserError(`building ${name} produced no ${binary} binary; see ${logFile}.`);
      }
    } catch (error) {
      ticker.end(recipe.id);
      rmSync(out, { recursive: true, force: true });
      throw error;
    }
    ticker.end(recipe.id, (Date.now() - started) / 1000);
    writeFileSync(path.join(out, '.complete'), `${JSON.stringify({ version: recipe.version, go: go.version, seconds: seconds(started) })}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(out, dir);
    log(`[install] ${name} built in ${seconds(started)} s`);
    return dir;
  });
}

/** `<cache>/<component>/<version>-<hash of what decides the build>`. */
function componentDir(recipe: Recipe, env: NodeJS.ProcessEnv): string {
  const hash = createHash('sha256').update(`${recipe.id}\n${recipe.inputs}`).digest('hex').slice(0, 12);
  return path.join(cacheRoot(env), recipe.id, `${recipe.version}-${hash}`);
}

function isComplete(recipe: Recipe, dir: string): boolean {
  return existsSync(path.join(dir, '.complete')) && recipe.binaries.every((binary) => existsSync(path.join(dir, binary)));
}

/** Points `.stack/bin/<name>` at each cached binary, replacing stale links atomically. */
function linkBinaries(binaries: StackBinaries | { thanos: string }, projectDir?: string): void {
  const bin = path.join(stackDir(projectDir), 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, target] of Object.entries(binaries)) {
    const temp = path.join(bin, `.${name}.${process.pid}`);
    rmSync(temp, { force: true });
    symlinkSync(target, temp);
    renameSync(temp, path.join(bin, name));
  }
}

/** The manifest and the wrapper go.mod must pin the versions written in versions.ts. */
function checkPins(manifest: string, jaegerMod: string): void {
  const gomods = [...manifest.matchAll(/^\s*-\s*gomod:\s*(\S+)\s+(\S+)/gm)];
  const stray = gomods.find((match) => match[2] !== V.COLLECTOR_VERSION);
  if (gomods.length === 0 || stray) {
    throw new UserError(`otel-collector/manifest.yaml pins ${stray ? `${stray[1]} ${stray[2]}` : 'no component'}, but src/stack/versions.ts says ${V.COLLECTOR_VERSION}.`);
  }
  if (!new RegExp(`^\\s*(require\\s+)?${V.JAEGER_MODULE.replace(/\./g, '\\.')} ${V.JAEGER_VERSION}\\b`, 'm').test(jaegerMod)) {
    throw new UserError(`otel-collector/jaeger-build/go.mod does not require ${V.JAEGER_MODULE} ${V.JAEGER_VERSION} as src/stack/versions.ts says.`);
  }
}

function withOutputPath(manifest: string, outputPath: string): string {
  if (/^\s+output_path:/m.test(manifest)) return manifest.replace(/^(\s+)output_path:.*$/m, `$1output_path: ${JSON.stringify(outputPath)}`);
  return manifest.replace(/^dist:\s*$/m, `dist:\n  output_path: ${JSON.stringify(outputPath)}`);
}

function distName(manifest: string): string {
  const match = /^dist:\s*\n(?:\s+.*\n)*?\s+name:\s*(\S+)/m.exec(manifest);
  if (!match) throw new UserError('otel-collector/manifest.yaml has no dist.name.');
  return match[1];
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
