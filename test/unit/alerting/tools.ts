/** Shared by the alerting tests: the project-built promtool and amtool, and the files under alerting/. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ensureStack } from '../../../src/stack/install';
import type { StackBinaries } from '../../../src/stack/install';

export const root = path.join(__dirname, '..', '..', '..');
export const alertingDir = path.join(root, 'alerting');
export const testsDir = path.join(alertingDir, 'tests');

/** Builds the stack on a machine that lacks it (minutes, once); otherwise checks the cache. */
export const STACK_TIMEOUT_MS = 40 * 60 * 1000;

let binaries: Promise<StackBinaries> | undefined;
export function stack(): Promise<StackBinaries> {
  binaries ??= ensureStack({ projectDir: root, log: () => undefined });
  return binaries;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(binary: string, args: string[], cwd = root): Run {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function testFiles(): string[] {
  return readdirSync(testsDir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => path.join(testsDir, f));
}

export function readYaml<T>(file: string): T {
  return parse(readFileSync(file, 'utf8')) as T;
}
