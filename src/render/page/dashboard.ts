/** Draws a whole dashboard: rows and panels on Grafana's grid, each panel by its drawer. */
import { el, gridBox, HEADER, PAD } from './layout';
import type { PreviewConfig } from './model';
import { noData, type Drawer } from './panels/drawer';
import { barGauge } from './panels/bar-gauge';
import { heatmap } from './panels/heatmap';
import { stat } from './panels/stat';
import { stateTimeline } from './panels/state-timeline';
import { table } from './panels/table';
import { timeseries } from './panels/timeseries';

const DRAWERS: Record<string, Drawer> = {
  timeseries,
  stat,
  table,
  heatmap,
  'state-timeline': stateTimeline,
  gauge: barGauge,
  bargauge: barGauge,
};

/** Lays the dashboard out in `parent` and draws every panel; resolves to the panels that failed ("title: reason"). */
export async function drawDashboard(config: PreviewConfig, parent: HTMLElement): Promise<string[]> {
  const container = el('div', 'dashboard');
  const innerWidth = config.width - 2 * 16;
  container.style.width = `${innerWidth}px`;
  parent.append(container);
  let bottom = 0;
  const work: Promise<void>[] = [];
  for (const panel of config.dashboard.panels) {
    const box = gridBox(panel, innerWidth);
    bottom = Math.max(bottom, box.top + box.height);
    if (panel.type === 'row') {
      const row = el('div', 'row-title');
      Object.assign(row.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
      row.append(el('span', 'chevron', '⌄'), el('span', undefined, panel.title));
      container.append(row);
      continue;
    }
    const node = el('div', 'panel');
    Object.assign(node.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
    node.dataset.title = panel.title;
    const title = el('div', 'panel-title');
    title.append(el('span', 'title-text', panel.title));
    const body = el('div', 'panel-body');
    body.style.height = `${box.height - HEADER - PAD}px`;
    node.append(title, body);
    container.append(node);
    const draw = DRAWERS[panel.type];
    work.push(
      (draw ? draw(config, panel, body, box) : Promise.resolve(noData(body, `panel type ${panel.type} is not previewed`))).catch((error: unknown) => {
        body.textContent = '';
        const message = el('div', 'panel-error', `⚠ ${(error as Error).message}`);
        body.append(message);
        throw new Error(`${panel.title}: ${(error as Error).message}`);
      }),
    );
  }
  container.style.height = `${bottom}px`;
  const results = await Promise.allSettled(work);
  return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String((r.reason as Error).message));
}
