import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { METRICS } from '../../../src';
import { runLive } from '../../../src/simulator/runner';
import { findScenario } from '../../../src/simulator/scenarios';
import { fetchText, freePort } from '../../helpers/net';

describe('live mode', () => {
  it('serves each controller on its pull endpoint while the virtual clock runs at speed, and stops a dead one', async () => {
    const ports = [await freePort(), await freePort()];
    const urls: string[] = [];
    const deaths: string[] = [];
    let during = '';
    const started = Date.now();
    const figures = await runLive({
      scenario: findScenario('heartbeat-loss')!,
      seed: '1',
      speed: 3600, // one virtual hour per real second
      durationMs: 65 * 60_000,
      tickMs: 20,
      exporters: (i) => ({ prometheus: { host: '127.0.0.1', port: ports[i] } }),
      onStart: (handles) => {
        for (const { handle } of handles) urls.push(handle.prometheusUrl!);
        // 300 ms in: 18 virtual minutes, ledger alive and heartbeating
        setTimeout(() => void fetchText(urls[1]).then((text) => (during = text)), 300);
      },
      onDeath: (c) => deaths.push(c.id),
    });
    expect(urls).toEqual(ports.map((p) => `http://127.0.0.1:${p}/metrics`));
    expect(during).toContain(METRICS.heartbeat.name);
    expect(during).toContain('namespace="ledger"');
    expect(deaths).toEqual(['eu-west-1.ledger.rebalancer-0']);
    expect(figures.virtualHours).toBeCloseTo(65 / 60, 5);
    // the virtual clock started at the real time
    expect(figures.wallSeconds).toBeLessThan(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await expect(fetch(urls[1])).rejects.toThrow();
    await expect(fetch(urls[0])).rejects.toThrow(); // stopped at the end of the run
  });
});

describe('live mode over OTLP', () => {
  // A subprocess through the real CLI: the OTLP exporters load their transport with a dynamic
  // import(), which jest's module sandbox refuses.
  it('simulate --otlp URL pushes metrics and traces there and flushes them at the end', async () => {
    const posts: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        posts.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const root = path.join(__dirname, '../../..');
      const args = ['simulate', '--scenario', 'healthy-rebalance', '--otlp', `http://127.0.0.1:${port}`, '--speed', '1800', '--duration', '30m'];
      const child = spawn(process.execPath, [path.join(root, 'bin/meshkit-rebalance-obs.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      expect(output).toContain(`OTLP to http://127.0.0.1:${port}`);
      expect(posts).toContain('POST /v1/metrics application/x-protobuf');
      expect(posts).toContain('POST /v1/traces application/x-protobuf');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
