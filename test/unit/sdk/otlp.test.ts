import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRebalanceTelemetry } from '../../../src';
import { freePort } from '../../helpers/net';
import { runFullLifecycle } from '../../helpers/lifecycle';

/** A loopback listener that records what the OTLP exporters post; the real Collector is tested in test/integration. */
async function recorder(): Promise<{ server: Server; url: string; requests: { path: string; type: string; bytes: number }[] }> {
  const requests: { path: string; type: string; bytes: number }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', type: String(req.headers['content-type']), bytes });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

describe('OTLP export', () => {
  const saved = { ...process.env };
  afterEach(() => (process.env = { ...saved }));

  it('posts protobuf metrics and traces to the endpoint named by OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const sink = await recorder();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = sink.url;
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', otlp: {} });
    runFullLifecycle(t);
    await t.shutdown();
    sink.server.close();
    const paths = new Set(sink.requests.map((r) => r.path));
    expect(paths).toEqual(new Set(['/v1/metrics', '/v1/traces']));
    for (const r of sink.requests) {
      expect(r.type).toBe('application/x-protobuf');
      expect(r.bytes).toBeGreaterThan(100);
    }
  });

  it('prefers an explicit endpoint', async () => {
    const sink = await recorder();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:1';
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', otlp: { endpoint: sink.url } });
    runFullLifecycle(t);
    await t.shutdown();
    sink.server.close();
    expect(sink.requests.map((r) => r.path)).toContain('/v1/metrics');
  });
});
