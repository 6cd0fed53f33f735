/** Completion forecast of one plan, from an exponentially weighted average of the time between its move ends. */

/** Weight of the newest gap between two move ends: about the last ten ends make the average. */
export const FORECAST_ALPHA = 0.1;
/** Fractions of a plan's moves ended at which the forecast is kept, to measure its error when the plan ends. */
export const FORECAST_CHECKPOINTS = [0.25, 0.5, 0.75] as const;

/**
 * How it is computed:
 * - the first move end seeds the average with its gap from the start divided by the plan's moves in
 *   flight at that moment (Little's law: with n moves of length T running side by side, one ends
 *   every T/n);
 * - every later end folds its gap from the previous end into the average with weight FORECAST_ALPHA;
 * - the forecast is the last end plus moves left × the average, and never before now; a gap still
 *   open and longer than the average counts as a move ending now, its gap folded into the average,
 *   so a plan that slows down sees its forecast move out before its next move ends;
 * - and never before the plan's longest-running move in flight has run twice its age so far: the
 *   fast moves end first, so the pace of the first ends underrates the slow moves still running;
 * - starting and resuming restart the gap, so a pause is not read as slowness;
 * - a plan none of whose moves has ended has no forecast.
 */
export class PlanForecast {
  private intervalMs: number | undefined;
  private anchorMs: number;
  /** Forecasts (ms since the epoch) taken when the plan passed each checkpoint. */
  readonly checkpoints: (number | undefined)[] = FORECAST_CHECKPOINTS.map(() => undefined);
  /** The forecast that stood just before the latest move end: at completion, the plan's final forecast. */
  final: number | undefined;

  constructor(at: number) {
    this.anchorMs = at;
  }

  /** Execution (re)starts: the time before it does not count as a gap between move ends. */
  restart(at: number): void {
    this.anchorMs = at;
  }

  /**
   * A move of the plan ended (completed or failed). `inFlight` counts the plan's moves in flight
   * before this one ended, `ended` and `planned` the plan's moves after it.
   */
  moveEnded(at: number, inFlight: number, ended: number, planned: number, oldestInFlightStart?: number): void {
    this.final = this.at(at, planned - ended + 1, oldestInFlightStart);
    const gap = Math.max(0, at - this.anchorMs);
    this.intervalMs = this.intervalMs === undefined ? gap / Math.max(1, inFlight) : FORECAST_ALPHA * gap + (1 - FORECAST_ALPHA) * this.intervalMs;
    this.anchorMs = at;
    FORECAST_CHECKPOINTS.forEach((fraction, i) => {
      if (this.checkpoints[i] === undefined && planned > 0 && ended >= fraction * planned) this.checkpoints[i] = this.at(at, planned - ended, oldestInFlightStart);
    });
  }

  /** Forecast completion time (ms since the epoch) with `remaining` moves left, or undefined before the first move ends. */
  at(now: number, remaining: number, oldestInFlightStart?: number): number | undefined {
    if (this.intervalMs === undefined) return undefined;
    // A move still running has, on the odds, as long to go as it has run: the fast moves end first,
    // so the pace of the ends so far underrates the slow ones still in flight.
    const floor = remaining > 0 && oldestInFlightStart !== undefined ? 2 * now - oldestInFlightStart : now;
    const open = now - this.anchorMs;
    if (open <= this.intervalMs) return Math.max(floor, this.anchorMs + remaining * this.intervalMs);
    // The next end is late: it counts as ending now, its gap folded into the average.
    const interval = FORECAST_ALPHA * open + (1 - FORECAST_ALPHA) * this.intervalMs;
    return Math.max(floor, now + Math.max(0, remaining - 1) * interval);
  }
}
