/** The Prometheus pull endpoint: an HTTP server that streams the exposition in slices. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import { describeError } from '../quote';
import { TimeSlice } from './time-slice';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface PullEndpointOptions {
  host: string;
  port: number;
  endpoint: string;
  /** The exposition, chunk by chunk; called once per scrape. */
  scrape(slice: TimeSlice): AsyncIterable<string>;
}

/** A request's headers must arrive within this time, and the whole request within requestTimeout. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export class PullEndpoint {
  private readonly server: Server;
  private stopped: Promise<void> | undefined;
  private closing = false;

  constructor(private readonly options: PullEndpointOptions) {
    this.server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => void this.handle(req, res));
    // Like any exporter, the endpoint alone does not keep the controller's process alive.
    this.server.unref();
  }

  /** Resolves once listening, with the port bound; rejects (EADDRINUSE, EACCES, …) and releases the server. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        this.server.close();
        reject(error);
      };
      this.server.once('error', onError);
      this.server.listen({ host: this.options.host, port: this.options.port, exclusive: true }, () => {
        this.server.off('error', onError);
        this.server.on('error', (error) => diag.error(`meshkit-rebalance: pull endpoint error: ${describeError(error)}`));
        const port = (this.server.address() as AddressInfo).port;
        // Shut down while the bind was under way: release the port at once.
        if (this.closing) this.server.close();
        resolve(port);
      });
    });
  }

  /**
   * Stops accepting connections and closes idle keep-alive ones at once; scrapes under way may
   * finish. `destroy()` ends whatever is still open (a client that connected and sent nothing).
   */
  close(): Promise<void> {
    this.closing = true;
    this.stopped ??= new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
    return this.stopped;
  }

  destroy(): void {
    this.server.closeAllConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '').split('?')[0];
      if (path !== this.options.endpoint) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed\n');
        return;
      }
      res.writeHead(200, { 'content-type': CONTENT_TYPE });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      for await (const chunk of this.options.scrape(new TimeSlice())) {
        if (res.destroyed) return;
        if (!res.write(chunk)) await drained(res);
      }
      res.end();
    } catch (error) {
      diag.error(`meshkit-rebalance: scrape failed: ${describeError(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Scrape failed\n');
      else res.destroy();
    }
  }
}

/** Waits for the socket to take more, or to be gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
