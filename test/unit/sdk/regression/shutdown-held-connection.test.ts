/**
 * Defect 3 of #11: shutdown() never resolved while any client held a connection to the pull
 * endpoint, even one that connected and sent nothing. It must resolve within shutdownTimeoutMillis
 * and leave no connection open.
 */
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { createRebalanceTelemetry } from '../../../../src';
import { freePort } from '../../../helpers/net';

function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled after ${ms} ms`)), ms)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

const opened = (socket: Socket) => new Promise<void>((r) => socket.once('connect', () => r()));
const closed = (socket: Socket) => new Promise<void>((r) => (socket.destroyed ? r() : socket.once('close', () => r())));

describe('shutdown with clients holding the pull endpoint', () => {
  it('resolves and closes every connection: silent, half-sent, keep-alive after a scrape', async () => {
    const port = await freePort();
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', prometheus: { port }, shutdownTimeoutMillis: 1000 });
    await t.ready;
    const silent = connect(port, '127.0.0.1');
    const halfSent = connect(port, '127.0.0.1');
    await Promise.all([opened(silent), opened(halfSent)]);
    halfSent.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    // A keep-alive client that scraped once and keeps its socket.
    const agentSocket = await new Promise<Socket>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/metrics', headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.socket!));
      });
      req.on('error', reject);
      req.end();
    });
    for (const s of [silent, halfSent, agentSocket]) s.on('error', () => undefined);
    await expect(settlesWithin(t.shutdown(), 60_000)).resolves.toBeUndefined();
    await settlesWithin(Promise.all([closed(silent), closed(halfSent), closed(agentSocket)]), 60_000);
  });
});
