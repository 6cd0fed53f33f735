import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../cli/user-error';
import { MIN_GO_VERSION } from './versions';

/** The Go toolchain used for builds, and the environment every build step runs with. */
export interface GoToolchain {
  go: string;
  version: string;
  env: NodeJS.ProcessEnv;
}

/** `MESHKIT_OBS_GO` names the go binary; otherwise `go` on PATH. */
export function findGo(env: NodeJS.ProcessEnv = process.env): GoToolchain {
  const go = env.MESHKIT_OBS_GO || 'go';
  const probe = spawnSync(go, ['env', 'GOVERSION'], { env, encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new UserError(
      `the Go toolchain ("${go}") was not found or does not run; install Go ${MIN_GO_VERSION} or later ` +
        'and put it on PATH (or set MESHKIT_OBS_GO) so the observability stack can be built.',
    );
  }
  const version = probe.stdout.trim();
  if (!goAtLeast(version, MIN_GO_VERSION)) {
    throw new UserError(`Go ${MIN_GO_VERSION} or later is needed to build the observability stack, but "${go}" is ${version}.`);
  }
  // Builder and `go build` look `go` up on PATH: make it the same binary.
  const goDir = path.isAbsolute(go) ? path.dirname(go) : undefined;
  const buildEnv = goDir ? { ...env, PATH: `${goDir}${path.delimiter}${env.PATH ?? ''}` } : { ...env };
  return { go, version, env: buildEnv };
}

/** `go1.26.8` ≥ `1.26.7`; development builds (`devel ...`) pass. */
export function goAtLeast(goVersion: string, minimum: string): boolean {
  const match = /go(\d+)\.(\d+)(?:\.(\d+))?/.exec(goVersion);
  if (!match) return goVersion.includes('devel');
  const have = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  const want = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    if (have[i] !== (want[i] ?? 0)) return have[i] > (want[i] ?? 0);
  }
  return true;
}

/**
 * Runs one build command with its output appended to `logFile`. A failure becomes one sentence
 * naming the step, the last error line and the log file.
 */
export async function runLogged(
  what: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; priority?: number },
): Promise<void> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`$ ${[command, ...args].join(' ')}\n  (in ${options.cwd})\n`);
  const code = await new Promise<number | string>((resolve) => {
    // Under nice(1) from the start: every thread and compiler process of the build inherits it.
    const [file, argv] = options.priority ? ['nice', ['-n', String(options.priority), command, ...args]] : [command, args];
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) => resolve(error.message));
    child.on('close', (exitCode, signal) => resolve(exitCode ?? `signal ${signal}`));
  });
  await new Promise<void>((resolve) => log.end(resolve));
  if (code === 0) return;
  throw new UserError(`building ${what} failed (${typeof code === 'number' ? `exit code ${code}` : code}): ${lastErrorLine(options.logFile)}; full log in ${options.logFile}.`);
}

function lastErrorLine(logFile: string): string {
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('go: downloading') && !line.startsWith('$') && !line.startsWith('(in '));
  const error = [...lines].reverse().find((line) => /error|fail|cannot|not available|missing|refused|denied/i.test(line));
  return (error ?? lines[lines.length - 1] ?? 'no output').replace(/\.$/, '');
}
