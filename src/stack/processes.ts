import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../cli/user-error';

/** True while `pid` runs (a zombie waiting to be reaped counts as gone). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

/** True when `pid` is alive and runs `executable` (guards against a recycled pid). */
export function pidRuns(pid: number, executable: string): boolean {
  if (!pidAlive(pid)) return false;
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 === executable;
  } catch {
    return true;
  }
}

export interface Spawned {
  pid: number;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Starts a server detached from this process (its own process group, output to `logFile`), so it
 * outlives a CLI invocation; the caller records the pid.
 */
export function spawnDetached(executable: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Spawned {
  const out = openSync(options.logFile, 'a');
  try {
    const child = spawn(executable, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', out, out] });
    const exited = new Promise<number | string>((resolve) => {
      child.on('error', (error) => resolve(error.message));
      child.on('exit', (code, signal) => resolve(code ?? String(signal)));
    });
    if (child.pid === undefined) throw new Error(`could not start ${executable}`);
    child.unref();
    return { pid: child.pid, exited };
  } finally {
    closeSync(out);
  }
}

/** SIGTERM, then SIGKILL when `pid` is still alive after `graceMs`; resolves once it is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!signal(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid)) {
    if (Date.now() >= deadline) {
      signal(pid, 'SIGKILL');
      await waitGone(pid, 5_000);
      return;
    }
    await sleep(100);
  }
}

/** SIGKILL at once (a crash, for tests); resolves once the process is gone. */
export async function killPid(pid: number): Promise<void> {
  if (signal(pid, 'SIGKILL')) await waitGone(pid, 5_000);
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(50);
}

/** One HTTP GET with a short timeout: true on a 2xx answer. */
export async function httpOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Polls `url` until it answers 2xx. Rejects when the process exits first or `timeoutMs` passes,
 * with the reason in the message.
 */
export async function waitReady(url: string, spawned: Spawned, timeoutMs: number): Promise<void> {
  let exit: number | string | undefined;
  void spawned.exited.then((code) => {
    exit = code;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await httpOk(url)) return;
    if (exit !== undefined) throw new Error(`exited during start-up (${typeof exit === 'number' ? `exit code ${exit}` : exit})`);
    if (Date.now() >= deadline) throw new Error(`not ready after ${Math.round(timeoutMs / 1000)} s (${url})`);
    await sleep(200);
  }
}

/** A server to start: its command line, environment, readiness URL and log file. */
export interface ServerSpec {
  name: string;
  executable: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  readyUrl: string;
  log: string;
}

/**
 * Starts one server detached (spawnDetached), hands its pid to `record` at once (so that a failed
 * start can still be stopped), and resolves when it is ready. Failures are one sentence naming the
 * server and its log.
 */
export async function launchServer(spec: ServerSpec, options: { cwd: string; timeoutMs: number; record: (pid: number) => void }): Promise<void> {
  let spawned: Spawned;
  try {
    spawned = spawnDetached(spec.executable, spec.args, { cwd: options.cwd, env: spec.env, logFile: spec.log });
  } catch (error) {
    throw new UserError(`${spec.name} could not be started (${(error as Error).message}).`);
  }
  options.record(spawned.pid);
  try {
    await waitReady(spec.readyUrl, spawned, options.timeoutMs);
  } catch (error) {
    throw new UserError(`${spec.name} did not become ready: ${(error as Error).message}; see ${spec.log}.`);
  }
}
