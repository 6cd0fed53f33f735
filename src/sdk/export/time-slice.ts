/** Cooperative yielding: long exports give the event loop back every few milliseconds. */

/** Longest stretch of export work between two yields to the event loop. */
export const SLICE_MS = 5;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks the time since the last yield; `pause()` yields once the slice is used up. */
export class TimeSlice {
  private startedAt = performance.now();

  constructor(private readonly budgetMs = SLICE_MS) {}

  get due(): boolean {
    return performance.now() - this.startedAt >= this.budgetMs;
  }

  async pause(): Promise<void> {
    if (!this.due) return;
    await yieldToLoop();
    this.startedAt = performance.now();
  }
}

/**
 * Runs a generator that yields (with no value) at points where it may be interrupted: to the end
 * at once when `slice` is undefined, else giving the event loop back whenever the slice is used up.
 */
export async function drive<T>(work: Generator<void, T>, slice: TimeSlice): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await slice.pause();
  }
}

export function runToEnd<T>(work: Generator<void, T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
