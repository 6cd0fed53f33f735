/** The trace page of one plan drawn to a PNG in headless Chromium: `meshkit-rebalance-obs render trace`. */
import { createServer } from 'node:http';
import { progress } from '../cli/user-error';
import { screenshot } from '../render/render';
import { ensureChromium, launchBrowser, type BrowserSession } from '../render/browser';
import { send } from '../render/server';
import { handleTraceRoutes, TRACE_PAGE_WIDTH } from './routes';

export interface TraceShotOptions {
  traceQueryUrl: string;
  /** `planId=…` or `traceId=…`. */
  query: URLSearchParams;
  log?: (line: string) => void;
  /** A browser to reuse; one is launched (and closed) otherwise. */
  session?: BrowserSession;
}

/** Serves the trace page on a free 127.0.0.1 port for the duration of `use`. */
export async function withTracePageServer<T>(traceQueryUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    handleTraceRoutes(req, res, url, traceQueryUrl)
      .then((handled) => handled || send(res, 404, 'text/plain', 'not found'))
      .catch((error: unknown) => send(res, 502, 'text/plain', String((error as Error).message)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    return await use(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A full-height PNG of the plan's trace page (every move drawn, nothing to scroll). */
export async function renderTracePng(options: TraceShotOptions): Promise<Buffer> {
  const log = options.log ?? progress;
  const session = options.session ?? (await launchBrowser({ executable: await ensureChromium({ log }), width: TRACE_PAGE_WIDTH, height: 900 }));
  try {
    return await withTracePageServer(options.traceQueryUrl, (base) => screenshot(session, `${base}trace?${options.query}&full=1`, 'the trace page could not be drawn'));
  } finally {
    if (!options.session) await session.close();
  }
}
