/** Gauges and bar gauges as horizontal bars. */
import { formatValue } from '../../format';
import { fieldProps, thresholdColor } from '../fields';
import { el, PAD } from '../layout';
import { displayName, queryWindow, runTarget } from '../query';
import { noData, type Drawer } from './drawer';

export const barGauge: Drawer = async (config, panel, body, box) => {
  const w = queryWindow(config, Math.max(1, box.width - 2 * PAD));
  const results = await Promise.all((panel.targets ?? []).map((t) => runTarget(config, t, w)));
  const items = results.flatMap((series, i) =>
    series.map((s) => {
      let v: number | null = null;
      for (const [, x] of s.values) if (Number.isFinite(Number(x))) v = Number(x);
      return { name: displayName(panel.targets![i]!, s.metric), value: v };
    }),
  );
  if (items.length === 0) return noData(body);
  const props = fieldProps(panel, '');
  const max = props.thresholds?.length ? Math.max(100, ...items.map((x) => x.value ?? 0)) : Math.max(...items.map((x) => x.value ?? 0), 1);
  for (const item of items) {
    const row = el('div', 'bar-row');
    const label = el('div', 'bar-label', item.name);
    const track = el('div', 'bar-track');
    const bar = el('div', 'bar');
    const c = thresholdColor(props.thresholds, item.value);
    bar.style.width = `${Math.max(0, Math.min(1, (item.value ?? 0) / max)) * 100}%`;
    bar.style.background = c;
    track.append(bar);
    const value = el('div', 'bar-value', formatValue(item.value, props.unit, props.decimals).text + formatValue(item.value, props.unit, props.decimals).suffix);
    value.style.color = c;
    row.append(label, track, value);
    body.append(row);
  }
};
