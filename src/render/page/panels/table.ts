/** Table panels with Grafana's merge, organize and filterFieldsByName transformations. */
import { formatted } from '../../format';
import { fieldProps, mapped, thresholdColor } from '../fields';
import { el, PAD } from '../layout';
import type { Panel } from '../model';
import { queryWindow, runTarget, type PromSeries } from '../query';
import { HUES } from '../theme';
import { noData, type Drawer } from './drawer';

interface Row {
  cells: Map<string, string | number>;
}

/** Grafana's table transformations our dashboards use: merge, organize, filterFieldsByName. */
function tableRows(panel: Panel, results: PromSeries[][]): { columns: string[]; rows: Row[] } {
  let columns: string[] = [];
  let rows: Row[] = [];
  const merge = panel.transformations?.some((t) => t.id === 'merge') ?? false;
  results.forEach((series, i) => {
    const ref = panel.targets![i]!.refId;
    const valueColumn = results.length > 1 ? `Value #${ref}` : 'Value';
    for (const s of series) {
      const labels = Object.entries(s.metric).filter(([k]) => k !== '__name__');
      const value = Number(s.values[s.values.length - 1]?.[1]);
      for (const [k] of labels) if (!columns.includes(k)) columns.push(k);
      if (!columns.includes(valueColumn)) columns.push(valueColumn);
      // merge: a row joins every row of the other queries whose shared labels have the same values.
      const matches = merge ? rows.filter((r) => !r.cells.has(valueColumn) && labels.some(([k]) => r.cells.has(k)) && labels.every(([k, v]) => !r.cells.has(k) || r.cells.get(k) === v)) : [];
      if (matches.length === 0) rows.push({ cells: new Map<string, string | number>() });
      for (const row of matches.length ? matches : [rows[rows.length - 1]!]) {
        for (const [k, v] of labels) row.cells.set(k, v);
        row.cells.set(valueColumn, value);
      }
    }
  });
  for (const t of panel.transformations ?? []) {
    if (t.id === 'organize') {
      const o = t.options as { excludeByName?: Record<string, boolean>; indexByName?: Record<string, number>; renameByName?: Record<string, string> };
      columns = columns.filter((c) => !o.excludeByName?.[c]);
      const index = o.indexByName ?? {};
      columns.sort((a, b) => (index[a] ?? 1000) - (index[b] ?? 1000));
      const rename = o.renameByName ?? {};
      rows = rows.map((r) => ({ cells: new Map([...r.cells].map(([k, v]) => [rename[k] ?? k, v])) }));
      columns = columns.map((c) => rename[c] ?? c);
    } else if (t.id === 'filterFieldsByName') {
      const names = (t.options as { include?: { names?: string[] } }).include?.names;
      if (names) columns = columns.filter((c) => names.includes(c));
    }
  }
  return { columns, rows };
}

export const table: Drawer = async (config, panel, body, box) => {
  const w = queryWindow(config, Math.max(1, box.width - 2 * PAD));
  const results = await Promise.all((panel.targets ?? []).map((t) => runTarget(config, t, w)));
  const { columns, rows } = tableRows(panel, results);
  if (rows.length === 0 || columns.length === 0) return noData(body);
  const sortBy = (panel.options?.sortBy as { displayName: string; desc: boolean }[] | undefined)?.[0];
  if (sortBy) {
    const key = (r: Row) => r.cells.get(sortBy.displayName);
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === undefined || y === undefined) return x === undefined ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sortBy.desc ? -c : c;
    });
  }
  const props = new Map(columns.map((c) => [c, fieldProps(panel, c)]));
  const tableEl = el('table', 'grid');
  tableEl.style.width = `${box.width - 2 * PAD}px`;
  const head = el('tr');
  for (const c of columns) {
    const th = el('th', undefined, c);
    if (sortBy?.displayName === c) th.append(el('span', 'sort', sortBy.desc ? ' ↓' : ' ↑'));
    head.append(th);
  }
  tableEl.append(head);
  for (const r of rows) {
    const tr = el('tr');
    for (const c of columns) {
      const v = r.cells.get(c);
      const p = props.get(c)!;
      const td = el('td');
      if (typeof v === 'number') {
        const m = mapped(p.mappings, v);
        td.textContent = m ? m.text : formatted(v, p.unit, p.decimals);
        td.className = 'num';
        if (p.cellBackground) {
          const bg = thresholdColor(p.thresholds, v);
          if (bg !== HUES.transparent) {
            td.style.background = bg;
            td.style.color = '#ffffff';
          }
        }
      } else {
        if (p.links && config.traceLink && v) {
          const a = el('a', 'link', v);
          a.href = `${config.traceLink}${encodeURIComponent(v)}`;
          a.target = '_blank';
          td.append(a);
        } else td.textContent = v ?? '';
        if (p.links) td.className = 'link';
      }
      tr.append(td);
    }
    tableEl.append(tr);
  }
  body.append(tableEl);
};
