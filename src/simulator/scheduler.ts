import type { VirtualClock } from './clock';

interface Entry {
  at: number;
  seq: number;
  run: () => void;
}

/**
 * The discrete-event queue: a binary heap ordered by time, then by insertion order, so that events
 * due at the same instant always run in the same order.
 */
export class Scheduler {
  private readonly heap: Entry[] = [];
  private seq = 0;
  /** Events run so far (simulator events, not hook calls). */
  processed = 0;

  constructor(private readonly clock: VirtualClock) {}

  get size(): number {
    return this.heap.length;
  }

  schedule(at: number, run: () => void): void {
    // Whole milliseconds, like a real clock.
    const entry = { at: Math.max(Math.round(at), this.clock.now()), seq: this.seq++, run };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  /** Runs every event due at or before `until`, each at its own time, then sets the clock to `until`. */
  runUntil(until: number): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0].at <= until) {
      const entry = this.pop();
      this.clock.set(entry.at);
      this.processed++;
      entry.run();
    }
    this.clock.set(until);
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r], heap[l]) ? r : l;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
