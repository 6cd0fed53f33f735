/**
 * Screenshots of the dashboards on simulated histories: each shot loads a scenario's deterministic
 * history into a Prometheus (history.ts), serves the preview page for the dashboard JSON
 * (server.ts, client.ts) and takes a full-page PNG in headless Chromium (browser.ts) at a fixed
 * width, over the history's whole window, in UTC.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError, progress } from '../cli/user-error';
import { DASHBOARD_FILES } from '../dashboards/render';
import { HOUR } from '../simulator/clock';
import { findScenario } from '../simulator/scenarios';
import { packageRoot } from '../stack/paths';
import { startConsoleServer } from '../console/server';
import { ensureChromium, launchBrowser, type BrowserSession } from './browser';
import { HISTORY_SEED, startHistoryPrometheus, type HistoryWindow } from './history';
import { startPreviewServer, type PreviewConfig } from './server';

export const VIEWS = ['exec', 'oncall'] as const;
export type View = (typeof VIEWS)[number];

/** The page width (Grafana's grid scales to it); the height follows the dashboard. */
export const VIEWPORT = { width: 1600, height: 1000 } as const;

export interface Shot {
  view: View;
  /** Names the file: `<view>-<label>.png`. */
  label: string;
  scenario: string;
  /** Virtual hours of history. @default the scenario's own length */
  hours?: number;
  /** Changes the dashboard JSON before it is drawn (a test's deliberate edit). */
  edit?: (dashboard: PreviewConfig['dashboard']) => void;
  /** Drawn in the live console (`meshkit-rebalance-obs console`) over the history's window instead of the bare preview page. */
  console?: boolean;
}

/**
 * The committed screenshots (docs/screenshots/): a healthy run and a failing one of each view.
 * The failing one is the mixed scenario's first 75 minutes, so the window ends while its
 * alerts fire: eu-west-1/orders failing moves, us-east-1/search stuck behind a wedged node.
 */
export const SHOTS: readonly Shot[] = [
  { view: 'exec', label: 'healthy', scenario: 'healthy-rebalance' },
  { view: 'exec', label: 'failing', scenario: 'mixed', hours: 1.25 },
  { view: 'oncall', label: 'healthy', scenario: 'healthy-rebalance' },
  { view: 'oncall', label: 'failing', scenario: 'mixed', hours: 1.25 },
  { view: 'oncall', label: 'console', scenario: 'mixed', hours: 1.25, console: true },
];

export const shotFile = (shot: Shot) => `${shot.view}-${shot.label}.png`;

/** The generated dashboard JSON a view is drawn from. */
export function dashboardJson(view: View): PreviewConfig['dashboard'] {
  return JSON.parse(readFileSync(path.join(packageRoot(), DASHBOARD_FILES[view]), 'utf8')) as PreviewConfig['dashboard'];
}

export function previewConfig(view: View, scenario: string, window: HistoryWindow): PreviewConfig {
  const dashboard = dashboardJson(view);
  const hours = (window.endMs - window.startMs) / HOUR;
  return {
    dashboard,
    fromMs: window.startMs,
    toMs: window.endMs,
    // The provisioned data source's timeInterval (dashboards/provisioning/datasources).
    scrapeIntervalMs: 15_000,
    variables: { datasource: 'meshkit-prometheus', namespace: '.*', cluster: '.*', plan_id: '.*' },
    width: VIEWPORT.width,
    caption: `Preview of ${dashboard.uid}.json against the simulator's "${scenario}" scenario (seed ${HISTORY_SEED}, ${hours} h of history), drawn by meshkit-rebalance-obs render — not Grafana.`,
  };
}

/**
 * Loads a page that reports `data-state` (the preview, the console, the trace page) and returns a
 * full-page PNG; throws `failure: <the page's error>` when it could not draw.
 */
export async function screenshot(session: BrowserSession, url: string, failure = 'the preview could not draw every panel'): Promise<Buffer> {
  const { page } = session;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'failed', undefined, { timeout: 60_000 });
  const state = await page.evaluate(() => ({ state: document.body.dataset.state, error: document.body.dataset.error }));
  if (state.state !== 'done') throw new UserError(`${failure}: ${state.error}`);
  return page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
}

export interface RenderOptions {
  shots: readonly Shot[];
  /** Directory the PNGs go to; null keeps them in memory only. */
  out: string | null;
  log?: (line: string) => void;
}

/** Renders the shots, one history per scenario and length; returns the PNGs by file name. */
export async function renderShots(options: RenderOptions): Promise<Map<string, Buffer>> {
  const log = options.log ?? progress;
  for (const shot of options.shots) if (!findScenario(shot.scenario)) throw new UserError(`unknown scenario "${shot.scenario}".`);
  const executable = await ensureChromium({ log });
  const groups = new Map<string, Shot[]>();
  for (const shot of options.shots) {
    const key = `${shot.scenario}@${shot.hours ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), shot]);
  }
  if (options.out) mkdirSync(options.out, { recursive: true });
  const pngs = new Map<string, Buffer>();
  const session = await launchBrowser({ executable, width: VIEWPORT.width, height: VIEWPORT.height });
  try {
    for (const shots of groups.values()) {
      const { scenario, hours } = shots[0]!;
      const prometheus = await startHistoryPrometheus({ scenario, hours, log });
      try {
        const server = await startPreviewServer(prometheus.url);
        const live = shots.some((s) => s.console) ? await startConsoleServer({ prometheusUrl: prometheus.url }) : undefined;
        try {
          for (const shot of shots) {
            const started = Date.now();
            let url = server.url;
            if (shot.console && live) {
              const { startMs, endMs } = prometheus.window;
              url = `${live.url}?view=${shot.view}&from=${startMs}&to=${endMs}&refresh=off`;
            } else {
              const config = previewConfig(shot.view, scenario, prometheus.window);
              shot.edit?.(config.dashboard);
              server.show(config);
            }
            const png = await screenshot(session, url);
            pngs.set(shotFile(shot), png);
            if (options.out) writeFileSync(path.join(options.out, shotFile(shot)), png);
            log(`[render] ${shotFile(shot)}: ${shot.view} view, ${scenario}, ${((Date.now() - started) / 1000).toFixed(1)} s${options.out ? ` → ${path.join(options.out, shotFile(shot))}` : ''}`);
          }
        } finally {
          await live?.close();
          await server.close();
        }
      } finally {
        await prometheus.stop();
      }
    }
  } finally {
    await session.close();
  }
  return pngs;
}
