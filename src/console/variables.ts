/**
 * The console's namespace and cluster variables, multi-value with All as in the dashboards: the
 * regex Grafana writes for a selection, and the dropdown of checkboxes that picks it.
 */
import { el } from '../render/page/layout';

/**
 * Selected values as Grafana's Prometheus data source writes a multi-value variable into a regex
 * matcher: one value as it is, several as `(a|b)`, each value's regex characters escaped inside a
 * PromQL string; none selected is All, the variable's `.*`.
 */
export function regexValue(values: readonly string[]): string {
  const escaped = values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&'));
  if (escaped.length === 0) return '.*';
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/** What the closed dropdown shows: `All`, or the values joined as Grafana joins them. */
export const selectionText = (values: readonly string[]): string => (values.length ? values.join(' + ') : 'All');

/**
 * A dropdown of checkboxes, All first (checking it clears the others, clearing the others checks it).
 * The selection applies when the dropdown closes (its button again, a click outside, Escape).
 */
export function multiSelect(name: string, values: readonly string[], current: readonly string[], onChange: (picked: string[]) => void): HTMLElement {
  const box = el('div', 'multi');
  box.dataset.name = name;
  const button = el('button', 'multi-value', selectionText(current));
  button.type = 'button';
  button.name = name;
  const menu = el('div', 'multi-menu');
  menu.hidden = true;
  const option = (value: string, text: string, checked: boolean): HTMLInputElement => {
    const row = el('label', 'multi-option');
    const input = el('input');
    input.type = 'checkbox';
    input.value = value;
    input.checked = checked;
    row.append(input, text);
    menu.append(row);
    return input;
  };
  const all = option('', 'All', current.length === 0);
  const boxes = values.map((v) => option(v, v, current.includes(v)));
  all.addEventListener('change', () => {
    for (const b of boxes) b.checked = false;
    all.checked = true;
  });
  for (const b of boxes) b.addEventListener('change', () => (all.checked = !boxes.some((x) => x.checked)));
  const close = (): void => {
    if (menu.hidden) return;
    menu.hidden = true;
    const picked = boxes.filter((b) => b.checked).map((b) => b.value);
    button.textContent = selectionText(picked);
    if (picked.join('\n') !== current.join('\n')) onChange(picked);
  };
  button.addEventListener('click', () => (menu.hidden ? (menu.hidden = false) : close()));
  box.addEventListener('keydown', (event) => event.key === 'Escape' && close());
  const outside = (event: MouseEvent): void => {
    if (!box.isConnected) return document.removeEventListener('mousedown', outside);
    if (!box.contains(event.target as Node)) close();
  };
  document.addEventListener('mousedown', outside);
  box.append(el('span', 'multi-label', name), button, menu);
  return box;
}
