import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/** Lowest port picked: below it are the well-known and registered services people run locally. */
const LOWEST = 20_000;
/** Random tries before falling back to a port the kernel picks. */
const TRIES = 50;

/**
 * Where to pick: below the kernel's ephemeral range, because a port picked there, released and then
 * bound by the server a moment later can meanwhile become the source port of any outgoing connection
 * (four test workers with their stacks make many) and the server then fails with EADDRINUSE.
 */
function pickRange(): [number, number] {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > LOWEST + 1000) return [LOWEST, low - 1];
  } catch {
    // no procfs: the kernel's own pick below
  }
  return [0, 0];
}

function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

/**
 * `count` distinct free TCP ports on 127.0.0.1, random below the ephemeral range when there is room
 * (else picked by the kernel); all listeners stay open until every port is known so that none is
 * handed out twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const [low, high] = pickRange();
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    while (ports.length < count) {
      let server = createServer();
      let bound = false;
      for (let i = 0; i < TRIES && high > low && !bound; i++) {
        bound = await listen(server, low + Math.floor(Math.random() * (high - low + 1)));
        if (!bound) server = createServer();
      }
      if (!bound && !(await listen(server, 0))) throw new Error('no free port on 127.0.0.1');
      servers.push(server);
      ports.push((server.address() as { port: number }).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}
