/**
 * The preview server: a small HTTP server on 127.0.0.1 (free port) that serves the preview page
 * for one dashboard JSON and passes the page's PromQL queries on to Prometheus (only
 * `/api/v1/query` and `/api/v1/query_range`, as Grafana's data source proxy would).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { UserError } from '../cli/user-error';
import { packageRoot } from '../stack/paths';
import type { PreviewConfig } from './page/model';

export type { PreviewConfig } from './page/model';

export interface PreviewServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** Sets what the page at `url` shows next. */
  show(config: PreviewConfig): void;
  close(): Promise<void>;
}

const bundles = new Map<string, string>();

/** A page script (`src/<entry>` and what it imports) bundled for the browser by esbuild (its CLI, in a child process). */
export function browserBundle(entry: string): string {
  const cached = bundles.get(entry);
  if (cached) return cached;
  const file = path.join(packageRoot(), 'src', entry);
  if (!existsSync(file)) throw new UserError(`this needs the package source (src/${entry}); run it from a checkout of the project.`);
  let esbuild: string;
  try {
    esbuild = require.resolve('esbuild/bin/esbuild');
  } catch {
    throw new UserError('the npm package esbuild is not installed; run "npm ci" in the project first.');
  }
  // bin/esbuild is the native binary once esbuild's install script ran, a Node shim otherwise: both run as they are.
  const bundle = execFileSync(esbuild, [file, '--bundle', '--format=iife', '--platform=browser', '--target=chrome120', '--log-level=error', '--charset=utf8'], {
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  bundles.set(entry, bundle);
  return bundle;
}

/** The preview page script: client.ts and uPlot. */
export const clientBundle = (): string => browserBundle('render/client.ts');

export function uplotCss(): string {
  try {
    return readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  } catch {
    throw new UserError('the npm package uplot is not installed; run "npm ci" in the project first.');
  }
}

/** Grafana's dark theme for the page chrome; every text in DejaVu Sans so renders are the same on every machine. */
export const PREVIEW_CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #111217; color: rgb(204, 204, 220); font-family: "DejaVu Sans", sans-serif; font-size: 14px; -webkit-font-smoothing: antialiased; }
body { padding: 0 16px 16px; }
.header { margin: 0 -16px 12px; }
.topbar { display: flex; align-items: center; justify-content: space-between; height: 40px; padding: 0 16px; background: #181b1f; border-bottom: 1px solid rgba(204, 204, 220, 0.12); }
.crumbs { display: flex; gap: 8px; align-items: center; font-size: 14px; }
.crumb { color: rgba(204, 204, 220, 0.65); }
.crumb.current { color: rgb(204, 204, 220); font-weight: 500; }
.sep { color: rgba(204, 204, 220, 0.45); }
.right { display: flex; gap: 8px; }
.timepicker, .timezone, .variable .value, .dashlink { border: 1px solid rgba(204, 204, 220, 0.2); border-radius: 2px; padding: 4px 8px; font-size: 12px; background: #111217; }
.timepicker::before { content: "◷ "; color: rgba(204, 204, 220, 0.65); }
.controls { display: flex; align-items: center; gap: 8px; padding: 8px 16px; }
.variable, .annotation-toggle { display: flex; align-items: stretch; font-size: 12px; }
.variable .label, .annotation-toggle .label { background: #22252b; border: 1px solid rgba(204, 204, 220, 0.2); border-right: none; border-radius: 2px 0 0 2px; padding: 4px 8px; font-weight: 500; }
.variable .value { border-radius: 0 2px 2px 0; min-width: 48px; }
.annotation-toggle { align-items: center; }
.switch { width: 28px; height: 16px; border-radius: 8px; background: #3d71d9; margin-left: 8px; position: relative; }
.switch::after { content: ""; position: absolute; right: 2px; top: 2px; width: 12px; height: 12px; border-radius: 6px; background: #fff; }
.spacer { flex: 1; }
.caption { padding: 0 16px; font-size: 12px; color: rgba(204, 204, 220, 0.65); }
.dashboard { position: relative; }
.row-title { position: absolute; display: flex; align-items: center; gap: 6px; font-size: 16px; font-weight: 500; }
.chevron { color: rgba(204, 204, 220, 0.65); font-size: 14px; }
.panel { position: absolute; background: #181b1f; border: 1px solid rgba(204, 204, 220, 0.12); border-radius: 2px; overflow: hidden; }
.panel-title { height: 32px; line-height: 32px; padding: 0 8px; font-size: 14px; font-weight: 500; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.panel-body { position: relative; padding: 0 8px 8px; overflow: hidden; display: flex; flex-direction: column; }
.nodata { flex: 1; display: flex; align-items: center; justify-content: center; color: rgba(204, 204, 220, 0.65); font-size: 14px; }
.panel-error { color: #F2495C; font-size: 12px; padding: 8px; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 16px; padding: 4px 0 0; font-size: 12px; overflow: hidden; flex: none; }
.legend-item { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.swatch { display: inline-block; width: 14px; height: 4px; border-radius: 2px; border-top: 0 solid; }
.swatch.dashed { height: 0; border-top: 3px dashed; border-radius: 0; }
.chart { flex: none; }
table.grid { border-collapse: collapse; font-size: 13px; table-layout: fixed; }
table.grid th { text-align: left; font-weight: 500; color: #6E9FFF; padding: 0 8px; height: 36px; border-bottom: 1px solid rgba(204, 204, 220, 0.12); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.grid th .sort { color: rgb(204, 204, 220); }
table.grid td { padding: 0 8px; height: 36px; border-bottom: 1px solid rgba(204, 204, 220, 0.12); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.grid td.num { text-align: right; }
table.grid td.link { color: #6E9FFF; }
.bar-row { display: flex; align-items: center; gap: 8px; height: 28px; font-size: 12px; }
.bar-label { width: 30%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar-track { flex: 1; height: 16px; background: rgba(204, 204, 220, 0.08); }
.bar { height: 100%; }
.bar-value { width: 72px; text-align: right; font-weight: 500; }
`;

function page(config: PreviewConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(config.dashboard.title)}</title>
<style>${uplotCss()}</style><style>${PREVIEW_CSS}</style></head>
<body><script id="config" type="application/json">${json}</script><script src="preview.js"></script></body></html>`;
}

export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Starts the server on a free 127.0.0.1 port, proxying queries to `prometheusUrl`. */
export async function startPreviewServer(prometheusUrl: string): Promise<PreviewServer> {
  const script = clientBundle();
  let current: PreviewConfig | undefined;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 502, 'text/plain', String((error as Error).message)));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/' && current) return send(res, 200, 'text/html; charset=utf-8', page(current));
    if (url.pathname === '/preview.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    if (await proxyPrometheus(req, res, url, prometheusUrl)) return;
    send(res, 404, 'text/plain', 'not found');
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    show: (config) => {
      current = config;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Passes the page's PromQL (`/api/v1/query`, `/api/v1/query_range`, `/api/v1/query_exemplars`) on to Prometheus; false for any other path. */
export async function proxyPrometheus(req: IncomingMessage, res: ServerResponse, url: URL, prometheusUrl: string): Promise<boolean> {
  if (!['/api/v1/query', '/api/v1/query_range', '/api/v1/query_exemplars'].includes(url.pathname)) return false;
  const body = req.method === 'POST' ? await readBody(req) : url.searchParams.toString();
  let upstream: Response;
  try {
    upstream = await fetch(`${prometheusUrl}${url.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  } catch {
    send(res, 502, 'application/json', JSON.stringify({ status: 'error', error: `Prometheus at ${prometheusUrl} is not reachable` }));
    return true;
  }
  send(res, upstream.status, 'application/json', await upstream.text());
  return true;
}
