/**
 * Value formatting as Grafana's unit formatters write it, for the units our dashboards use:
 * `short` (SI-style K, Mil, Bil), `none`, `s` (seconds scaled to ms, min, hour, day), `percentunit`,
 * `percent`. No imports: the preview page bundles this file.
 */

export interface Formatted {
  text: string;
  suffix: string;
}

/** Grafana's automatic decimals: two significant digits (three from 2.25 on), none for whole numbers. */
export function autoDecimals(value: number): number {
  if (!Number.isFinite(value) || value === 0 || value % 1 === 0) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  let dec = 1 - magnitude;
  if (Math.abs(value) / 10 ** (magnitude - 1) > 2.25) dec++;
  return Math.max(0, dec);
}

function fixed(value: number, decimals: number | undefined): string {
  const d = decimals ?? autoDecimals(value);
  const text = value.toFixed(Math.min(20, Math.max(0, d)));
  return text === '-0' ? '0' : text;
}

function scaled(value: number, decimals: number | undefined, steps: readonly [number, string][]): Formatted {
  let chosen = steps[0]!;
  for (const step of steps) if (Math.abs(value) >= step[0]) chosen = step;
  return { text: fixed(value / chosen[0], decimals), suffix: chosen[1] };
}

const SHORT: readonly [number, string][] = [
  [1, ''],
  [1e3, ' K'],
  [1e6, ' Mil'],
  [1e9, ' Bil'],
  [1e12, ' Tri'],
];

function seconds(value: number, decimals: number | undefined): Formatted {
  const abs = Math.abs(value);
  if (abs === 0) return { text: '0', suffix: ' s' };
  if (abs < 1e-3) return { text: fixed(value * 1e6, decimals), suffix: ' µs' };
  if (abs < 1) return { text: fixed(value * 1e3, decimals), suffix: ' ms' };
  if (abs < 60) return { text: fixed(value, decimals), suffix: ' s' };
  if (abs < 3600) return { text: fixed(value / 60, decimals), suffix: ' min' };
  if (abs < 86400) return { text: fixed(value / 3600, decimals), suffix: ' hour' };
  if (abs < 604800) return { text: fixed(value / 86400, decimals), suffix: ' day' };
  return { text: fixed(value / 604800, decimals), suffix: ' week' };
}

export function formatValue(value: number | null | undefined, unit: string | undefined, decimals?: number): Formatted {
  if (value === null || value === undefined || Number.isNaN(value)) return { text: '', suffix: '' };
  if (!Number.isFinite(value)) return { text: value > 0 ? '+Inf' : '-Inf', suffix: '' };
  switch (unit) {
    case 's':
      return seconds(value, decimals);
    case 'percentunit':
      return { text: fixed(value * 100, decimals), suffix: '%' };
    case 'percent':
      return { text: fixed(value, decimals), suffix: '%' };
    case 'none':
      return { text: fixed(value, decimals), suffix: '' };
    default:
      return scaled(value, decimals, SHORT);
  }
}

export const formatted = (value: number | null | undefined, unit: string | undefined, decimals?: number): string => {
  const f = formatValue(value, unit, decimals);
  return `${f.text}${f.suffix}`;
};

/** Axis tick labels: each tick in its own scale (K, min, ...), with the decimals the tick spacing needs there. */
export function formatTicks(ticks: readonly number[], unit: string | undefined): string[] {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : Math.abs(ticks[0] ?? 1);
  return ticks.map((t) => {
    if (t === 0) return unit === 's' ? '0 s' : unit === 'percentunit' || unit === 'percent' ? '0%' : '0';
    const scale = formatValue(t, unit);
    const f = formatValue(t, unit, decimalsForStep(step, unit, Math.abs(t), scale.suffix));
    return `${f.text}${f.suffix}`;
  });
}

function decimalsForStep(step: number, unit: string | undefined, top: number, suffix: string): number {
  let factor = 1;
  if (unit === 'percentunit') factor = 100;
  else if (unit === 's') factor = suffix === ' min' ? 1 / 60 : suffix === ' hour' ? 1 / 3600 : suffix === ' day' ? 1 / 86400 : suffix === ' ms' ? 1000 : 1;
  else if (unit !== 'none' && unit !== 'percent') factor = top >= 1e9 ? 1e-9 : top >= 1e6 ? 1e-6 : top >= 1e3 ? 1e-3 : 1;
  const s = step * factor;
  if (!(s > 0)) return 0;
  // The fewest decimals that tell neighbouring ticks apart exactly (at most 2 past the step's magnitude).
  const first = Math.max(0, -Math.floor(Math.log10(s) + 1e-9));
  for (let d = first; d < Math.min(first + 2, 2); d++) if (Math.abs(Math.round(s * 10 ** d) - s * 10 ** d) < 1e-6) return d;
  return Math.min(first + 2, 2);
}
