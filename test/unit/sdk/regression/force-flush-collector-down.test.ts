/**
 * Defect 2 of #11: forceFlush() rejected when the Collector was down (it awaited every exporter at
 * once), and a controller that did not catch it died of an unhandled rejection. It must resolve,
 * and so must shutdown(), within shutdownTimeoutMillis, whatever the network does.
 */
import { createServer, type Server } from 'node:net';
import { createRebalanceTelemetry } from '../../../../src';
import { freePort } from '../../../helpers/net';
import { runFullLifecycle } from '../../../helpers/lifecycle';

/** Fails the test if `promise` has not settled after `ms` (a bound on "never", not a performance figure). */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled after ${ms} ms`)), ms)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('forceFlush and shutdown with the Collector down', () => {
  it('resolve when nothing listens on the OTLP port', async () => {
    const port = await freePort();
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', otlp: { endpoint: `http://127.0.0.1:${port}` }, shutdownTimeoutMillis: 1500 });
    runFullLifecycle(t);
    await expect(settlesWithin(t.forceFlush(), 60_000)).resolves.toBeUndefined();
    await expect(settlesWithin(t.shutdown(), 60_000)).resolves.toBeUndefined();
  });

  it('resolve when the Collector accepts connections and never answers', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const blackhole: Server = createServer((s) => void sockets.add(s));
    const port = await freePort();
    await new Promise<void>((r) => blackhole.listen(port, '127.0.0.1', r));
    try {
      const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', otlp: { endpoint: `http://127.0.0.1:${port}` }, shutdownTimeoutMillis: 1000 });
      runFullLifecycle(t);
      await expect(settlesWithin(t.forceFlush(), 60_000)).resolves.toBeUndefined();
      await expect(settlesWithin(t.shutdown(), 60_000)).resolves.toBeUndefined();
    } finally {
      for (const s of sockets) s.destroy();
      blackhole.close();
    }
  });
});
