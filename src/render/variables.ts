/**
 * Grafana's template variables, substituted the way Grafana's Prometheus data source does before a
 * query leaves the browser: dashboard variables by their values (All → the variable's `allValue`),
 * `$__interval` from the time range and the panel's width, `$__rate_interval` from it and the data
 * source's scrape interval, `$__range` as whole seconds. Shared by the preview page and the on-data
 * test, so both send the same PromQL. No imports: the page bundles this file.
 */

export interface QueryTime {
  fromMs: number;
  toMs: number;
  /** `$__interval`, and the step of range queries. */
  intervalMs: number;
  /** The data source's scrape interval (`timeInterval`, 15 s for ours). */
  scrapeIntervalMs: number;
}

/** Grafana's `rangeUtil.roundInterval`: a raw interval rounded to a readable one. */
export function roundInterval(ms: number): number {
  const table: readonly [number, number][] = [
    [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000],
    [12500, 10000], [17500, 15000], [25000, 20000], [45000, 30000], [90000, 60000], [210000, 120000], [450000, 300000],
    [750000, 600000], [1050000, 900000], [1500000, 1200000], [2700000, 1800000], [5400000, 3600000], [9000000, 7200000],
    [16200000, 10800000], [32400000, 21600000], [86400000, 43200000], [604800000, 86400000],
  ];
  for (const [below, value] of table) if (ms < below) return value;
  return 604800000;
}

/**
 * `$__interval` for a panel: the range over the number of data points (Grafana's default is the
 * panel's width in pixels), rounded, and never below the scrape interval.
 */
export function panelInterval(fromMs: number, toMs: number, maxDataPoints: number, scrapeIntervalMs: number): number {
  return Math.max(roundInterval((toMs - fromMs) / Math.max(1, maxDataPoints)), scrapeIntervalMs);
}

/** `$__rate_interval`: the larger of interval + scrape interval and four scrape intervals. */
export function rateInterval(intervalMs: number, scrapeIntervalMs: number): number {
  return Math.max(intervalMs + scrapeIntervalMs, 4 * scrapeIntervalMs);
}

/** A duration as Grafana writes it into PromQL: `15s`, `1m`, `2h`, `1d`. */
export function formatInterval(ms: number): string {
  const units: readonly [string, number][] = [['y', 31536000000], ['w', 604800000], ['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * Substitutes every variable of `expr`. `vars` maps dashboard variables to their value (for a
 * multi-value variable with All selected, its `allValue`: `.*` for ours).
 */
export function substituteVariables(expr: string, vars: Readonly<Record<string, string>>, time: QueryTime): string {
  const rangeS = Math.round((time.toMs - time.fromMs) / 1000);
  const builtins: Record<string, string> = {
    // Grafana writes the rate interval in seconds (`60s`), the others in their largest unit.
    __rate_interval: `${Math.round(rateInterval(time.intervalMs, time.scrapeIntervalMs) / 1000)}s`,
    __interval_ms: String(time.intervalMs),
    __interval: formatInterval(time.intervalMs),
    __range_ms: String(rangeS * 1000),
    __range_s: String(rangeS),
    __range: `${rangeS}s`,
  };
  const all: Record<string, string> = { ...builtins, ...vars };
  return expr.replace(/\$\{([A-Za-z0-9_]+)(?::[A-Za-z]+)?\}|\$([A-Za-z0-9_]+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare!;
    return name in all ? all[name]! : whole;
  });
}
