import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { UserError } from '../cli/user-error';

/**
 * Turns an OpenMetrics history (from `simulate history`) into TSDB blocks in `dataDir`, which a
 * Prometheus started on that directory serves like data it scraped itself.
 */
export function backfillOpenMetrics(promtool: string, historyFile: string, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const result = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', historyFile, dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const reason = (result.stderr || result.stdout || String(result.error ?? '')).trim().split('\n').pop();
    throw new UserError(`promtool could not backfill ${historyFile}: ${reason}`);
  }
}
