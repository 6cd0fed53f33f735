/** What every panel drawer is, and the empty panel. */
import { el, type Box } from '../layout';
import type { Panel, PreviewConfig } from '../model';

export type Drawer = (config: PreviewConfig, panel: Panel, body: HTMLElement, box: Box) => Promise<void>;

export function noData(body: HTMLElement, text = 'No data'): void {
  body.append(el('div', 'nodata', text));
}
