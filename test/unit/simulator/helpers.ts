import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_HISTORY_START } from '../../../src/simulator/clock';
import { runHistory, type HistoryResult } from '../../../src/simulator/runner';
import { findScenario } from '../../../src/simulator/scenarios';

/** A temporary directory removed by `cleanup`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `meshkit-sim-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes the history of a scenario into `dir` and returns its file and figures. */
export async function history(dir: string, name: string, options: { seed?: string; hours?: number } = {}): Promise<{ file: string; result: HistoryResult }> {
  const scenario = findScenario(name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const file = path.join(dir, `${name}-${options.seed ?? '42'}-${options.hours ?? scenario.hours}.om`);
  const result = await runHistory({ scenario, seed: options.seed ?? '42', hours: options.hours ?? scenario.hours, out: file, startMs: DEFAULT_HISTORY_START });
  return { file, result };
}
