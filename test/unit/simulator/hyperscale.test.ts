import { statSync } from 'node:fs';
import { METRICS } from '../../../src';
import { history, tempDir } from './helpers';
import { forEachLine } from './signals';

/**
 * One virtual hour of hyperscale in history mode: 1,000 nodes, 100,000 shards, a plan every ~35 s
 * in each of 4 namespaces. The figures go to the test output; nothing asserts on time or memory.
 */
const tmp = tempDir('hyperscale');
afterAll(() => tmp.cleanup());

describe('hyperscale', () => {
  it('runs one virtual hour over all 1,000 nodes', async () => {
    const { file, result } = await history(tmp.dir, 'hyperscale', { hours: 1 });
    const mib = (n: number) => `${Math.round(n / 1048576)} MiB`;
    process.stdout.write(
      `[hyperscale] 1 virtual h in ${result.wallSeconds.toFixed(1)} s: ${result.plansCreated} plans, ${result.movesStarted} moves, ` +
        `${result.hookCalls} hook calls (${Math.round(result.hookCallsPerSecond)}/s), ${result.simulatorEvents} simulator events, ` +
        `${result.samples} samples of ${result.series} series, ${mib(result.bytes)} written; peak RSS ${mib(result.peakRssBytes)}, heap ${mib(result.peakHeapBytes)}\n`,
    );
    expect(result.plansCreated).toBeGreaterThanOrEqual(400);
    expect(statSync(file).size).toBe(result.bytes);
    // the ownership snapshot covers all 1,000 nodes
    const nodes = new Set<string>();
    const owned = `${METRICS.shardsOwned.name}{`;
    forEachLine(file, (line) => {
      if (!line.startsWith(owned)) return;
      nodes.add(/node="([^"]+)"/.exec(line)![1]);
    });
    expect(nodes.size).toBe(1000);
    expect(result.series).toBeGreaterThan(nodes.size);
    // No memory bound here: heapUsed counts whatever garbage earlier test files left in this worker.
    // openmetrics.test.ts checks that families are spilled to disk as they grow.
  });
});
