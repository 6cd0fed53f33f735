/**
 * OTLP metric export through an outage of the endpoint (the Collector agent restarting): the real
 * OTLP exporter against a loopback receiver that answers 503, then 200. Every collection made
 * meanwhile arrives afterwards, oldest first; past the bound the oldest are dropped; a request
 * refused for good (400) is dropped and does not hold the queue.
 */
import { createServer, type Server } from 'node:http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { createRebalanceTelemetry, type RebalanceTelemetryHandle } from '../../../../src';
import { ChunkedMetricExport } from '../../../../src/sdk/export/otlp-metrics';
import { freePort } from '../../../helpers/net';

interface Receiver {
  server: Server;
  url: string;
  bodies: Buffer[];
  /** The status the receiver answers with from now on. */
  status: number;
}

async function receiver(): Promise<Receiver> {
  const r = { bodies: [] as Buffer[], status: 503 } as Receiver;
  r.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (r.status === 200) r.bodies.push(Buffer.concat(chunks));
      res.writeHead(r.status, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => r.server.listen(port, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${port}`;
  return r;
}

/** The heartbeat value (seconds of the SDK's clock) a request carries, found as its protobuf double. */
function heartbeatIn(body: Buffer, candidates: number[]): number | undefined {
  return candidates.find((value) => {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    return body.includes(bytes);
  });
}

let now = 0;
let t: RebalanceTelemetryHandle;
let sink: Receiver;

beforeEach(async () => {
  sink = await receiver();
  t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', clock: () => now });
});

afterEach(async () => {
  await t.shutdown();
  await new Promise((resolve) => sink.server.close(resolve));
});

/** One collection whose heartbeat is `seconds`. */
async function exportAt(exporter: ChunkedMetricExport, seconds: number): Promise<void> {
  now = seconds * 1000;
  t.controllerHeartbeat();
  await exporter.exportOnce();
}

const HEARTBEATS = [1000.25, 1005.25, 1010.25, 1015.25, 1020.25];

test('collections made while the endpoint fails arrive once it answers, oldest first', async () => {
  const exporter = new ChunkedMetricExport(new OTLPMetricExporter({ url: `${sink.url}/v1/metrics`, timeoutMillis: 300 }), t.metricProducer, 60_000);
  for (const seconds of HEARTBEATS.slice(0, 4)) await exportAt(exporter, seconds);
  expect(sink.bodies).toHaveLength(0);
  expect(exporter.queued).toBe(4);

  sink.status = 200;
  await exportAt(exporter, HEARTBEATS[4]);
  expect(exporter.queued).toBe(0);
  expect(sink.bodies.map((body) => heartbeatIn(body, HEARTBEATS))).toEqual(HEARTBEATS);
  await exporter.shutdown();
}, 30_000);

test('past the bound the oldest collections are dropped, the newest kept', async () => {
  // Room for two collections of this instance's series, the heartbeat included.
  t.controllerHeartbeat();
  const perCollection = t.metricProducer.collectMetrics().reduce((n, metric) => n + metric.dataPoints.length, 0);
  const exporter = new ChunkedMetricExport(new OTLPMetricExporter({ url: `${sink.url}/v1/metrics`, timeoutMillis: 300 }), t.metricProducer, 60_000, 2 * perCollection + 1);
  for (const seconds of HEARTBEATS.slice(0, 4)) await exportAt(exporter, seconds);
  expect(exporter.queued).toBe(2);

  sink.status = 200;
  await exportAt(exporter, HEARTBEATS[4]);
  // The fifth collection joined the two kept ones at the bound: the older of those went too.
  expect(sink.bodies.map((body) => heartbeatIn(body, HEARTBEATS))).toEqual(HEARTBEATS.slice(3));
  await exporter.shutdown();
}, 30_000);

test('a request refused for good (400) is dropped and does not hold the queue', async () => {
  const exporter = new ChunkedMetricExport(new OTLPMetricExporter({ url: `${sink.url}/v1/metrics`, timeoutMillis: 300 }), t.metricProducer, 60_000);
  sink.status = 400;
  await exportAt(exporter, HEARTBEATS[0]);
  expect(exporter.queued).toBe(0);
  sink.status = 200;
  await exportAt(exporter, HEARTBEATS[1]);
  expect(sink.bodies.map((body) => heartbeatIn(body, HEARTBEATS))).toEqual([HEARTBEATS[1]]);
  await exporter.shutdown();
}, 30_000);
