/**
 * The demo's tour as a history: every act fast-forwarded through its prelude to the demo's start,
 * then `windowMs` of the demo recorded as Prometheus would have received it (every `intervalMs`, from
 * every live controller), backfilled into a real Prometheus. What the live demo shows in its first
 * minutes, without waiting for them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TourRun } from '../../../src/demo/engine';
import type { Tour } from '../../../src/demo/tour';
import { OpenMetricsHistoryWriter, targetLabels } from '../../../src/simulator/openmetrics';
import { JOB } from '../../../src/simulator/runner';
import { backfillOpenMetrics } from '../../../src/stack/backfill';
import { ensureStack } from '../../../src/stack/install';
import { startStack, type RunningStack } from '../../../src/stack/stack';

export interface TourHistory {
  stack: RunningStack;
  run: TourRun;
  /** The demo's start and the end of the recorded window (unix ms). */
  startMs: number;
  endMs: number;
  stop(): Promise<void>;
}

export async function startTourHistoryStack(tour: Tour, windowMs: number, intervalMs = 5000): Promise<TourHistory> {
  const project = mkdtempSync(path.join(tmpdir(), 'meshkit-tour-'));
  const binaries = await ensureStack({ projectDir: project, log: () => {} });
  const endMs = Math.floor(Date.now() / 1000) * 1000;
  const startMs = endMs - windowMs;
  const run = new TourRun({ tour, startMs });
  run.fastForward();
  const out = path.join(project, 'tour.om');
  const writer = new OpenMetricsHistoryWriter(out);
  try {
    for (let t = startMs + intervalMs; t <= endMs; t += intervalMs) {
      run.advanceTo(t);
      for (const { controller, handle } of run.alive()) writer.write(handle.metricProducer.collectMetrics(), targetLabels(JOB, controller.id), t);
    }
  } catch (error) {
    writer.abort();
    throw error;
  }
  writer.finish();
  await run.shutdown();
  const dataDir = path.join(project, 'tsdb');
  backfillOpenMetrics(binaries.promtool, out, dataDir);
  rmSync(out, { force: true });
  const stack = await startStack({ dir: path.join(project, '.stack', 'run'), prometheusDataDir: dataDir, log: () => {} });
  return {
    stack,
    run,
    startMs,
    endMs,
    stop: async () => {
      await stack.stop();
      rmSync(project, { recursive: true, force: true });
    },
  };
}
