/**
 * Small PromQL builders shared by the recording and alerting rules. Metric names always come from
 * `METRICS.x.name`; label names from the schema's `LABELS`.
 */
import { LABELS } from '../schema';
import type { MetricSpec } from '../schema';
import type { AlertingConfig } from './config';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration string (`1h30m`, `15m`, `500ms`). Throws on anything else. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`not a Prometheus duration: "${text}"`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit], 0);
}

/** A Prometheus duration string for `seconds`, rounded to the millisecond: `1h30m`, `15s`, `250ms`. */
export function formatDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms <= 0) return '0s';
  let out = '';
  for (const [unit, size] of [['h', 3600000], ['m', 60000], ['s', 1000], ['ms', 1]] as const) {
    if (ms >= size) {
      out += `${Math.floor(ms / size)}${unit}`;
      ms %= size;
    }
  }
  return out;
}

/** A number as PromQL writes it, without float noise (0.25, 900, 1.5). */
export function num(value: number): string {
  return String(Number(value.toFixed(6)));
}

export const NS = LABELS.namespace.name;
export const CLUSTER = LABELS.cluster.name;
export const SCOPE = [NS, CLUSTER] as const;

/** `by (a, b)` / `on (a, b)` clauses. */
export const by = (labels: readonly string[]) => `by (${labels.join(', ')})`;
export const on = (labels: readonly string[]) => `on (${labels.join(', ')})`;

/** The counter's name without `_total`, as recorded-series names spell it after `rate`/`increase`. */
export function counterBase(metric: MetricSpec): string {
  return metric.name.replace(/_total$/, '');
}

/**
 * What the rule builders need: the configuration, durations already scaled by `timeScale`, and
 * selectors with the configured extra matchers.
 */
export class RuleContext {
  constructor(
    readonly config: AlertingConfig,
    readonly timeScale: number = 1,
    /**
     * Matchers (`namespace!~"a|b"`) added to every selector after the configured ones: they confine
     * a rule to the namespaces/clusters of a site's override, or keep the default rule out of them.
     */
    readonly scopeMatchers: readonly string[] = [],
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  }

  /** A configured duration, scaled, in seconds. */
  seconds(duration: string): number {
    return parseDuration(duration) * this.timeScale;
  }

  /** A configured duration, scaled, as a Prometheus duration string (for `[w]`, `offset w` and `for:`). */
  dur(duration: string): string {
    return formatDuration(this.seconds(duration));
  }

  /** The labels identifying one controller process, joined with namespace and cluster. */
  get processLabels(): string[] {
    return [NS, CLUSTER, this.config.jobLabel, this.config.instanceLabel];
  }

  /** `metric{k="v",...}` with the configured extra matchers first. */
  sel(metric: MetricSpec, matchers: Readonly<Record<string, string>> = {}): string {
    const all = { ...this.config.selector, ...matchers };
    const list = [...Object.entries(all).map(([k, v]) => `${k}=${JSON.stringify(v)}`), ...this.scopeMatchers];
    return list.length === 0 ? metric.name : `${metric.name}{${list.join(', ')}}`;
  }

  /** `expr` restricted to the series of processes whose `controller_leader` gauge reads 1 (or 0). */
  onlyLeader(expr: string, leader: MetricSpec, value: 0 | 1 = 1, extraOn: readonly string[] = []): string {
    const lhs = /\s/.test(expr) ? `(\n  ${indent(expr, 2)}\n)` : expr;
    return `${lhs}\nand ${on([...this.processLabels, ...extraOn])}\n  (${this.sel(leader)} == ${value})`;
  }

  /**
   * Events a counter recorded within `window`, per series, that still count the first event of a
   * series born at a non-zero value (a restarted controller whose first event came before its first
   * scrape, or a label set first seen with its first increment):
   *
   *  - a series that did not exist `window` ago contributes its whole value (everything it counted
   *    happened since it appeared);
   *  - every other series contributes `increase()` over the window, which handles resets.
   *
   * The first branch only counts when `presence` — a series the same controllers always export —
   * existed `window` ago in the same `guardOn` group: after a Prometheus outage longer than the
   * window every counter looks new, and without the guard each would replay its whole history.
   */
  eventsWithin(counter: string, window: string, presence: string, guardOn: readonly string[]): string {
    const w = this.dur(window);
    const born = `(${counter} unless ${counter} offset ${w})`;
    const guard = `group ${by(guardOn)} (${presence} offset ${w})`;
    return `(\n  ${born}\n  and ${on(guardOn)} ${guard}\n)\nor\nincrease(${counter}[${w}])`;
  }
}

export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').join(`\n${pad}`);
}
