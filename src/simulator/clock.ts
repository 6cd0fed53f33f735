/**
 * Virtual time in milliseconds since the epoch. The simulator sets it to each event's time before
 * running the event, and the SDK reads it through the `clock` option, so every timestamp and
 * duration the SDK records is virtual.
 */
export class VirtualClock {
  private ms: number;

  constructor(startMs: number) {
    this.ms = startMs;
  }

  /** Bound, so it can be handed to the SDK as `clock`. */
  readonly now = (): number => this.ms;

  /** Moves time forward; time never runs backwards. */
  set(ms: number): void {
    if (ms > this.ms) this.ms = ms;
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** Default start of a history: a fixed instant, so that the same seed gives the same bytes. */
export const DEFAULT_HISTORY_START = Date.UTC(2026, 0, 5, 0, 0, 0);
