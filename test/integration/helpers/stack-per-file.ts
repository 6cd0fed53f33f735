/** A local stack for one test file: installed into a temp project before its tests, stopped and removed after them. */
import { mkdtempSync, rmSync } from 'node:fs';
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
    stack = await startStack({ dir: path.join(project, '.stack', 'run'), log: () => {} });
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
