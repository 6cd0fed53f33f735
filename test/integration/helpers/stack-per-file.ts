/** A local stack for one test file: installed into a temp project before its tests, stopped and removed after them. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureStack } from '../../../src/stack/install';
import { startStack, type RunningStack } from '../../../src/stack/stack';

export interface StackOfFile {
  /** The temp project directory (the stack runs from its `.stack/run`). */
  readonly project: string;
  readonly stack: RunningStack;
}

/** Registers the beforeAll/afterAll pair; read the result's fields inside tests. */
export function stackPerFile(prefix: string): StackOfFile {
  let project: string | undefined;
  let stack: RunningStack | undefined;
  beforeAll(async () => {
    project = mkdtempSync(path.join(tmpdir(), `meshkit-${prefix}-`));
    await ensureStack({ projectDir: project, log: () => {} });
    try {
      stack = await startStack({ dir: path.join(project, '.stack', 'run'), log: () => {} });
    } catch (error) {
      // The log the error names goes with the project after the file: keep its end in the error.
      const log = /see (\S+\.log)\.$/.exec((error as Error).message)?.[1];
      if (!log || !existsSync(log)) throw error;
      throw new Error(`${(error as Error).message}\n--- end of ${path.basename(log)}:\n${readFileSync(log, 'utf8').slice(-2000)}`, { cause: error });
    }
  }, 30 * 60_000);
  afterAll(async () => {
    await stack?.stop();
    if (project) rmSync(project, { recursive: true, force: true });
  });
  return {
    get project() {
      return project!;
    },
    get stack() {
      return stack!;
    },
  };
}
