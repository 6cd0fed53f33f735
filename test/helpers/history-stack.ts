import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backfillOpenMetrics } from '../../src/stack/backfill';
import { ensureStack } from '../../src/stack/install';
import { startStack, type RunningStack, type StartOptions } from '../../src/stack/stack';
import { runHistory, type HistoryResult } from '../../src/simulator/runner';
import { findScenario } from '../../src/simulator/scenarios';
import { HOUR } from '../../src/simulator/clock';

export interface HistoryStack {
  stack: RunningStack;
  history: HistoryResult;
  /** Unix ms of the first and last sample of the history. */
  startMs: number;
  endMs: number;
  stop(): Promise<void>;
}

export interface HistoryStackOptions extends Omit<StartOptions, 'dir' | 'prometheusDataDir'> {
  scenario: string;
  seed?: string;
  /** Virtual hours to simulate. @default the scenario's own length */
  hours?: number;
  /** Where the history ends. @default now, so rules evaluated by the live Prometheus see its end */
  endMs?: number;
  scrapeIntervalMs?: number;
}

/**
 * A real stack whose Prometheus serves a simulated scenario's history: the history is written as
 * OpenMetrics, backfilled with promtool, and Prometheus starts on the resulting TSDB. Call from
 * beforeAll with a long timeout (the first call may build the stack).
 */
export async function startHistoryStack(options: HistoryStackOptions): Promise<HistoryStack> {
  const scenario = findScenario(options.scenario);
  if (!scenario) throw new Error(`unknown scenario ${options.scenario}`);
  const hours = options.hours ?? scenario.hours;
  const endMs = options.endMs ?? Date.now();
  const startMs = endMs - hours * HOUR;
  const project = mkdtempSync(path.join(tmpdir(), `meshkit-history-${scenario.name}-`));
  const binaries = await ensureStack({ projectDir: project, log: () => {} });
  const out = path.join(project, 'history.om');
  const history = await runHistory({ scenario, seed: options.seed ?? '1', hours, out, startMs, scrapeIntervalMs: options.scrapeIntervalMs });
  const dataDir = path.join(project, 'tsdb');
  backfillOpenMetrics(binaries.promtool, out, dataDir);
  rmSync(out, { force: true });
  const { scenario: _s, seed: _seed, hours: _h, endMs: _e, scrapeIntervalMs: _i, ...startOptions } = options;
  const stack = await startStack({ log: () => {}, ...startOptions, dir: path.join(project, '.stack', 'run'), prometheusDataDir: dataDir });
  return {
    stack,
    history,
    startMs,
    endMs,
    stop: async () => {
      await stack.stop();
      rmSync(project, { recursive: true, force: true });
    },
  };
}
