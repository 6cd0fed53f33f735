/**
 * The preview page: draws a Grafana dashboard JSON the way Grafana lays it out (24-column grid,
 * 30 px rows, 8 px gaps, dark theme), querying Prometheus through the preview server. Timeseries
 * are drawn with uPlot (Grafana's own chart library); stat, table, heatmap, state timeline and
 * bar gauges are drawn directly (page/panels/). Bundled for the browser by server.ts; imports
 * nothing from Node.
 *
 * The page reads its configuration from <script id="config" type="application/json"> and sets
 * `document.body.dataset.state` to `done` (or `failed`, with the reason in data-error) once every
 * panel has drawn.
 */
import { drawDashboard } from './page/dashboard';
import { header } from './page/layout';
import type { PreviewConfig } from './page/model';

export type { Dashboard, Panel, PreviewConfig } from './page/model';

async function main(): Promise<void> {
  const config = JSON.parse(document.getElementById('config')!.textContent!) as PreviewConfig;
  document.body.append(header(config));
  const failures = await drawDashboard(config, document.body);
  await document.fonts.ready;
  document.body.dataset.error = failures.join('\n');
  document.body.dataset.state = failures.length ? 'failed' : 'done';
}

main().catch((error: unknown) => {
  document.body.dataset.error = String((error as Error)?.message ?? error);
  document.body.dataset.state = 'failed';
});
