/**
 * The live console's server on 127.0.0.1: the exec and on-call dashboards drawn live by the preview
 * renderer (`/`, `/?view=oncall`), their PromQL passed on to Prometheus, and the trace page of each
 * plan (`/trace?planId=…`, `/trace?traceId=…`, which exemplar dots open) read from the trace backend.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { UserError } from '../cli/user-error';
import { dashboardJson, VIEWS } from '../render/render';
import { browserBundle, escapeHtml, PREVIEW_CSS, proxyPrometheus, send, uplotCss } from '../render/server';
import { DASHBOARD_FILES } from '../dashboards/render';
import { handleTraceRoutes } from '../trace-page/routes';
import type { ConsoleConfig } from './client';

export interface ConsoleOptions {
  prometheusUrl: string;
  /** The Jaeger query API; without it the trace pages say there is no trace backend. */
  traceQueryUrl?: string;
  /** @default a free port */
  port?: number;
}

export interface ConsoleServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  close(): Promise<void>;
}

const CONSOLE_CSS = `
.console-bar { display: flex; align-items: center; gap: 8px; height: 44px; margin: 0 -16px; padding: 0 16px; background: #181b1f; border-bottom: 1px solid rgba(204, 204, 220, 0.12); font-size: 12px; }
.console-bar .brand { font-size: 14px; font-weight: 500; margin-right: 8px; }
.console-bar .tab { padding: 4px 10px; border-radius: 2px; color: rgba(204, 204, 220, 0.65); text-decoration: none; border: 1px solid transparent; }
.console-bar .tab.current { color: rgb(204, 204, 220); border-color: rgba(204, 204, 220, 0.2); background: #22252b; }
.console-bar label { display: flex; align-items: stretch; }
.console-bar label span { background: #22252b; border: 1px solid rgba(204, 204, 220, 0.2); border-right: none; border-radius: 2px 0 0 2px; padding: 4px 8px; font-weight: 500; }
.console-bar select, .console-bar input, .console-bar .multi-value { background: #111217; color: rgb(204, 204, 220); border: 1px solid rgba(204, 204, 220, 0.2); border-radius: 0 2px 2px 0; padding: 3px 6px; font: inherit; }
.console-bar input { width: 160px; }
.console-bar .spacer { flex: 1; }
.console-bar .multi { position: relative; display: flex; align-items: stretch; }
.console-bar .multi-label { background: #22252b; border: 1px solid rgba(204, 204, 220, 0.2); border-right: none; border-radius: 2px 0 0 2px; padding: 4px 8px; font-weight: 500; }
.console-bar .multi-value { min-width: 60px; text-align: left; cursor: pointer; }
.console-bar .multi-value::after { content: " ▾"; color: rgba(204, 204, 220, 0.65); }
.console-bar .multi-menu { position: absolute; top: 100%; right: 0; z-index: 20; min-width: 160px; max-height: 320px; overflow: auto; padding: 4px 0; background: #22252b; border: 1px solid rgba(204, 204, 220, 0.2); border-radius: 2px; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.5); }
.console-bar .multi-menu[hidden] { display: none; }
.console-bar .multi-option { display: flex; align-items: center; gap: 6px; padding: 4px 10px; white-space: nowrap; cursor: pointer; }
.panel-body a.exemplar { position: absolute; display: block; border-radius: 2px; }
.panel-body a.exemplar:hover { outline: 1px solid rgba(255, 0, 255, 0.9); }
.exemplar-tooltip { position: absolute; display: none; background: #22252b; border: 1px solid rgba(204, 204, 220, 0.2); padding: 6px 8px; font-size: 12px; pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,0.5); z-index: 30; white-space: nowrap; }
.exemplar-tooltip div:first-child { font-weight: 500; margin-bottom: 2px; }
.console-note { padding: 8px 0 12px; font-size: 12px; color: rgba(204, 204, 220, 0.65); }
.console-note strong { color: rgb(204, 204, 220); font-weight: 500; }
table.grid td a.link { color: #6E9FFF; text-decoration: none; }
table.grid td a.link:hover { text-decoration: underline; }
`;

function consolePage(config: ConsoleConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml('MeshKit rebalance console')}</title>
<style>${uplotCss()}</style><style>${PREVIEW_CSS}${CONSOLE_CSS}</style></head>
<body><script id="config" type="application/json">${json}</script><script src="console.js"></script></body></html>`;
}

/** Starts the console; the page and trace-page scripts are bundled first, so a missing esbuild fails here. */
export async function startConsoleServer(options: ConsoleOptions): Promise<ConsoleServer> {
  browserBundle('console/client.ts');
  browserBundle('trace-page/client.ts');
  const config: ConsoleConfig = {
    views: VIEWS.map((view) => ({ key: view, file: DASHBOARD_FILES[view], dashboard: dashboardJson(view) })),
    scrapeIntervalMs: 15_000,
    traceLink: 'trace?planId=',
    exemplarLink: 'trace?traceId=',
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 502, 'text/plain', String((error as Error).message)));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', consolePage(config));
    if (url.pathname === '/console.js') return send(res, 200, 'text/javascript; charset=utf-8', browserBundle('console/client.ts'));
    if (await proxyPrometheus(req, res, url, options.prometheusUrl)) return;
    if (await handleTraceRoutes(req, res, url, options.traceQueryUrl)) return;
    send(res, 404, 'text/plain', 'not found');
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UserError(`port ${options.port} on 127.0.0.1 is in use; pick another with --port or leave it out for a free one.`) : error),
    );
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
