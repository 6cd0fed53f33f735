import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePorts } from '../../../src/stack/ports';

test('free ports are distinct, bindable, and below the kernel\'s ephemeral range (no clash with outgoing connections)', async () => {
  const ports = await freePorts(30);
  expect(new Set(ports).size).toBe(30);
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(low);
  }
  for (const port of ports.slice(0, 5)) {
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  }
});
